package io.chatops.hub.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the minute and hour rollups current and old data pruned. Every run recomputes the minutes
 * that received samples since the last run (a sample replayed after an outage lands in its own
 * minute, however late) and the hours that contain them, then deletes what is past retention.
 */
public final class MetricsRollup {
    /** How long each tier is kept (the hub's options say for how long by default). */
    public record Retention(Duration raw, Duration minutes, Duration hours) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(MetricsRollup.class);
    private static final String FIGURES = "cpu_avg, cpu_max, mem_avg, mem_max, disk_avg, disk_max, load1_avg, load1_max,"
            + " net_sent_avg, net_sent_max, net_recv_avg, net_recv_max";
    private static final String UPDATE_FIGURES = " ON CONFLICT (server_id, ts) DO UPDATE SET samples = excluded.samples,"
            + " cpu_avg = excluded.cpu_avg, cpu_max = excluded.cpu_max, mem_avg = excluded.mem_avg, mem_max = excluded.mem_max,"
            + " disk_avg = excluded.disk_avg, disk_max = excluded.disk_max, load1_avg = excluded.load1_avg,"
            + " load1_max = excluded.load1_max, net_sent_avg = excluded.net_sent_avg, net_sent_max = excluded.net_sent_max,"
            + " net_recv_avg = excluded.net_recv_avg, net_recv_max = excluded.net_recv_max";

    /** A minute's figures from its raw samples: their number, then average and maximum of each. */
    private static final String RAW_AGGREGATES = "COUNT(*), AVG(cpu), MAX(cpu), AVG(mem), MAX(mem), AVG(disk), MAX(disk),"
            + " AVG(load1), MAX(load1), AVG(net_sent), MAX(net_sent), AVG(net_recv), MAX(net_recv)";

    /** Averages of minutes weighted by their samples (a minute without the figure does not count), and maxima. */
    private static final String WEIGHTED = String.join(", ", java.util.stream.Stream.of("cpu", "mem", "disk", "load1", "net_sent", "net_recv")
            .map(f -> "SUM(" + f + "_avg * samples) / NULLIF(SUM(CASE WHEN " + f + "_avg IS NULL THEN 0 ELSE samples END), 0), MAX("
                    + f + "_max)")
            .toList());

    /** Buckets per statement: three parameters each, well below SQLite's and PostgreSQL's limits. */
    private static final int CHUNK = 1_000;

    private final MetricsStore store;
    private final Jdbi jdbi;
    private final Clock clock;
    private final Retention retention;

    public MetricsRollup(MetricsStore store, Clock clock, Retention retention) {
        this.store = store;
        this.jdbi = store.jdbi();
        this.clock = clock;
        this.retention = retention;
    }

    /** One pass: roll up what changed, prune what expired. Safe to run at any time, and again. */
    public void run() {
        try {
            List<MetricsStore.Bucket> minutes = List.copyOf(store.takeDirtyMinutes());
            List<MetricsStore.Bucket> hours = minutes.stream()
                    .map(minute -> new MetricsStore.Bucket(minute.serverId(), MetricsStore.Bucket.hour(minute.start())))
                    .distinct().toList();
            // One statement per chunk of buckets, each in its own short transaction: SQLite has a
            // single writer, and the ingest batches must not wait behind thousands of statements.
            for (int i = 0; i < minutes.size(); i += CHUNK) {
                List<MetricsStore.Bucket> chunk = minutes.subList(i, Math.min(minutes.size(), i + CHUNK));
                jdbi.useHandle(h -> roll(h, MINUTES_OF, 60_000L, chunk));
            }
            for (int i = 0; i < hours.size(); i += CHUNK) {
                List<MetricsStore.Bucket> chunk = hours.subList(i, Math.min(hours.size(), i + CHUNK));
                jdbi.useHandle(h -> roll(h, HOURS_OF, 3_600_000L, chunk));
            }
            long now = clock.millis();
            jdbi.useHandle(h -> {
                RawTier.prune(h, now - retention.raw().toMillis());
                SeriesTiers.prune(h, now - retention.minutes().toMillis(), now - retention.hours().toMillis());
                h.createUpdate("DELETE FROM metrics_1m WHERE ts < ?").bind(0, now - retention.minutes().toMillis()).execute();
                h.createUpdate("DELETE FROM metrics_1h WHERE ts < ?").bind(0, now - retention.hours().toMillis()).execute();
            });
        } catch (RuntimeException e) {
            LOG.error("the metrics rollup failed; it is tried again next minute", e);
        }
    }

    /**
     * Recomputes every minute and hour of the last {@code window} for all servers: at start-up, for
     * minutes whose samples arrived just before the previous hub stopped without rolling them up.
     */
    public void catchUp(Duration window) {
        long since = Math.floorDiv(clock.millis() - window.toMillis(), 3_600_000L) * 3_600_000L;
        jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO metrics_1m (server_id, ts, samples, " + FIGURES + ")"
                            + " SELECT server_id, (ts / 60000) * 60000, " + RAW_AGGREGATES
                            + " FROM metrics_open WHERE ts >= ? GROUP BY server_id, (ts / 60000) * 60000" + UPDATE_FIGURES)
                    .bind(0, since).execute();
            h.createUpdate("INSERT INTO metrics_1h (server_id, ts, samples, " + FIGURES + ")"
                            + " SELECT server_id, (ts / 3600000) * 3600000, SUM(samples), " + WEIGHTED
                            + " FROM metrics_1m WHERE ts >= ? GROUP BY server_id, (ts / 3600000) * 3600000" + UPDATE_FIGURES)
                    .bind(0, since).execute();
        });
    }

    /** Brings the minutes and the hour of one server's hour up to date from its open samples, before they become a block. */
    static void rollUpHour(Handle h, String serverId, long hourStart) {
        List<MetricsStore.Bucket> minutes = new java.util.ArrayList<>();
        for (long minute = hourStart; minute < hourStart + 3_600_000L; minute += 60_000L) {
            minutes.add(new MetricsStore.Bucket(serverId, minute));
        }
        roll(h, MINUTES_OF, 60_000L, minutes);
        roll(h, HOURS_OF, 3_600_000L, List.of(new MetricsStore.Bucket(serverId, hourStart)));
    }

    /**
     * Recomputes the rollup of each bucket (a server and the start of a minute or hour) in one
     * statement: {@code source} is a SELECT over the bucket list {@code dirty(server_id, start)}.
     */
    private static void roll(Handle h, String source, long length, List<MetricsStore.Bucket> buckets) {
        String values = String.join(", ", java.util.Collections.nCopies(buckets.size(), "(?, ?, ?)"));
        var update = h.createUpdate("WITH dirty (server_id, start, stop) AS (VALUES " + values + ") " + source + UPDATE_FIGURES);
        int position = 0;
        for (MetricsStore.Bucket bucket : buckets) {
            update.bind(position++, bucket.serverId()).bind(position++, bucket.start()).bind(position++, bucket.start() + length);
        }
        update.execute();
    }

    private static final String MINUTES_OF = "INSERT INTO metrics_1m (server_id, ts, samples, " + FIGURES + ")"
            + " SELECT d.server_id, d.start, " + RAW_AGGREGATES
            + " FROM dirty d JOIN metrics_open r ON r.server_id = d.server_id AND r.ts >= d.start AND r.ts < d.stop"
            + " GROUP BY d.server_id, d.start";

    /** Hours from minutes, each minute weighted by its number of samples. */
    private static final String HOURS_OF = "INSERT INTO metrics_1h (server_id, ts, samples, " + FIGURES + ")"
            + " SELECT d.server_id, d.start, SUM(samples), " + WEIGHTED
            + " FROM dirty d JOIN metrics_1m r ON r.server_id = d.server_id AND r.ts >= d.start AND r.ts < d.stop"
            + " GROUP BY d.server_id, d.start";
}
