package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Agent to hub: the one final answer to a {@link Command}. When {@code error} is set the command
 * did not run to completion and {@code exitCode} is null.
 */
public record CommandResponse(
        @JsonProperty(required = true) String id,
        @JsonInclude(JsonInclude.Include.ALWAYS) Integer exitCode,
        @JsonProperty(required = true) String stdout,
        @JsonProperty(required = true) String stderr,
        @JsonProperty(required = true) long durationMs,
        @JsonProperty(required = true) boolean timedOut,
        @JsonProperty(required = true) boolean truncated,
        @JsonInclude(JsonInclude.Include.ALWAYS) Failure error) implements Message {

    public CommandResponse {
        Require.text("id", id);
        Require.present("stdout", stdout);
        Require.present("stderr", stderr);
        Require.nonNegative("duration_ms", durationMs);
        if (error != null && exitCode != null) {
            throw new InvalidFieldException("exit_code", "must be null when error is set");
        }
    }

    /** A response for a command that never ran, or was cancelled. */
    public static CommandResponse failed(String id, ErrorCode code, String message, String stdout, String stderr,
            long durationMs, boolean truncated) {
        return new CommandResponse(id, null, stdout, stderr, durationMs, false, truncated, new Failure(code, message));
    }

    /** Why a command did not run to completion. */
    public record Failure(
            @JsonProperty(required = true) ErrorCode code,
            @JsonProperty(required = true) String message) {

        public Failure {
            Require.present("code", code);
            Require.text("message", message);
        }
    }

    public enum ErrorCode {
        @JsonProperty("exec_disabled") EXEC_DISABLED,
        @JsonProperty("not_allowed") NOT_ALLOWED,
        @JsonProperty("spawn_failed") SPAWN_FAILED,
        @JsonProperty("cancelled") CANCELLED,
        @JsonProperty("busy") BUSY
    }
}
