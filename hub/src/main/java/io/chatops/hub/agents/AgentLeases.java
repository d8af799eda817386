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
    /** A server held by another instance, as that instance recorded it (the inventory is read when asked for). */
    record Remote(String instance, String agentJson, Instant connectedAt, boolean silent) {
        AgentInfo agent() {
            try {
                return CODEC.decodeAgent(agentJson);
            } catch (ProtocolException e) {
                throw new IllegalStateException("the lease of an agent has an unreadable inventory: " + e.getMessage(), e);
            }
        }
    }

    private static final MessageCodec CODEC = new MessageCodec();

    /** How stale the view of other instances' agents may be; a reconnect shows within this. */
    static final Duration VIEW_MAX_AGE = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(AgentLeases.class);

    private final Jdbi jdbi;
    private final Peers peers;
    private volatile Map<String, Remote> view = Map.of();
    /** When the view was read, in {@link System#nanoTime()}; the view starts out stale. */
    private volatile long viewReadAt = System.nanoTime() - 2 * VIEW_MAX_AGE.toNanos();

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
        long now = System.nanoTime();
        if (now - viewReadAt > VIEW_MAX_AGE.toNanos()) {
            refresh(now);
        }
        return Optional.ofNullable(view.get(serverId)).filter(remote -> peers.isAlive(remote.instance()));
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
                jdbi.useHandle(h -> h.createQuery("SELECT server_id, instance_id, agent, connected_at, silent FROM agent_leases"
                                + " WHERE instance_id IN (<alive>)").bindList("alive", List.copyOf(alive))
                        .map((rs, ctx) -> read.put(rs.getString(1), new Remote(rs.getString(2), rs.getString(3),
                                Instant.ofEpochMilli(rs.getLong(4)), rs.getBoolean(5))))
                        .forEach(row -> {
                        }));
            }
            view = read;
            viewReadAt = now;
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
