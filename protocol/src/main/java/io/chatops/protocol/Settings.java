package io.chatops.protocol;

/**
 * Hub to agent, at any time after {@code auth_success}: settings that changed while the agent is
 * connected, so that it adopts them without reconnecting. An agent that predates this message
 * answers it with {@code error} {@code unknown_type} and keeps its settings until it reconnects.
 */
public record Settings(int metricsIntervalSeconds) implements Message {

    public Settings {
        Require.between("metrics_interval_seconds", metricsIntervalSeconds, MIN_INTERVAL_SECONDS, MAX_INTERVAL_SECONDS);
    }

    /** The shortest sample interval: a sample per second is as fine as the charts draw. */
    public static final int MIN_INTERVAL_SECONDS = 1;
    /** The longest sample interval: a server silent for longer would look offline. */
    public static final int MAX_INTERVAL_SECONDS = 3_600;
}
