package io.chatops.hub.metrics;

import io.chatops.protocol.Metrics;
import java.time.Duration;
import java.time.Instant;
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
    private final MetricsRetention.Retention retention;

    public MetricsHistory(Jdbi jdbi, MetricsRetention.Retention retention) {
        this.jdbi = jdbi;
        this.raw = new RawTier(jdbi, DayPartitions.NONE);
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
        SeriesColumns columns = new SeriesColumns(false);
        Metrics previous = null;
        for (Sample stored : samples) {
            Metrics sample = stored.metrics();
            // Each sample says its interval: a gap is more than two and a half of them without a sample.
            Duration expected = Duration.ofSeconds(sample.intervalSeconds());
            if (previous != null && Duration.between(previous.timestamp(), sample.timestamp()).compareTo(expected.multipliedBy(5).dividedBy(2)) > 0) {
                columns.gap(previous.timestamp().plus(expected));
            }
            columns.add(sample.timestamp(), series.at(stored.millis()));
            previous = sample;
        }
        return columns.json(Resolution.RAW.wireName());
    }

    private Map<String, Object> rollup(String serverId, Instant from, Instant to, Resolution resolution) {
        long step = resolution.step.toMillis();
        SeriesRollup series = Snapshot.read(jdbi, h -> SeriesTiers.read(h, serverId, step, from.toEpochMilli(), to.toEpochMilli()));
        SeriesColumns columns = new SeriesColumns(true);
        Long previous = null;
        for (Map.Entry<Long, Map<SeriesRollup.Series, SeriesRollup.Figure>> bucket : series.buckets().entrySet()) {
            if (previous != null && bucket.getKey() - previous > step * 3 / 2) {
                columns.gap(Instant.ofEpochMilli(previous + step));
            }
            columns.add(Instant.ofEpochMilli(bucket.getKey()), bucket.getValue());
            previous = bucket.getKey();
        }
        return columns.json(resolution.wireName());
    }
}
