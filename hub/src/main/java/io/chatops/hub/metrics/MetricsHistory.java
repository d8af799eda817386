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
    static final int MAX_POINTS = 1_000;

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
        List<Metrics> samples = raw.range(serverId, from.toEpochMilli(), to.toEpochMilli());
        Columns columns = new Columns(false);
        Map<String, List<Double>> disks = new LinkedHashMap<>();
        Map<String, Map<String, List<Double>>> interfaces = new LinkedHashMap<>();
        List<List<Double>> perCore = new ArrayList<>();
        List<Double> swap = new ArrayList<>();
        Metrics previous = null;
        for (Metrics sample : samples) {
            // Each sample says its interval: a gap is more than two and a half of them without a sample.
            Duration expected = Duration.ofSeconds(sample.intervalSeconds());
            if (previous != null && Duration.between(previous.timestamp(), sample.timestamp()).compareTo(expected.multipliedBy(5).dividedBy(2)) > 0) {
                columns.gap(previous.timestamp().plus(expected));
                disks.values().forEach(series -> series.add(null));
                interfaces.values().forEach(series -> series.values().forEach(s -> s.add(null)));
                perCore.forEach(series -> series.add(null));
                swap.add(null);
            }
            int index = columns.size();
            Summary summary = Summary.of(sample, previous);
            columns.add(sample.timestamp(), summary.cpu(), summary.memory(), summary.disk(), summary.load1(),
                    summary.sentPerSecond(), summary.recvPerSecond());
            for (DiskUsage disk : sample.disks()) {
                series(disks, disk.mount(), index).add(disk.usagePercent());
            }
            for (InterfaceCounters now : sample.network()) {
                Map<String, List<Double>> pair = interfaces.computeIfAbsent(now.name(), k -> new LinkedHashMap<>());
                List<Double> sent = series(pair, "sent", index);
                List<Double> recv = series(pair, "recv", index);
                InterfaceCounters before = previous == null ? null
                        : previous.network().stream().filter(c -> c.name().equals(now.name())).findFirst().orElse(null);
                Duration between = previous == null ? Duration.ZERO : Duration.between(previous.timestamp(), sample.timestamp());
                sent.add(before == null ? null : CounterRate.perSecond(before.bytesSent(), now.bytesSent(), between));
                recv.add(before == null ? null : CounterRate.perSecond(before.bytesRecv(), now.bytesRecv(), between));
            }
            if (sample.cpu() != null) {
                List<Double> cores = sample.cpu().perCorePercent();
                for (int core = 0; core < cores.size(); core++) {
                    while (perCore.size() <= core) {
                        perCore.add(nulls(index));
                    }
                    perCore.get(core).add(cores.get(core));
                }
            }
            swap.add(sample.memory() == null || sample.memory().swapTotalBytes() == 0 ? null
                    : 100.0 * sample.memory().swapUsedBytes() / sample.memory().swapTotalBytes());
            int length = columns.size();
            disks.values().forEach(series -> pad(series, length));
            interfaces.values().forEach(pair -> pair.values().forEach(series -> pad(series, length)));
            perCore.forEach(series -> pad(series, length));
            previous = sample;
        }
        Map<String, Object> json = columns.json(Resolution.RAW.wireName());
        json.put("per_core_percent", perCore.isEmpty() ? null : perCore);
        json.put("swap_percent", swap);
        json.put("disks", disks);
        json.put("interfaces", interfaces);
        return json;
    }

    private Map<String, Object> rollup(String serverId, Instant from, Instant to, Resolution resolution) {
        String table = resolution == Resolution.MINUTE ? "metrics_1m" : "metrics_1h";
        Columns columns = new Columns(true);
        long step = resolution.step.toMillis();
        long fromBucket = Math.floorDiv(from.toEpochMilli(), step) * step;
        jdbi.useHandle(h -> h.createQuery("SELECT ts, cpu_avg, cpu_max, mem_avg, mem_max, disk_avg, disk_max, load1_avg, load1_max,"
                        + " net_sent_avg, net_sent_max, net_recv_avg, net_recv_max FROM " + table
                        + " WHERE server_id = ? AND ts >= ? AND ts <= ? ORDER BY ts")
                .bind(0, serverId).bind(1, fromBucket).bind(2, to.toEpochMilli())
                .map((rs, ctx) -> {
                    Instant at = Instant.ofEpochMilli(rs.getLong(1));
                    if (columns.size() > 0 && Duration.between(columns.last(), at).compareTo(resolution.step.multipliedBy(3).dividedBy(2)) > 0) {
                        columns.gap(columns.last().plus(resolution.step));
                    }
                    columns.add(at, value(rs, 2), value(rs, 4), value(rs, 6), value(rs, 8), value(rs, 10), value(rs, 12));
                    columns.addMax(value(rs, 3), value(rs, 5), value(rs, 7), value(rs, 9), value(rs, 11), value(rs, 13));
                    return at;
                }).list());
        Map<String, Object> json = columns.json(resolution.wireName());
        // Rollups keep the fleet-level figures; per core, per disk and per interface are raw only.
        json.put("per_core_percent", null);
        json.put("swap_percent", null);
        json.put("disks", Map.of());
        json.put("interfaces", Map.of());
        return json;
    }

    private static Double value(ResultSet rs, int column) throws SQLException {
        return Rows.doubleOrNull(rs, column);
    }

    private static <K> List<Double> series(Map<K, List<Double>> all, K key, int length) {
        return all.computeIfAbsent(key, k -> nulls(length));
    }

    private static List<Double> nulls(int length) {
        List<Double> series = new ArrayList<>();
        pad(series, length);
        return series;
    }

    private static void pad(List<Double> series, int length) {
        while (series.size() < length) {
            series.add(null);
        }
    }
}
