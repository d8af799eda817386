package io.chatops.hub.agents;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatops.hub.cluster.Peers;
import io.chatops.hub.live.LivePublisher;
import io.chatops.hub.servers.AgentLinks;
import io.chatops.protocol.AgentEndpoint;
import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.Message;
import io.chatops.protocol.Settings;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * Which servers have their agent connected, since when, with what inventory and sample interval:
 * at most one session per server (a new one replaces the old, on this instance or another). What
 * the servers feature reads for a server's status, and where status changes are published. With
 * several hub instances, a server whose agent is connected elsewhere is answered from its lease
 * ({@link AgentLeases}), and changes an admin makes reach the instance that holds the agent.
 */
public final class AgentSessions implements AgentLinks {
    private static final String DROP = "agent.drop";
    private static final String LINK = "agent.link";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A server is online while its agent sent something within this many sample intervals. */
    static final int SILENT_INTERVALS_BEFORE_OFFLINE = 3;

    private final Map<String, AgentSession> byServer = new ConcurrentHashMap<>();
    private final Clock clock;
    private final LivePublisher live;
    private final ContainerReports containers;
    private final int defaultIntervalSeconds;
    private final Peers peers;
    private final AgentLeases leases;
    private final List<Consumer<String>> connectListeners = new CopyOnWriteArrayList<>();
    /** The local servers last recorded as silent in their leases. */
    private final Set<String> reportedSilent = ConcurrentHashMap.newKeySet();

    public AgentSessions(Clock clock, LivePublisher live, ContainerReports containers, int defaultIntervalSeconds, Jdbi jdbi,
            Peers peers) {
        this.clock = clock;
        this.live = live;
        this.containers = containers;
        this.defaultIntervalSeconds = defaultIntervalSeconds;
        this.peers = peers;
        this.leases = new AgentLeases(jdbi, peers);
        peers.on(DROP, (from, serverId) -> dropIfMovedAway(serverId));
        peers.on(LINK, (from, body) -> linkChanged(body));
        peers.whenRejoined(() -> leases.retake(byServer.values()));
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
        leases.take(session).ifPresent(elsewhere -> peers.send(elsewhere, DROP, session.serverId()));
        reportedSilent.remove(session.serverId());
        live.serverStatus(session.serverId(), "online");
        connectListeners.forEach(listener -> listener.accept(session.serverId()));
    }

    @Override
    public void whenConnected(Consumer<String> listener) {
        connectListeners.add(listener);
    }

    /** The connection ended; its server goes offline unless another session replaced it, here or on another instance. */
    void ended(AgentSession session) {
        if (session.isAuthenticated() && byServer.remove(session.serverId(), session)) {
            leases.release(session.serverId());
            if (!leases.heldElsewhereNow(session.serverId())) {
                live.serverStatus(session.serverId(), "offline");
            }
        }
    }

    /** Another instance took the server's agent: the session here is the old one, closed as replaced. */
    private void dropIfMovedAway(String serverId) {
        AgentSession session = byServer.get(serverId);
        if (session != null && !leases.holds(serverId) && byServer.remove(serverId, session)) {
            session.close(AgentEndpoint.CLOSE_REPLACED, "replaced");
        }
    }

    /**
     * Records in the leases which local agents fell silent or spoke again since the last call, so that
     * other instances tell their status as this one does: the hub runs this every few seconds.
     */
    public void reportSilence() {
        if (!peers.clustered()) {
            return; // no other instance reads it
        }
        Set<String> silent = new HashSet<>();
        Set<String> heard = new HashSet<>();
        for (AgentSession session : byServer.values()) {
            boolean isSilent = !isOnline(session.serverId());
            if (isSilent && reportedSilent.add(session.serverId())) {
                silent.add(session.serverId());
            } else if (!isSilent && reportedSilent.remove(session.serverId())) {
                heard.add(session.serverId());
            }
        }
        reportedSilent.retainAll(byServer.keySet());
        leases.silent(silent, heard);
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
        if (session == null) {
            return leases.remote(serverId).filter(remote -> !remote.silent()).isPresent();
        }
        return clock.millis() - session.lastFrameMillis() <= 1_000L * SILENT_INTERVALS_BEFORE_OFFLINE * session.intervalSeconds();
    }

    @Override
    public Optional<Instant> onlineSince(String serverId) {
        AgentSession session = byServer.get(serverId);
        if (session == null) {
            return leases.remote(serverId).filter(remote -> !remote.silent()).map(AgentLeases.Remote::connectedAt);
        }
        return isOnline(serverId) ? Optional.ofNullable(session.connectedAt()) : Optional.empty();
    }

    @Override
    public Optional<String> agentJson(String serverId) {
        return Optional.ofNullable(byServer.get(serverId)).map(AgentSession::agentJson);
    }

    /** The inventory of the connected agent, here or on another instance, for its capabilities; empty when none is connected. */
    public Optional<AgentInfo> agent(String serverId) {
        return find(serverId).map(AgentSession::agent).or(() -> leases.remoteAgent(serverId));
    }

    /**
     * The host of the agent that reports for the server now, here or on another instance, when it is
     * not {@code newcomer}'s host: a second agent with the same key, which must not take over.
     */
    Optional<String> heldByAnotherHost(String serverId, AgentInfo newcomer) {
        AgentSession session = byServer.get(serverId);
        Optional<AgentInfo> current = session != null
                ? Optional.of(session.agent()).filter(agent -> isOnline(serverId))
                : leases.remote(serverId).filter(remote -> !remote.silent()).flatMap(remote -> leases.inventory(serverId, remote));
        return current.filter(agent -> !agent.hostname().equals(newcomer.hostname())
                        || !Objects.equals(agent.machineId(), newcomer.machineId()))
                .map(AgentSessions::host);
    }

    /** An agent's host as the messages about duplicate agents name it: its hostname and machine id. */
    static String host(AgentInfo agent) {
        return agent.hostname() + (agent.machineId() == null ? "" : " (machine id " + agent.machineId() + ")");
    }

    /** The other instance that holds the server's agent, when this one does not. */
    Optional<String> heldElsewhere(String serverId) {
        return byServer.containsKey(serverId) ? Optional.empty() : leases.remote(serverId).map(AgentLeases.Remote::instance);
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

    /** An admin's change of a server, applied here and sent to every other instance, one of which may hold its agent. */
    record LinkChange(String op, String server, String key, Integer interval) {
    }

    @Override
    public void disconnectServer(String serverId) {
        apply(new LinkChange("delete_server", serverId, null, null), true);
    }

    @Override
    public void disconnectKey(String keyId) {
        apply(new LinkChange("revoke_key", null, keyId, null), true);
    }

    @Override
    public void intervalChanged(String serverId, Integer override) {
        apply(new LinkChange("interval", serverId, null, override), true);
    }

    private void linkChanged(String body) {
        try {
            apply(JSON.readValue(body, LinkChange.class), false);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable link change: " + body, e);
        }
    }

    private void apply(LinkChange change, boolean here) {
        switch (change.op()) {
            case "delete_server" -> {
                containers.forget(change.server());
                AgentSession session = byServer.remove(change.server());
                if (session != null) {
                    session.close(AgentEndpoint.CLOSE_REVOKED, "server deleted");
                }
                if (here) {
                    live.serverStatus(change.server(), "deleted");
                }
            }
            case "revoke_key" -> {
                for (AgentSession session : byServer.values()) {
                    if (change.key().equals(session.keyId()) && byServer.remove(session.serverId(), session)) {
                        session.close(AgentEndpoint.CLOSE_REVOKED, "revoked");
                        live.serverStatus(session.serverId(), "offline");
                    }
                }
            }
            case "interval" -> {
                AgentSession session = byServer.get(change.server());
                if (session != null) {
                    int seconds = intervalFor(change.interval());
                    session.intervalSeconds(seconds);
                    session.send(new Settings(seconds));
                }
            }
            default -> throw new IllegalArgumentException("unknown link change " + change.op());
        }
        if (here && peers.clustered()) {
            try {
                peers.broadcast(LINK, JSON.writeValueAsString(change));
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode a link change", e);
            }
        }
    }

    public int count() {
        return byServer.size();
    }
}
