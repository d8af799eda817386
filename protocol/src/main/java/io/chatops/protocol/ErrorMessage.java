package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Either direction: a frame could not be used. {@code id} is the offending message's id when it
 * could be read. The frame is dropped and the link stays up.
 */
public record ErrorMessage(
        @JsonInclude(JsonInclude.Include.ALWAYS) String id,
        @JsonProperty(required = true) String code,
        @JsonProperty(required = true) String message) implements Message {

    public ErrorMessage {
        Require.optionalText("id", id);
        Require.text("code", code);
        Require.text("message", message);
    }

    /** The answer to a frame that {@link MessageCodec#decode} refused. */
    public static ErrorMessage of(ProtocolException problem) {
        return new ErrorMessage(problem.messageId(), problem.code(), problem.getMessage());
    }
}
