package io.chatops.hub.agents;

import io.chatops.hub.live.LivePublisher;
import io.chatops.hub.servers.AgentLinks;
import io.chatops.protocol.AgentEndpoint;
import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.Message;
import io.chatops.protocol.Settings;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which servers have their agent connected, since when, with what inventory and sample interval:
 * at most one session per server (a new one replaces the old). What the servers feature reads for
 * a server's status, and where status changes are published.
 */
public final class AgentSessions implements AgentLinks {
    /** A server is online while its agent sent something within this many sample intervals. */
    static final int SILENT_INTERVALS_BEFORE_OFFLINE = 3;

    private final Map<String, AgentSession> byServer = new ConcurrentHashMap<>();
    private final Clock clock;
    private final LivePublisher live;
    private final ContainerReports containers;
    private final int defaultIntervalSeconds;

    public AgentSessions(Clock clock, LivePublisher live, ContainerReports containers, int defaultIntervalSeconds) {
        this.clock = clock;
        this.live = live;
        this.containers = containers;
        this.defaultIntervalSeconds = defaultIntervalSeconds;
    }

    /** The interval a server's agent samples at: its own, or the hub's default. */
    int intervalFor(Integer override) {
        return override == null ? defaultIntervalSeconds : override;
    }

    /** Makes {@code session} its server's link; the one it replaces is closed with 4000. */
    void register(AgentSession session) {
        AgentSession previous = byServer.put(session.serverId(), session);
        if (previous != null && previous != session) {
            previous.close(AgentEndpoint.CLOSE_REPLACED, "replaced");
        }
        live.serverStatus(session.serverId(), "online");
    }

    /** The connection ended; its server goes offline unless another session replaced it. */
    void ended(AgentSession session) {
        if (session.isAuthenticated() && byServer.remove(session.serverId(), session)) {
            live.serverStatus(session.serverId(), "offline");
        }
    }

    Optional<AgentSession> find(String serverId) {
        return Optional.ofNullable(byServer.get(serverId));
    }

    /**
     * Whether the server is online: its agent is connected and has sent something within three
     * sample intervals (a connection that only stays open is not an agent that reports).
     */
    @Override
    public boolean isOnline(String serverId) {
        AgentSession session = byServer.get(serverId);
        return session != null
                && clock.millis() - session.lastFrameMillis() <= 1_000L * SILENT_INTERVALS_BEFORE_OFFLINE * session.intervalSeconds();
    }

    @Override
    public Optional<Instant> onlineSince(String serverId) {
        AgentSession session = byServer.get(serverId);
        return session != null && isOnline(serverId) ? Optional.ofNullable(session.connectedAt()) : Optional.empty();
    }

    /** The inventory of the connected agent, for its capabilities; empty when none is connected. */
    public Optional<AgentInfo> agent(String serverId) {
        return find(serverId).map(AgentSession::agent);
    }

    /** Sends {@code message} to the server's agent; false when none is connected. */
    boolean send(String serverId, Message message) {
        AgentSession session = byServer.get(serverId);
        if (session == null) {
            return false;
        }
        session.send(message);
        return true;
    }

    @Override
    public void disconnectServer(String serverId) {
        containers.forget(serverId);
        AgentSession session = byServer.remove(serverId);
        if (session != null) {
            session.close(AgentEndpoint.CLOSE_REVOKED, "server deleted");
            live.serverStatus(serverId, "deleted");
        }
    }

    @Override
    public void disconnectKey(String keyId) {
        for (AgentSession session : byServer.values()) {
            if (keyId.equals(session.keyId()) && byServer.remove(session.serverId(), session)) {
                session.close(AgentEndpoint.CLOSE_REVOKED, "revoked");
                live.serverStatus(session.serverId(), "offline");
            }
        }
    }

    @Override
    public void intervalChanged(String serverId, Integer override) {
        AgentSession session = byServer.get(serverId);
        if (session != null) {
            int seconds = intervalFor(override);
            session.intervalSeconds(seconds);
            session.send(new Settings(seconds));
        }
    }

    public int count() {
        return byServer.size();
    }
}
