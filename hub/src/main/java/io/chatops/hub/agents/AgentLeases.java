package io.chatops.hub.agents;

import io.chatops.hub.cluster.Peers;
import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.ProtocolException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which hub instance holds each connected agent ({@code agent_leases}), when several share the
 * database: written when an agent authenticates or leaves, valid while its instance is alive (the
 * instance's heartbeat renews all its leases at once; a dead instance's row and leases go with it).
 * Other instances read them to tell a server's status and to route requests to its agent. On a hub
 * alone every method does nothing.
 */
final class AgentLeases {
    /** A server held by another instance, as that instance recorded it (its inventory: {@link #remoteAgent}). */
    record Remote(String instance, Instant connectedAt, boolean silent) {
    }

    /** An inventory read from a lease, valid for the connection that began at {@code connectedAt}. */
    private record Inventory(Instant connectedAt, AgentInfo agent) {
    }

    private static final MessageCodec CODEC = new MessageCodec();

    /**
     * How old the view of other instances' agents may get before it is read again in the
     * background, and how old it may be at all: a caller waits for that read (of every lease:
     * thousands of rows) only when nothing asked for a while, so that a command is not held up
     * by it once a second. A reconnect elsewhere shows within {@link #VIEW_MAX_STALE}.
     */
    static final Duration VIEW_MAX_AGE = Duration.ofMillis(500);
    static final Duration VIEW_MAX_STALE = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(AgentLeases.class);

    private final Jdbi jdbi;
    private final Peers peers;
    private volatile Map<String, Remote> view = Map.of();
    /** When the view was read, in {@link System#nanoTime()}; the view starts out stale. */
    private volatile long viewReadAt = System.nanoTime() - 2 * VIEW_MAX_STALE.toNanos();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    /** Inventories of agents held elsewhere, read when asked for; only of servers in the view. */
    private final Map<String, Inventory> inventories = new ConcurrentHashMap<>();

    AgentLeases(Jdbi jdbi, Peers peers) {
        this.jdbi = jdbi;
        this.peers = peers;
    }

    /** Records this instance as the holder of {@code session}'s server; returns the instance that held it before, if another. */
    Optional<String> take(AgentSession session) {
        if (!peers.clustered()) {
            return Optional.empty();
        }
        // One statement (a reconnect wave makes thousands): the CTE reads the lease as it was before the upsert.
        return jdbi.withHandle(h -> h.createQuery("WITH before AS (SELECT instance_id FROM agent_leases WHERE server_id = ?)"
                        + " INSERT INTO agent_leases (server_id, instance_id, agent, connected_at, silent) VALUES (?, ?, ?, ?, FALSE)"
                        + " ON CONFLICT (server_id) DO UPDATE SET instance_id = excluded.instance_id, agent = excluded.agent,"
                        + " connected_at = excluded.connected_at, silent = FALSE RETURNING (SELECT instance_id FROM before)")
                .bind(0, session.serverId()).bind(1, session.serverId()).bind(2, peers.self()).bind(3, session.agentJson())
                .bind(4, session.connectedAt().toEpochMilli()).mapTo(String.class).findOne())
                .filter(instance -> !instance.equals(peers.self()));
    }

    /** The agent of {@code serverId} left this instance (a lease another instance took since stays). */
    void release(String serverId) {
        if (peers.clustered()) {
            write(() -> jdbi.useHandle(h -> h.createUpdate("DELETE FROM agent_leases WHERE server_id = ? AND instance_id = ?")
                    .bind(0, serverId).bind(1, peers.self()).execute()));
        }
    }

    /** Whether this instance holds the lease of {@code serverId} now: a session whose lease went elsewhere is a stale one. */
    boolean holds(String serverId) {
        return !peers.clustered() || holderNow(serverId).map(peers.self()::equals).orElse(false);
    }

    /** Whether another live instance holds the lease of {@code serverId}, read now (an agent that moved a moment ago). */
    boolean heldElsewhereNow(String serverId) {
        if (!peers.clustered()) {
            return false;
        }
        try {
            return holderNow(serverId).filter(peers::isAlive).isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Optional<String> holderNow(String serverId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT instance_id FROM agent_leases WHERE server_id = ?").bind(0, serverId)
                .mapTo(String.class).findOne());
    }

    /** Marks which of this instance's agents are silent (connected, sending nothing), so that other instances show them offline. */
    void silent(Collection<String> nowSilent, Collection<String> nowHeard) {
        if (!peers.clustered() || nowSilent.isEmpty() && nowHeard.isEmpty()) {
            return;
        }
        write(() -> jdbi.useTransaction(h -> {
            PreparedBatch mark = h.prepareBatch("UPDATE agent_leases SET silent = ? WHERE server_id = ? AND instance_id = ?");
            nowSilent.forEach(server -> mark.bind(0, true).bind(1, server).bind(2, peers.self()).add());
            nowHeard.forEach(server -> mark.bind(0, false).bind(1, server).bind(2, peers.self()).add());
            mark.execute();
        }));
    }

    /** Records the leases of {@code sessions} again, after the others took this instance for dead and dropped them. */
    void retake(Collection<AgentSession> sessions) {
        sessions.forEach(session -> write(() -> take(session)));
    }

    /** The server's agent when another live instance holds it. */
    Optional<Remote> remote(String serverId) {
        if (!peers.clustered()) {
            return Optional.empty();
        }
        long age = System.nanoTime() - viewReadAt;
        if (age > VIEW_MAX_STALE.toNanos()) {
            refresh(System.nanoTime());
        } else if (age > VIEW_MAX_AGE.toNanos() && refreshing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("agent-leases-view").start(() -> {
                try {
                    refresh(System.nanoTime());
                } finally {
                    refreshing.set(false);
                }
            });
        }
        return Optional.ofNullable(view.get(serverId)).filter(remote -> peers.isAlive(remote.instance()));
    }

    /**
     * The inventory of the server's agent when another live instance holds it: read from its lease
     * once per connection (it changes only when the agent connects again), not with the view.
     */
    Optional<AgentInfo> remoteAgent(String serverId) {
        return remote(serverId).flatMap(remote -> inventory(serverId, remote));
    }

    /** The inventory of {@code remote}, the server's agent held elsewhere, as {@link #remoteAgent} reads it. */
    Optional<AgentInfo> inventory(String serverId, Remote remote) {
        Inventory known = inventories.get(serverId);
        if (known != null && known.connectedAt().equals(remote.connectedAt())) {
            return Optional.of(known.agent());
        }
        try {
            Optional<AgentInfo> read = jdbi.withHandle(h -> h.createQuery("SELECT agent FROM agent_leases WHERE server_id = ?"
                    + " AND instance_id = ?").bind(0, serverId).bind(1, remote.instance()).mapTo(String.class).findOne())
                    .map(AgentLeases::decode);
            read.ifPresent(agent -> inventories.put(serverId, new Inventory(remote.connectedAt(), agent)));
            return read;
        } catch (RuntimeException e) {
            LOG.warn("cannot read the inventory of the agent of server {} from its lease: {}", serverId, e.getMessage());
            return Optional.empty();
        }
    }

    private static AgentInfo decode(String agentJson) {
        try {
            return CODEC.decodeAgent(agentJson);
        } catch (ProtocolException e) {
            throw new IllegalStateException("the lease of an agent has an unreadable inventory: " + e.getMessage(), e);
        }
    }

    private synchronized void refresh(long now) {
        if (now - viewReadAt <= VIEW_MAX_AGE.toNanos()) {
            return; // another caller just did
        }
        try {
            Map<String, Remote> read = new HashMap<>();
            Set<String> alive = peers.others();
            if (!alive.isEmpty()) {
                // Only live instances' leases: those of one that died stay until it is forgotten, and are no use.
                jdbi.useHandle(h -> h.createQuery("SELECT server_id, instance_id, connected_at, silent FROM agent_leases"
                                + " WHERE instance_id IN (<alive>)").bindList("alive", List.copyOf(alive))
                        .map((rs, ctx) -> read.put(rs.getString(1), new Remote(rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                                rs.getBoolean(4))))
                        .forEach(row -> {
                        }));
            }
            view = read;
            viewReadAt = now;
            inventories.keySet().retainAll(read.keySet());
        } catch (RuntimeException e) {
            LOG.warn("cannot read which hub instances hold which agents: {}", e.getMessage());
        }
    }

    /** A lease write that fails is logged: the lease is only a routing hint until the next connect. */
    private static void write(Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            LOG.warn("cannot record which hub instance holds an agent: {}", e.getMessage());
        }
    }
}
