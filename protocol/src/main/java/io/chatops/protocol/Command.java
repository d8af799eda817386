package io.chatops.protocol;


/**
 * Hub to agent: run {@code command} with {@code /bin/sh -c}. With {@code stream} the agent sends
 * {@link CommandOutput} while it runs; it always ends with exactly one {@link CommandResponse}.
 */
public record Command(
        String id,
        String command,
        int timeoutSeconds,
        Boolean stream) implements Message {

    /** A day: longer jobs belong in a scheduler, not in a request that someone waits for. */
    public static final int MAX_TIMEOUT_SECONDS = 86_400;

    public Command {
        Require.text("id", id);
        Require.text("command", command);
        Require.between("timeout_seconds", timeoutSeconds, 1, MAX_TIMEOUT_SECONDS);
        stream = Boolean.TRUE.equals(stream); // optional on the wire, false when absent
    }
}
