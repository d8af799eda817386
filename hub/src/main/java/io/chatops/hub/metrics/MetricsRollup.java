package io.chatops.hub.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
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
    /** How long each tier is kept, by default 48 h of raw samples, 30 days of minutes, a year of hours. */
    public record Retention(Duration raw, Duration minutes, Duration hours) {
        public static final Retention DEFAULT = new Retention(Duration.ofHours(48), Duration.ofDays(30), Duration.ofDays(365));
    }

    private static final Logger LOG = LoggerFactory.getLogger(MetricsRollup.class);
    private static final String FIGURES = "cpu_avg, cpu_max, mem_avg, mem_max, disk_avg, disk_max, load1_avg, load1_max,"
            + " net_sent_avg, net_sent_max, net_recv_avg, net_recv_max";
    private static final String UPDATE_FIGURES = " ON CONFLICT (server_id, ts) DO UPDATE SET samples = excluded.samples,"
            + " cpu_avg = excluded.cpu_avg, cpu_max = excluded.cpu_max, mem_avg = excluded.mem_avg, mem_max = excluded.mem_max,"
            + " disk_avg = excluded.disk_avg, disk_max = excluded.disk_max, load1_avg = excluded.load1_avg,"
            + " load1_max = excluded.load1_max, net_sent_avg = excluded.net_sent_avg, net_sent_max = excluded.net_sent_max,"
            + " net_recv_avg = excluded.net_recv_avg, net_recv_max = excluded.net_recv_max";

    /** Averages of minutes weighted by their samples (a minute without the figure does not count), and maxima. */
    private static final String WEIGHTED = String.join(", ", java.util.stream.Stream.of("cpu", "mem", "disk", "load1", "net_sent", "net_recv")
            .map(f -> "SUM(" + f + "_avg * samples) / NULLIF(SUM(CASE WHEN " + f + "_avg IS NULL THEN 0 ELSE samples END), 0), MAX("
                    + f + "_max)")
            .toList());

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
            Set<MetricsStore.Bucket> minutes = store.takeDirtyMinutes();
            Set<MetricsStore.Bucket> hours = new HashSet<>();
            jdbi.useTransaction(h -> {
                for (MetricsStore.Bucket minute : minutes) {
                    rollMinute(h, minute);
                    hours.add(new MetricsStore.Bucket(minute.serverId(), MetricsStore.Bucket.hour(minute.start())));
                }
                for (MetricsStore.Bucket hour : hours) {
                    rollHour(h, hour);
                }
            });
            long now = clock.millis();
            jdbi.useHandle(h -> {
                h.createUpdate("DELETE FROM metrics_raw WHERE ts < ?").bind(0, now - retention.raw().toMillis()).execute();
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
                            + " SELECT server_id, (ts / 60000) * 60000, COUNT(*), AVG(cpu), MAX(cpu), AVG(mem), MAX(mem),"
                            + " AVG(disk), MAX(disk), AVG(load1), MAX(load1), AVG(net_sent), MAX(net_sent), AVG(net_recv), MAX(net_recv)"
                            + " FROM metrics_raw WHERE ts >= ? GROUP BY server_id, (ts / 60000) * 60000" + UPDATE_FIGURES)
                    .bind(0, since).execute();
            h.createUpdate("INSERT INTO metrics_1h (server_id, ts, samples, " + FIGURES + ")"
                            + " SELECT server_id, (ts / 3600000) * 3600000, SUM(samples), " + WEIGHTED
                            + " FROM metrics_1m WHERE ts >= ? GROUP BY server_id, (ts / 3600000) * 3600000" + UPDATE_FIGURES)
                    .bind(0, since).execute();
        });
    }

    private static void rollMinute(Handle h, MetricsStore.Bucket minute) {
        h.createUpdate("INSERT INTO metrics_1m (server_id, ts, samples, " + FIGURES + ")"
                        + " SELECT server_id, ?, COUNT(*), AVG(cpu), MAX(cpu), AVG(mem), MAX(mem), AVG(disk), MAX(disk),"
                        + " AVG(load1), MAX(load1), AVG(net_sent), MAX(net_sent), AVG(net_recv), MAX(net_recv)"
                        + " FROM metrics_raw WHERE server_id = ? AND ts >= ? AND ts < ? GROUP BY server_id" + UPDATE_FIGURES)
                .bind(0, minute.start()).bind(1, minute.serverId()).bind(2, minute.start()).bind(3, minute.start() + 60_000L)
                .execute();
    }

    /** Hours from minutes, each minute weighted by its number of samples. */
    private static void rollHour(Handle h, MetricsStore.Bucket hour) {
        h.createUpdate("INSERT INTO metrics_1h (server_id, ts, samples, " + FIGURES + ")"
                        + " SELECT server_id, ?, SUM(samples), " + WEIGHTED
                        + " FROM metrics_1m WHERE server_id = ? AND ts >= ? AND ts < ? GROUP BY server_id" + UPDATE_FIGURES)
                .bind(0, hour.start()).bind(1, hour.serverId()).bind(2, hour.start()).bind(3, hour.start() + 3_600_000L)
                .execute();
    }
}
