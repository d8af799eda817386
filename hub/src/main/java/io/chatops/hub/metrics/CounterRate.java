package io.chatops.hub.metrics;

import java.time.Duration;

/**
 * Turns two readings of a cumulative counter into a rate per second. A counter that went down was
 * reset (an interface came back, the host rebooted): it counts again from zero, so the rate is
 * what it counted since, never a negative or absurd number. No time between the readings gives no rate.
 */
public final class CounterRate {
    private CounterRate() {
    }

    /** The rate, or null when none can be told. */
    public static Double perSecond(long previous, long current, Duration between) {
        if (between.isNegative() || between.isZero()) {
            return null;
        }
        long counted = current >= previous ? current - previous : current;
        return counted / (between.toNanos() / 1e9);
    }
}
