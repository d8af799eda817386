package io.chatops.hub.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The minute and hour tiers, every series in them: {@code metrics_1m_series} holds a server-hour
 * of minutes per block, {@code metrics_1h_series} a server-day (UTC) of hours per block. Both are
 * written when the hour closes into its raw block, in the same transaction; the hours still open
 * are rolled up from their samples when read, so a chart never misses the last hour.
 */
final class SeriesTiers {
    static final long MINUTE = 60_000L;
    static final long HOUR = 3_600_000L;
    static final long DAY = 86_400_000L;

    private SeriesTiers() {
    }

    /** Rolls up a closing hour's {@code samples} into its minutes' block and its day's block of hours. */
    static void write(Handle h, String serverId, long hour, List<Sample> samples) {
        List<Sample> byTime = new ArrayList<>(samples);
        byTime.sort(RawTier.BY_TIME);
        // Minutes with samples are computed anew; any other minute of the hour keeps what it had (its
        // samples are past the raw retention, and the hour was opened again by a very late sample).
        SeriesRollup minutes = stored(h, "metrics_1m_series", serverId, hour).orElseGet(SeriesRollup::new);
        minutes.putAll(SeriesRollup.of(byTime, MINUTE));
        upsert(h, "metrics_1m_series", serverId, hour, minutes);
        long day = floor(hour, DAY);
        SeriesRollup hours = stored(h, "metrics_1h_series", serverId, day).orElseGet(SeriesRollup::new);
        hours.putAll(SeriesRollup.of(byTime, HOUR));
        upsert(h, "metrics_1h_series", serverId, day, hours);
    }

    /** A server's series per {@code step} ({@link #MINUTE} or {@link #HOUR}) from {@code from} to {@code to} (inclusive). */
    static SeriesRollup read(Handle h, String serverId, long step, long from, long to) {
        boolean minutes = step == MINUTE;
        long first = floor(from, step);
        SeriesRollup rollup = new SeriesRollup();
        h.createQuery("SELECT data FROM " + (minutes ? "metrics_1m_series" : "metrics_1h_series")
                        + " WHERE server_id = ? AND start >= ? AND start <= ? ORDER BY start")
                .bind(0, serverId).bind(1, floor(from, minutes ? HOUR : DAY)).bind(2, to).mapTo(byte[].class)
                .forEach(block -> rollup.putAll(SeriesCodec.decode(block)));
        // An hour that is open (or opened again by a late sample) has all its samples among the open
        // rows, so its buckets computed from them replace whatever a block said of them.
        List<Sample> open = new ArrayList<>(RawTier.open(h, serverId, first, floor(to, step) + step - 1));
        open.sort(RawTier.BY_TIME);
        rollup.putAll(SeriesRollup.of(open, step));
        return rollup.between(first, to);
    }

    /** Drops the blocks wholly older than each tier's cutoff. */
    static void prune(Handle h, long minutesCutoff, long hoursCutoff) {
        h.createUpdate("DELETE FROM metrics_1m_series WHERE start < ?").bind(0, minutesCutoff - HOUR).execute();
        h.createUpdate("DELETE FROM metrics_1h_series WHERE start < ?").bind(0, hoursCutoff - DAY).execute();
    }

    static Optional<SeriesRollup> stored(Handle h, String table, String serverId, long start) {
        return h.createQuery("SELECT data FROM " + table + " WHERE server_id = ? AND start = ?").bind(0, serverId).bind(1, start)
                .mapTo(byte[].class).findOne().map(SeriesCodec::decode);
    }

    static void upsert(Handle h, String table, String serverId, long start, SeriesRollup rollup) {
        h.createUpdate("INSERT INTO " + table + " (server_id, start, data) VALUES (?, ?, ?)"
                        + " ON CONFLICT (server_id, start) DO UPDATE SET data = excluded.data")
                .bind(0, serverId).bind(1, start).bind(2, SeriesCodec.encode(rollup)).execute();
    }

    static long floor(long millis, long length) {
        return Math.floorDiv(millis, length) * length;
    }
}
