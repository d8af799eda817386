package io.chatops.hub.metrics;

import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.ProtocolException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Raw samples as the agents sent them. Storing is idempotent: a sample whose sequence number is
 * already stored for its server changes nothing, so an agent may resend freely after a reconnect.
 */
public final class MetricsStore {
    private static final MessageCodec CODEC = new MessageCodec();
    private final Jdbi jdbi;
    /** Each server's newest sample, for rates; one entry per server. */
    private final Map<String, Metrics> previous = new ConcurrentHashMap<>();
    private final Set<Bucket> dirtyMinutes = ConcurrentHashMap.newKeySet();

    public MetricsStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Stores {@code sample} (its JSON in {@code json}) durably; false when it was stored before. */
    public boolean store(String serverId, Metrics sample, String json) {
        Summary summary = Summary.of(sample, previous.get(serverId));
        boolean stored = jdbi.inTransaction(h -> {
            int inserted = h.createUpdate("INSERT INTO metrics_raw (server_id, seq, ts, sample, cpu, mem, disk, load1, net_sent, net_recv)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (server_id, seq) DO NOTHING")
                    .bind(0, serverId).bind(1, sample.seq()).bind(2, sample.timestamp().toEpochMilli()).bind(3, json)
                    .bind(4, summary.cpu()).bind(5, summary.memory()).bind(6, summary.disk()).bind(7, summary.load1())
                    .bind(8, summary.sentPerSecond()).bind(9, summary.recvPerSecond())
                    .execute();
            h.createUpdate("UPDATE servers SET last_seq = ?, last_seen = ? WHERE id = ? AND last_seq < ?")
                    .bind(0, sample.seq()).bind(1, System.currentTimeMillis()).bind(2, serverId).bind(3, sample.seq())
                    .execute();
            return inserted == 1;
        });
        if (stored) {
            Metrics before = previous.get(serverId);
            if (before == null || sample.timestamp().isAfter(before.timestamp())) {
                previous.put(serverId, sample);
            }
            dirtyMinutes.add(new Bucket(serverId, Bucket.minute(sample.timestamp().toEpochMilli())));
        }
        return stored;
    }

    /** A server's minute (or hour) whose rollup must be computed again. */
    record Bucket(String serverId, long start) {
        static long minute(long millis) {
            return Math.floorDiv(millis, 60_000L) * 60_000L;
        }

        static long hour(long millis) {
            return Math.floorDiv(millis, 3_600_000L) * 3_600_000L;
        }
    }

    /** Minutes with new samples since the last rollup; taken by {@link MetricsRollup}. */
    Set<Bucket> takeDirtyMinutes() {
        Set<Bucket> taken = new HashSet<>();
        for (Bucket bucket : dirtyMinutes) {
            dirtyMinutes.remove(bucket);
            taken.add(bucket);
        }
        return taken;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /** The highest sequence number stored for the server; 0 when none. */
    public long lastSeq(String serverId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT last_seq FROM servers WHERE id = ?")
                .bind(0, serverId).mapTo(Long.class).findOne().orElse(0L));
    }

    /** The newest stored sample of the server, or null. */
    public Metrics latest(String serverId) {
        List<Metrics> newest = newest(serverId, 1);
        return newest.isEmpty() ? null : newest.get(0);
    }

    /** Up to {@code count} of the newest samples, newest first. */
    public List<Metrics> newest(String serverId, int count) {
        return jdbi.withHandle(h -> h.createQuery("SELECT sample FROM metrics_raw WHERE server_id = ? ORDER BY seq DESC LIMIT " + count)
                .bind(0, serverId).mapTo(String.class).list()).stream().map(json -> {
                    try {
                        return (Metrics) CODEC.decode(json);
                    } catch (ProtocolException | ClassCastException e) {
                        // Stored by this hub after decoding it, so only tampering gets here.
                        throw new IllegalStateException("a stored sample of server " + serverId + " is damaged", e);
                    }
                }).toList();
    }

    public long count(String serverId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM metrics_raw WHERE server_id = ?")
                .bind(0, serverId).mapTo(Long.class).one());
    }
}
