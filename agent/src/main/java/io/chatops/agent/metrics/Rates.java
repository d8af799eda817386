package io.chatops.agent.metrics;

/** Rates from two readings of a cumulative counter, with two decimals: more than a 5 s average can tell. */
final class Rates {
    private Rates() {
    }

    static double perSecond(long delta, double seconds) {
        return round(delta / seconds);
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
