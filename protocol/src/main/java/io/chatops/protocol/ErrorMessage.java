package io.chatops.protocol;


/**
 * Either direction: a frame could not be used. {@code id} is the offending message's id when it
 * could be read. The frame is dropped and the link stays up.
 */
public record ErrorMessage(
        String id,
        String code,
        String message) implements Message {

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
