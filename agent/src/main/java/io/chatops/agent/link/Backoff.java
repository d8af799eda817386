package io.chatops.agent.link;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential from 1 s to a 60 s cap with full jitter, so that a fleet of agents
 * that lost the hub at the same moment does not come back at the same moment. Reset once a
 * connection has held for a minute.
 */
final class Backoff {
    static final Duration BASE = Duration.ofSeconds(1);
    static final Duration CAP = Duration.ofSeconds(60);
    /** A connection that held this long was healthy: the next failure starts from the base again. */
    static final Duration RESET_AFTER = Duration.ofMinutes(1);

    private final RandomGenerator random;
    private int attempts;

    Backoff(RandomGenerator random) {
        this.random = random;
    }

    /** The delay before the next attempt: uniform between 0 and min(cap, base × 2^attempts). */
    Duration next() {
        long ceilingMillis = Math.min(CAP.toMillis(), BASE.toMillis() << Math.min(attempts, 16));
        attempts++;
        return Duration.ofMillis(random.nextLong(ceilingMillis + 1));
    }

    void reset() {
        attempts = 0;
    }

    int attempts() {
        return attempts;
    }
}
