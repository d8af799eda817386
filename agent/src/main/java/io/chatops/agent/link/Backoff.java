package io.chatops.agent.link;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential from 1 s to a 60 s cap with full jitter, so that a fleet of agents
 * that lost the hub at the same moment does not come back at the same moment. Reset once a
 * connection has held for a minute. A connection refused outright (the hub's port is closed: it is
 * restarting) costs the hub nothing, so for the first {@link #QUICK_REFUSALS} attempts such a
 * refusal is retried within {@link #REFUSED_CAP} instead: after a restart of several seconds the
 * fleet is back within seconds, not after waits that grew to 16 or 32 s while it was down.
 */
final class Backoff {
    static final Duration BASE = Duration.ofSeconds(1);
    static final Duration CAP = Duration.ofSeconds(60);
    /** A connection that held this long was healthy: the next failure starts from the base again. */
    static final Duration RESET_AFTER = Duration.ofMinutes(1);

    static final Duration REFUSED_CAP = Duration.ofSeconds(4);
    /** About a minute of quick retries (2 s apart on average); a hub down longer is waited for as usual. */
    static final int QUICK_REFUSALS = 30;

    private final RandomGenerator random;
    private int attempts;

    Backoff(RandomGenerator random) {
        this.random = random;
    }

    /** The delay before the next attempt: uniform between 0 and min(cap, base × 2^attempts). */
    Duration next() {
        return jitteredWithin(CAP);
    }

    /** The delay after the connection was refused: as {@link #next()}, within {@link #REFUSED_CAP} for the first attempts. */
    Duration nextAfterRefusal() {
        return jitteredWithin(attempts < QUICK_REFUSALS ? REFUSED_CAP : CAP);
    }

    private Duration jitteredWithin(Duration cap) {
        long ceilingMillis = Math.min(cap.toMillis(), BASE.toMillis() << Math.min(attempts, 16));
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
