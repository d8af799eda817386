package io.chatops.hub.ops;

import io.chatops.hub.db.Database;
import io.chatops.hub.metrics.MetricsStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@code /readyz} answers, at once: whether the database answered a recent check and whether
 * samples can be stored. The checks run in the background every {@link #CHECK_EVERY}, each on a
 * thread of its own and one at a time: a check of a database that is away waits for the pool's
 * 30 s timeout, far longer than a load balancer waits for {@code /readyz}, and must hold up neither
 * the request nor the hub's other jobs.
 */
public final class Readiness {
    public static final Duration CHECK_EVERY = Duration.ofSeconds(2);
    /** A database that has not answered a check for this long is taken as away. */
    static final Duration SILENT_LIMIT = Duration.ofSeconds(6);

    private final Database database;
    private final MetricsStore metrics;
    private final Clock clock;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile Instant lastAnswer;

    public Readiness(Database database, MetricsStore metrics, Clock clock) {
        this.database = database;
        this.metrics = metrics;
        this.clock = clock;
        this.lastAnswer = clock.instant(); // the database has just been opened and migrated
    }

    /** Starts a check unless one is still waiting for its answer. */
    public void check() {
        if (checking.compareAndSet(false, true)) {
            Thread.ofVirtual().name("readiness-check").start(() -> {
                try {
                    if (database.isReachable()) {
                        lastAnswer = clock.instant();
                    }
                } finally {
                    checking.set(false);
                }
            });
        }
    }

    /** Why the hub is not ready, or empty when it is. */
    public Optional<String> problem() {
        if (clock.instant().isAfter(lastAnswer.plus(SILENT_LIMIT))) {
            return Optional.of("database unreachable");
        }
        return metrics.storageProblem(lastAnswer);
    }
}
