package io.chatops.hub.agents;

import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.BadFrameLimit;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import io.javalin.websocket.WsContext;
import java.time.Instant;

/**
 * One agent connection: unauthenticated until {@link #authenticated}, then the link of one server.
 * Fields are written by the connection's own callbacks and read from any thread, hence volatile.
 */
final class AgentSession {
    private static final MessageCodec CODEC = new MessageCodec();

    final WsContext ctx;
    final BadFrameLimit badFrames = new BadFrameLimit();
    final SampleAcks acks = new SampleAcks();
    /** The connection's own until its handshake, then its server's (shared by the server's links, one after another). */
    volatile FrameBudget frames = new FrameBudget();
    /** The link went over its budget once already (and the log said so). */
    volatile boolean throttled;
    private volatile String serverId;
    private volatile String keyId;
    private volatile AgentInfo agent;
    private volatile Instant connectedAt;
    private volatile long lastFrameMillis;
    private volatile int intervalSeconds;

    private volatile boolean authArrived;
    private volatile String agentJson;

    AgentSession(WsContext ctx, long nowMillis) {
        this.ctx = ctx;
        this.lastFrameMillis = nowMillis;
    }

    void authenticated(String serverId, String keyId, AgentInfo agent, String agentJson, Instant at, int intervalSeconds) {
        this.keyId = keyId;
        this.agent = agent;
        this.agentJson = agentJson;
        this.connectedAt = at;
        this.intervalSeconds = intervalSeconds;
        this.serverId = serverId; // last: a session with a server id is a complete one
    }

    boolean isAuthenticated() {
        return serverId != null;
    }

    /** Its {@code auth} frame came: it may still wait for its turn ({@link AgentGateway#HANDSHAKES_AT_ONCE}). */
    void authArrived() {
        authArrived = true;
    }

    boolean hasAuthArrived() {
        return authArrived;
    }

    boolean isOpen() {
        return ctx.session.isOpen();
    }

    String serverId() {
        return serverId;
    }

    String keyId() {
        return keyId;
    }

    AgentInfo agent() {
        return agent;
    }

    /** The inventory as the protocol encodes it, encoded once per handshake for the records that keep it. */
    String agentJson() {
        return agentJson;
    }

    Instant connectedAt() {
        return connectedAt;
    }

    void heard(long nowMillis) {
        lastFrameMillis = nowMillis;
    }

    long lastFrameMillis() {
        return lastFrameMillis;
    }

    int intervalSeconds() {
        return intervalSeconds;
    }

    void intervalSeconds(int seconds) {
        intervalSeconds = seconds;
    }

    /** Where the agent connects from, as host:port. */
    String address() {
        return String.valueOf(ctx.session.getRemoteSocketAddress()).replaceFirst("^/", "");
    }

    void send(Message message) {
        ctx.send(CODEC.encode(message));
    }

    void close(int code, String reason) {
        ctx.closeSession(code, reason);
    }
}
