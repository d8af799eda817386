package io.chatops.protocol;

/**
 * Facts of the agent's WebSocket that both sides must agree on (PROTOCOL.md, "Transport"): where
 * the hub serves it and the close codes each side sends and interprets.
 */
public final class AgentEndpoint {
    /** The path under the hub's URL (and any reverse-proxy prefix) that agents dial. */
    public static final String PATH = "/api/v1/agents/ws";

    public static final int CLOSE_NORMAL = 1000;
    /** The hub is shutting down: reconnect at once, to it or to the next hub. */
    public static final int CLOSE_GOING_AWAY = 1001;
    /** A protocol violation: a refused handshake or too many bad frames. */
    public static final int CLOSE_POLICY = 1008;
    /** Another connection with the same server's key replaced this one. */
    public static final int CLOSE_REPLACED = 4000;
    /** The key was revoked or its server deleted: retry only slowly. */
    public static final int CLOSE_REVOKED = 4001;

    private AgentEndpoint() {
    }
}
