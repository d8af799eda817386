package io.chatops.protocol;


/**
 * Agent to hub: the one final answer to a {@link Command}. When {@code error} is set the command
 * did not run to completion and {@code exitCode} is null.
 */
public record CommandResponse(
        String id,
        Integer exitCode,
        String stdout,
        String stderr,
        long durationMs,
        boolean timedOut,
        boolean truncated,
        Failure error) implements Message {

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
            ErrorCode code,
            String message) {

        public Failure {
            Require.present("code", code);
            Require.text("message", message);
        }
    }

    public enum ErrorCode {
        EXEC_DISABLED,
        NOT_ALLOWED,
        SPAWN_FAILED,
        CANCELLED,
        BUSY
    }
}
