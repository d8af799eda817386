package io.chatops.agent.metrics;

/** Rates from two readings of a cumulative counter, with two decimals as {@link CpuCollector#round} keeps every figure. */
final class Rates {
    private Rates() {
    }

    static double perSecond(long delta, double seconds) {
        return CpuCollector.round(delta / seconds);
    }
}
