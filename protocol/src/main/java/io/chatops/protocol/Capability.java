package io.chatops.protocol;

/**
 * The capability names an agent announces in {@link AgentInfo#capabilities()}. They are strings
 * on the wire so that a newer agent's capability does not break an older hub.
 */
public final class Capability {
    public static final String METRICS = "metrics";
    public static final String DOCKER = "docker";
    public static final String DOCKER_CONTROL = "docker_control";
    public static final String EXEC = "exec";
    /** Answers {@link ProcessesRequest}: agents since the protocol gained it. */
    public static final String PROCESSES = "processes";

    private Capability() {
    }
}
