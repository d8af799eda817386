package io.chatops.hub.metrics;

import io.chatops.hub.db.Rows;
import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.InterfaceCounters;
import io.chatops.protocol.Metrics;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * A server's history as columns for charts: one array per figure, aligned with
 * {@code timestamps}. The tier is the finest that covers the range in at most
 * {@link #MAX_POINTS} points and still holds data that old. Where samples are missing a null point
 * is inserted, so that a chart draws a gap instead of a line across the outage.
 */
public final class MetricsHistory {
    /** Enough for a day of minutes: a 24 h chart shows minutes, not 24 hourly points. */
    static final int MAX_POINTS = 1_500;

    public enum Resolution {
        RAW(Duration.ofSeconds(5)), MINUTE(Duration.ofMinutes(1)), HOUR(Duration.ofHours(1));

        final Duration step;

        Resolution(Duration step) {
            this.step = step;
        }

        String wireName() {
            return switch (this) {
                case RAW -> "raw";
                case MINUTE -> "1m";
                case HOUR -> "1h";
            };
        }
    }

    private final Jdbi jdbi;
    private final RawTier raw;
    private final MetricsRollup.Retention retention;

    public MetricsHistory(Jdbi jdbi, MetricsRollup.Retention retention) {
        this.jdbi = jdbi;
        this.raw = new RawTier(jdbi);
        this.retention = retention;
    }

    /** The finest tier that covers {@code from}..{@code to} in at most {@link #MAX_POINTS} points and still has data from {@code from}. */
    Resolution choose(Instant from, Instant to, Instant now) {
        Duration range = Duration.between(from, to);
        if (range.dividedBy(Resolution.RAW.step) <= MAX_POINTS && !from.isBefore(now.minus(retention.raw()))) {
            return Resolution.RAW;
        }
        if (range.dividedBy(Resolution.MINUTE.step) <= MAX_POINTS && !from.isBefore(now.minus(retention.minutes()))) {
            return Resolution.MINUTE;
        }
        return Resolution.HOUR;
    }

    public Map<String, Object> query(String serverId, Instant from, Instant to, Resolution resolution) {
        return resolution == Resolution.RAW ? raw(serverId, from, to) : rollup(serverId, from, to, resolution);
    }

    private Map<String, Object> raw(String serverId, Instant from, Instant to) {
        List<Sample> samples = raw.range(serverId, from.toEpochMilli(), to.toEpochMilli());
        SeriesRollup series = SeriesRollup.perSample(samples);
        Columns columns = new Columns(false);
        List<Map<SeriesRollup.Series, SeriesRollup.Figure>> points = new ArrayList<>();
        Metrics previous = null;
        for (Sample stored : samples) {
            Metrics sample = stored.metrics();
            // Each sample says its interval: a gap is more than two and a half of them without a sample.
            Duration expected = Duration.ofSeconds(sample.intervalSeconds());
            if (previous != null && Duration.between(previous.timestamp(), sample.timestamp()).compareTo(expected.multipliedBy(5).dividedBy(2)) > 0) {
                columns.gap(previous.timestamp().plus(expected));
                points.add(null);
            }
            Summary summary = Summary.of(sample, previous);
            columns.add(sample.timestamp(), summary.cpu(), summary.memory(), summary.disk(), summary.load1(),
                    summary.sentPerSecond(), summary.recvPerSecond());
            points.add(series.at(stored.millis()));
            previous = sample;
        }
        Map<String, Object> json = columns.json(Resolution.RAW.wireName());
        SeriesColumns.put(json, points, false);
        return json;
    }

    private Map<String, Object> rollup(String serverId, Instant from, Instant to, Resolution resolution) {
        String table = resolution == Resolution.MINUTE ? "metrics_1m" : "metrics_1h";
        Columns columns = new Columns(true);
        long step = resolution.step.toMillis();
        long fromBucket = Math.floorDiv(from.toEpochMilli(), step) * step;
        List<Map<SeriesRollup.Series, SeriesRollup.Figure>> points = new ArrayList<>();
        jdbi.useHandle(h -> {
            SeriesRollup series = SeriesTiers.read(h, serverId, step, fromBucket, to.toEpochMilli());
            h.createQuery("SELECT ts, cpu_avg, cpu_max, mem_avg, mem_max, disk_avg, disk_max, load1_avg, load1_max,"
                            + " net_sent_avg, net_sent_max, net_recv_avg, net_recv_max FROM " + table
                            + " WHERE server_id = ? AND ts >= ? AND ts <= ? ORDER BY ts")
                    .bind(0, serverId).bind(1, fromBucket).bind(2, to.toEpochMilli())
                    .map((rs, ctx) -> {
                        Instant at = Instant.ofEpochMilli(rs.getLong(1));
                        if (columns.size() > 0 && Duration.between(columns.last(), at).compareTo(resolution.step.multipliedBy(3).dividedBy(2)) > 0) {
                            columns.gap(columns.last().plus(resolution.step));
                            points.add(null);
                        }
                        columns.add(at, value(rs, 2), value(rs, 4), value(rs, 6), value(rs, 8), value(rs, 10), value(rs, 12));
                        columns.addMax(value(rs, 3), value(rs, 5), value(rs, 7), value(rs, 9), value(rs, 11), value(rs, 13));
                        points.add(series.at(at.toEpochMilli()));
                        return at;
                    }).list();
        });
        Map<String, Object> json = columns.json(resolution.wireName());
        SeriesColumns.put(json, points, true);
        return json;
    }

    private static Double value(ResultSet rs, int column) throws SQLException {
        return Rows.doubleOrNull(rs, column);
    }
}
