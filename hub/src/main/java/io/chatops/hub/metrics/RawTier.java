package io.chatops.hub.metrics;

import io.chatops.hub.db.Locks;
import io.chatops.protocol.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The samples at full detail, compactly: owns {@code metrics_open} (samples of hours not closed
 * yet, one row each, readable the moment they commit), {@code metrics_blocks} (a server's closed
 * hour as one {@link BlockCodec} block) and {@code metrics_latest} (each server's newest sample
 * as of its last closed hour, so that it outlives the retention; while the server reports, its
 * newest is among the open rows). An hour closes once it has been over for {@link #GRACE}: its
 * rows become one block in one transaction, with its minute and hour rollups ({@link SeriesTiers}),
 * so a sample is always in exactly one place. A sample that arrives for an hour already closed (an
 * agent's outbox replayed after a long outage) opens that hour again, and it closes anew later.
 * Only the metrics writer's thread writes here; with several hub instances, each writes the samples
 * of the agents it holds, and an hour is closed by one instance at a time, merging what the others
 * wrote into it meanwhile.
 */
final class RawTier {
    static final Duration HOUR = Duration.ofHours(1);
    /** How long after its end an hour stays open for late samples. */
    static final Duration GRACE = Duration.ofMinutes(5);

    static final String INSERT_OPEN = "INSERT INTO metrics_open (server_id, seq, ts, data, cpu, mem, disk, load1)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (server_id, seq) DO NOTHING";
    /** The newest sample of a closing hour, kept if it is the server's newest. */
    private static final String KEEP_LATEST = "INSERT INTO metrics_latest (server_id, seq, ts, data, cpu, mem, disk, load1)"
            + " SELECT server_id, seq, ts, data, cpu, mem, disk, load1 FROM metrics_open WHERE server_id = ? AND ts >= ? AND ts < ?"
            + " ORDER BY seq DESC LIMIT 1"
            + " ON CONFLICT (server_id) DO UPDATE SET seq = excluded.seq, ts = excluded.ts, data = excluded.data, cpu = excluded.cpu,"
            + " mem = excluded.mem, disk = excluded.disk, load1 = excluded.load1 WHERE excluded.seq > metrics_latest.seq";

    /** A sample to store, with its figures. */
    record Incoming(String serverId, Sample sample, Summary summary) {
    }

    private final Jdbi jdbi;
    private final DayPartitions partitions;
    /**
     * Each server's newest closed hour ({@link Long#MIN_VALUE}: none), read once per server: only a
     * sample that old may belong to a closed block.
     */
    private final Map<String, Long> newestClosed = new HashMap<>();

    /** @param partitions where a closing hour's blocks go (only the metrics writer closes hours; readers pass {@link DayPartitions#NONE}) */
    RawTier(Jdbi jdbi, DayPartitions partitions) {
        this.jdbi = jdbi;
        this.partitions = partitions;
    }

    static long hourOf(long millis) {
        return Math.floorDiv(millis, HOUR.toMillis()) * HOUR.toMillis();
    }

    /** Stores {@code batch} in the caller's transaction; each count is 1 for a new sample, 0 for one stored before. */
    int[] insert(Handle h, List<Incoming> batch) {
        for (Incoming in : batch) {
            long hour = hourOf(in.sample().millis());
            long closed = newestClosed.computeIfAbsent(in.serverId(), server -> h.createQuery(
                    "SELECT MAX(start) FROM metrics_blocks WHERE server_id = ?").bind(0, server).mapTo(Long.class).findOne().orElse(Long.MIN_VALUE));
            if (hour <= closed) {
                reopen(h, in.serverId(), hour);
            }
        }
        PreparedBatch insert = h.prepareBatch(INSERT_OPEN);
        for (Incoming in : batch) {
            addOpen(insert, in.serverId(), in.sample(), in.summary());
        }
        return insert.execute();
    }

    /** One open row: the sample encoded alone, with its server-wide figures (the fleet view reads them). */
    private static void addOpen(PreparedBatch insert, String serverId, Sample sample, Summary s) {
        insert.bind(0, serverId).bind(1, sample.metrics().seq()).bind(2, sample.millis()).bind(3, BlockCodec.encode(List.of(sample)))
                .bind(4, s.cpu()).bind(5, s.memory()).bind(6, s.disk()).bind(7, s.load1()).add();
    }

    /** A closed hour's block back into open rows (it closes again later, with the late sample in it). */
    private void reopen(Handle h, String serverId, long hour) {
        h.createQuery("SELECT data FROM metrics_blocks WHERE server_id = ? AND start = ?").bind(0, serverId).bind(1, hour)
                .mapTo(byte[].class).findOne().ifPresent(block -> {
                    PreparedBatch insert = h.prepareBatch(INSERT_OPEN);
                    Metrics previous = null;
                    for (Sample sample : BlockCodec.decode(block)) {
                        addOpen(insert, serverId, sample, Summary.of(sample.metrics(), previous));
                        previous = sample.metrics();
                    }
                    insert.execute();
                    h.createUpdate("DELETE FROM metrics_blocks WHERE server_id = ? AND start = ?").bind(0, serverId).bind(1, hour).execute();
                });
    }

    /**
     * Closes up to {@code limit} hours that ended more than {@link #GRACE} before {@code now}, each
     * in its own transaction; returns how many it closed (fewer than {@code limit}: none are left).
     */
    int closeDue(Instant now, int limit) {
        long openFrom = hourOf(now.minus(GRACE).toEpochMilli());
        int closed = 0;
        while (closed < limit) {
            // Each server's oldest hour that is over; a server with several comes back in the next round.
            List<Map.Entry<String, Long>> due = jdbi.withHandle(h -> h.createQuery("SELECT server_id, MIN(ts) FROM metrics_open"
                    + " WHERE ts < ? GROUP BY server_id LIMIT " + limit).bind(0, openFrom)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), hourOf(rs.getLong(2)))).list());
            if (due.isEmpty()) {
                break;
            }
            int closing = 0;
            for (Map.Entry<String, Long> hour : due.subList(0, Math.min(due.size(), limit - closed))) {
                partitions.ensure(jdbi, hour.getValue());
                if (jdbi.inTransaction(h -> close(h, hour.getKey(), hour.getValue()))) {
                    newestClosed.merge(hour.getKey(), hour.getValue(), Math::max);
                    closing++;
                }
            }
            if (closing == 0) {
                break; // what is due is being closed by other hub instances
            }
            closed += closing;
        }
        return closed;
    }

    /**
     * Closes one server-hour: its open rows, with the block of that hour if one exists (another hub
     * instance may have closed it while a late sample went to the open rows here), become one block,
     * and exactly the rows read are deleted, so that a sample written meanwhile stays open for the
     * next close. False when another instance is closing the same hour now.
     */
    private static boolean close(Handle h, String serverId, long hour) {
        if (!Locks.HOUR_CLOSE.tryInTransaction(h, Objects.hash(serverId, hour))) {
            return false;
        }
        h.createUpdate(KEEP_LATEST).bind(0, serverId).bind(1, hour).bind(2, hour + HOUR.toMillis()).execute();
        Map<Long, Sample> bySeq = new TreeMap<>();
        h.createQuery("SELECT data FROM metrics_blocks WHERE server_id = ? AND start = ?").bind(0, serverId).bind(1, hour)
                .mapTo(byte[].class).findOne().ifPresent(block -> BlockCodec.decode(block).forEach(s -> bySeq.put(s.metrics().seq(), s)));
        boolean blockExisted = !bySeq.isEmpty();
        List<Long> read = new ArrayList<>();
        h.createQuery("SELECT seq, data FROM metrics_open WHERE server_id = ? AND ts >= ? AND ts < ?")
                .bind(0, serverId).bind(1, hour).bind(2, hour + HOUR.toMillis())
                .map((rs, ctx) -> {
                    read.add(rs.getLong(1));
                    BlockCodec.decode(rs.getBytes(2)).forEach(s -> bySeq.put(s.metrics().seq(), s));
                    return 0;
                }).list();
        List<Sample> samples = new ArrayList<>(bySeq.values());
        if (blockExisted) {
            h.createUpdate("DELETE FROM metrics_blocks WHERE server_id = ? AND start = ?").bind(0, serverId).bind(1, hour).execute();
        }
        h.createUpdate("INSERT INTO metrics_blocks (server_id, start, samples, data) VALUES (?, ?, ?, ?)")
                .bind(0, serverId).bind(1, hour).bind(2, samples.size()).bind(3, BlockCodec.encode(samples)).execute();
        SeriesTiers.write(h, serverId, hour, samples);
        PreparedBatch delete = h.prepareBatch("DELETE FROM metrics_open WHERE server_id = ? AND seq = ?");
        read.forEach(seq -> delete.bind(0, serverId).bind(1, seq).add());
        if (!read.isEmpty()) {
            delete.execute();
        }
        return true;
    }

    /**
     * A server's samples from {@code from} to {@code to} (inclusive, epoch ms), by time, each once:
     * a sample can be in a block and an open row for a while, when another hub instance closed its
     * hour and the agent then sent it again here (stored, but its acknowledgement was lost); the
     * hour's next close merges the two.
     */
    List<Sample> range(String serverId, long from, long to) {
        return Snapshot.read(jdbi, h -> {
            Map<Long, Sample> bySeq = new HashMap<>();
            h.createQuery("SELECT data FROM metrics_blocks WHERE server_id = ? AND start >= ? AND start <= ? ORDER BY start")
                    .bind(0, serverId).bind(1, hourOf(from)).bind(2, to).mapTo(byte[].class)
                    .forEach(block -> BlockCodec.decode(block).stream()
                            .filter(s -> s.millis() >= from && s.millis() <= to).forEach(s -> bySeq.put(s.metrics().seq(), s)));
            open(h, serverId, from, to).forEach(s -> bySeq.put(s.metrics().seq(), s));
            List<Sample> samples = new ArrayList<>(bySeq.values());
            samples.sort(BY_TIME);
            return samples;
        });
    }

    static final Comparator<Sample> BY_TIME = Comparator.comparingLong(Sample::millis).thenComparingLong(s -> s.metrics().seq());

    /** The samples of hours not closed yet from {@code from} to {@code to} (inclusive), in no order. */
    static List<Sample> open(Handle h, String serverId, long from, long to) {
        List<Sample> samples = new ArrayList<>();
        h.createQuery("SELECT data FROM metrics_open WHERE server_id = ? AND ts >= ? AND ts <= ?")
                .bind(0, serverId).bind(1, from).bind(2, to).mapTo(byte[].class)
                .forEach(data -> samples.addAll(BlockCodec.decode(data)));
        return samples;
    }

    /** Up to {@code count} of a server's newest samples (by sequence number), newest first. */
    List<Metrics> newest(String serverId, int count) {
        return Snapshot.read(jdbi, h -> {
            TreeMap<Long, Metrics> bySeq = new TreeMap<>(Comparator.reverseOrder());
            h.createQuery("SELECT data FROM metrics_open WHERE server_id = ? ORDER BY seq DESC LIMIT " + count).bind(0, serverId)
                    .mapTo(byte[].class).forEach(data -> BlockCodec.decode(data).forEach(s -> bySeq.put(s.metrics().seq(), s.metrics())));
            // Blocks hold older hours; a few of the newest are enough unless the server was silent for long.
            for (byte[] block : h.createQuery("SELECT data FROM metrics_blocks WHERE server_id = ? ORDER BY start DESC").bind(0, serverId)
                    .mapTo(byte[].class)) {
                if (bySeq.size() >= count) {
                    break;
                }
                BlockCodec.decode(block).forEach(s -> bySeq.put(s.metrics().seq(), s.metrics()));
            }
            return bySeq.values().stream().limit(count).toList();
        });
    }

    /** The server's newest sample (by sequence number): among the open rows, or kept when its hour closed, whatever the retention. */
    java.util.Optional<Metrics> latest(String serverId) {
        return Snapshot.read(jdbi, h -> h.createQuery("SELECT data FROM metrics_open WHERE server_id = ? ORDER BY seq DESC LIMIT 1")
                .bind(0, serverId).mapTo(byte[].class).findOne()
                .or(() -> h.createQuery("SELECT data FROM metrics_latest WHERE server_id = ?").bind(0, serverId).mapTo(byte[].class).findOne()))
                .map(data -> BlockCodec.decode(data).get(0).metrics());
    }

    /** The figures of each server's newest sample: its open row at the server's last sequence number, or the one kept at close. */
    Map<String, Map<String, Object>> latestFigures() {
        return jdbi.withHandle(h -> h.createQuery("SELECT s.id, o.seq, o.cpu, o.mem, o.disk, o.load1, l.cpu, l.mem, l.disk, l.load1"
                        + " FROM servers s LEFT JOIN metrics_open o ON o.server_id = s.id AND o.seq = s.last_seq"
                        + " LEFT JOIN metrics_latest l ON l.server_id = s.id WHERE o.seq IS NOT NULL OR l.server_id IS NOT NULL")
                .map((rs, ctx) -> {
                    int from = rs.getObject(2) != null ? 3 : 7;
                    Map<String, Object> figures = new LinkedHashMap<>();
                    figures.put("cpu_percent", io.chatops.hub.db.Rows.doubleOrNull(rs, from));
                    figures.put("memory_percent", io.chatops.hub.db.Rows.doubleOrNull(rs, from + 1));
                    figures.put("disk_percent", io.chatops.hub.db.Rows.doubleOrNull(rs, from + 2));
                    figures.put("load_1", io.chatops.hub.db.Rows.doubleOrNull(rs, from + 3));
                    return Map.entry(rs.getString(1), figures);
                })
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /** Each server's newest sample (its open row at the server's last sequence number, or the one kept at close), by server id. */
    Map<String, Metrics> latestOfEach() {
        Map<String, Metrics> latest = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT s.id, COALESCE(o.data, l.data) FROM servers s"
                        + " LEFT JOIN metrics_open o ON o.server_id = s.id AND o.seq = s.last_seq"
                        + " LEFT JOIN metrics_latest l ON l.server_id = s.id WHERE o.seq IS NOT NULL OR l.server_id IS NOT NULL")
                .map((rs, ctx) -> latest.put(rs.getString(1), BlockCodec.decode(rs.getBytes(2)).get(0).metrics())).list());
        return latest;
    }

    long count(String serverId) {
        return Snapshot.read(jdbi, h -> h.createQuery("SELECT COUNT(*) FROM metrics_open WHERE server_id = ?").bind(0, serverId)
                .mapTo(Long.class).one() + h.createQuery("SELECT COALESCE(SUM(samples), 0) FROM metrics_blocks WHERE server_id = ?")
                .bind(0, serverId).mapTo(Long.class).one());
    }

    /**
     * Drops whole blocks whose hour ended before {@code cutoff}. Open rows are left to become blocks
     * first: their hour's close keeps the server's newest sample aside, which a delete here would lose.
     */
    static void prune(Handle h, long cutoff) {
        h.createUpdate("DELETE FROM metrics_blocks WHERE start < ?").bind(0, cutoff - HOUR.toMillis()).execute();
    }
}
