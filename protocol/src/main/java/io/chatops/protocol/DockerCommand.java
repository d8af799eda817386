package io.chatops.protocol;

import java.time.Instant;

/**
 * Hub to agent: one Docker operation. {@code container} is required for every action but
 * {@code list}; whether it is a valid name or id is the agent's to check, so that it can answer
 * with {@code invalid_container}. {@code tail} and {@code since} apply to {@code logs} only.
 */
public record DockerCommand(
        String id,
        Action action,
        String container,
        Integer timeoutSeconds,
        Integer tail,
        Instant since) implements Message {

    public static final int DEFAULT_TAIL = 200;
    /** Ten thousand lines is a screenful of history; more belongs in a log shipper. */
    public static final int MAX_TAIL = 10_000;

    public DockerCommand {
        Require.text("id", id);
        Require.present("action", action);
        if (action != Action.LIST) {
            Require.present("container", container);
        }
        Require.optionalBetween("timeout_seconds", timeoutSeconds, 0, Command.MAX_TIMEOUT_SECONDS);
        Require.optionalBetween("tail", tail, 1, MAX_TAIL);
    }

    public int tailOrDefault() {
        return tail == null ? DEFAULT_TAIL : tail;
    }

    public enum Action {
        LIST,
        INSPECT,
        START,
        STOP,
        RESTART,
        LOGS;

        /** Actions that change a container, refused when docker control is disabled. */
        public boolean isControl() {
            return this == START || this == STOP || this == RESTART;
        }
    }
}
