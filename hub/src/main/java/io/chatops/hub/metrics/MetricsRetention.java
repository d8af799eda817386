package io.chatops.hub.metrics;

import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops what is past retention, tier by tier, as whole blocks: raw blocks (one per server-hour),
 * minute blocks (one per server-hour) and hour blocks (one per server-day). Nothing is deleted
 * row by row, so a day of a large fleet goes in a few statements.
 */
public final class MetricsRetention {
    /** How long each tier is kept (the hub's options say for how long by default). */
    public record Retention(Duration raw, Duration minutes, Duration hours) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(MetricsRetention.class);

    private final Jdbi jdbi;
    private final Clock clock;
    private final Retention retention;

    public MetricsRetention(Jdbi jdbi, Clock clock, Retention retention) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.retention = retention;
    }

    /** One pass; safe to run at any time, and again. */
    public void run() {
        try {
            long now = clock.millis();
            jdbi.useHandle(h -> {
                RawTier.prune(h, now - retention.raw().toMillis());
                SeriesTiers.prune(h, now - retention.minutes().toMillis(), now - retention.hours().toMillis());
            });
        } catch (RuntimeException e) {
            LOG.error("pruning metrics past retention failed; it is tried again next minute", e);
        }
    }
}
