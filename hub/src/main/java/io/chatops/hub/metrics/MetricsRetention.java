package io.chatops.hub.metrics;

import io.chatops.hub.db.Locks;
import io.chatops.hub.db.TaskFailures;
import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops what is past retention, tier by tier, as whole blocks: raw blocks (one per server-hour),
 * minute blocks (one per server-hour) and hour blocks (one per server-day); on PostgreSQL whole
 * day partitions of the first two ({@link DayPartitions}). A day of a large fleet goes in a few
 * statements.
 */
public final class MetricsRetention {
    /** How long each tier is kept (the hub's options say for how long by default). */
    public record Retention(Duration raw, Duration minutes, Duration hours) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(MetricsRetention.class);
    private final TaskFailures failures = new TaskFailures(LOG, "pruning metrics past retention");

    private final Jdbi jdbi;
    private final DayPartitions partitions;
    private final Clock clock;
    private final Retention retention;

    public MetricsRetention(MetricsStore store, Jdbi jdbi, Clock clock, Retention retention) {
        this(jdbi, store.partitions(), clock, retention);
    }

    MetricsRetention(Jdbi jdbi, DayPartitions partitions, Clock clock, Retention retention) {
        this.jdbi = jdbi;
        this.partitions = partitions;
        this.clock = clock;
        this.retention = retention;
    }

    /** One pass; safe to run at any time, and again. */
    public void run() {
        failures.run(this::prune);
    }

    private void prune() {
        long now = clock.millis();
        long raw = now - retention.raw().toMillis();
        long minutes = now - retention.minutes().toMillis();
        // One hub instance at a time; the others skip this round.
        Locks.RETENTION.runIfFree(jdbi, () -> jdbi.useHandle(h -> {
            // Whole days first (PostgreSQL), then the hours of a day partly past retention.
            partitions.dropBefore(h, "metrics_blocks", raw);
            partitions.dropBefore(h, "metrics_1m_series", minutes);
            RawTier.prune(h, raw);
            SeriesTiers.prune(h, minutes, now - retention.hours().toMillis());
        }));
    }
}
