package io.chatops.hub.agents;

import io.chatops.hub.db.TaskFailures;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When each server's agent connected and disconnected ({@code agent_connections}), for the
 * markers on its charts, and with each connection the agent's inventory, when its server was last
 * seen and when its key was last used. Written in batches every {@link #FLUSH_EVERY}: a hub
 * restarted under thousands of agents sees them all reconnect at once, and each handshake must not
 * wait for a commit of its own — behind the replayed samples' commits, for SQLite's one writer.
 * Kept as long as the hour tier of metrics, whose charts show them.
 */
public final class ConnectionLog implements AutoCloseable {
    static final Duration FLUSH_EVERY = Duration.ofMillis(500);
    /** Events waiting at most; beyond, new ones are dropped and counted (the agents' links are not held up for them). */
    static final int MAX_WAITING = 50_000;

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLog.class);
    private final TaskFailures failures = new TaskFailures(LOG, "recording agent connections");

    /** {@code keyId} and {@code agentJson}: of a connection, null for a disconnection. */
    private record Event(String serverId, long at, boolean connected, String detail, String keyId, String agentJson) {
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration keep;
    private final BlockingQueue<Event> waiting = new ArrayBlockingQueue<>(MAX_WAITING);
    private final AtomicLong dropped = new AtomicLong();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "connection-log");
        thread.setDaemon(true);
        return thread;
    });
    private long nextPrune;

    public ConnectionLog(Jdbi jdbi, Clock clock, Duration keep) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.keep = keep;
        writer.scheduleWithFixedDelay(this::flush, FLUSH_EVERY.toMillis(), FLUSH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    void connected(String serverId, String keyId, String agentJson, String detail) {
        add(new Event(serverId, clock.millis(), true, detail, keyId, agentJson));
    }

    void disconnected(String serverId, String detail) {
        add(new Event(serverId, clock.millis(), false, detail, null, null));
    }

    private void add(Event event) {
        if (!waiting.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    /** Writes what is waiting; a batch that cannot be written is not recorded. */
    private void flush() {
        failures.run(this::writeWaiting);
    }

    private void writeWaiting() {
        List<Event> batch = new ArrayList<>();
        waiting.drainTo(batch);
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            LOG.warn("{} agent connection events were not recorded: too many at once", lost);
        }
        if (!batch.isEmpty()) {
            jdbi.useTransaction(h -> {
                PreparedBatch insert = h.prepareBatch("INSERT INTO agent_connections (id, server_id, at, connected, detail)"
                        + " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM servers WHERE id = ?)"); // a server deleted meanwhile
                for (Event e : batch) {
                    String detail = e.detail() == null || e.detail().length() <= 255 ? e.detail() : e.detail().substring(0, 255);
                    insert.bind(0, UUID.randomUUID().toString()).bind(1, e.serverId()).bind(2, e.at()).bind(3, e.connected())
                            .bind(4, detail).bind(5, e.serverId()).add();
                }
                insert.execute();
                recordHandshakes(h, batch);
            });
        }
        long now = clock.millis();
        if (now >= nextPrune) {
            jdbi.useHandle(h -> h.createUpdate("DELETE FROM agent_connections WHERE at < ?").bind(0, now - keep.toMillis()).execute());
            nextPrune = now + Duration.ofHours(1).toMillis();
        }
    }

    /** The inventory each agent connected with, and when; a server seen later by a sample keeps that time. */
    private static void recordHandshakes(Handle h, List<Event> batch) {
        PreparedBatch servers = h.prepareBatch("UPDATE servers SET agent = ?,"
                + " last_seen = CASE WHEN last_seen IS NULL OR last_seen < ? THEN ? ELSE last_seen END WHERE id = ?");
        PreparedBatch keys = h.prepareBatch("UPDATE api_keys SET last_used_at = ? WHERE id = ?");
        for (Event e : batch) {
            if (e.connected()) {
                servers.bind(0, e.agentJson()).bind(1, e.at()).bind(2, e.at()).bind(3, e.serverId()).add();
                keys.bind(0, e.at()).bind(1, e.keyId()).add();
            }
        }
        if (servers.size() > 0) {
            servers.execute();
            keys.execute();
        }
    }

    /** Writes what is waiting, then stops. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
