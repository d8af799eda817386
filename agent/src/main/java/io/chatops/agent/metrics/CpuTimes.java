package io.chatops.agent.metrics;

import java.util.Arrays;

/**
 * Cumulative CPU time from /proc/stat, in clock ticks: index 0 is all CPUs together, index
 * {@code 1 + n} is core {@code n}. Busy time counts user, nice, system, irq, softirq and steal;
 * idle time counts idle and iowait (a CPU waiting for a disk is free to run something else).
 * Reused between samples, so holders are swapped rather than allocated.
 */
final class CpuTimes {
    long[] busy = new long[0];
    long[] total = new long[0];
    int slots;
    long bootTimeEpochSeconds;

    int cores() {
        return slots - 1;
    }

    void ensureSlots(int needed) {
        if (busy.length < needed) {
            busy = Arrays.copyOf(busy, needed);
            total = Arrays.copyOf(total, needed);
        }
    }

    /** Busy share of time between {@code earlier} and this, in percent, for one slot; 0 when no time passed. */
    double percentSince(CpuTimes earlier, int slot) {
        long totalDelta = total[slot] - earlier.total[slot];
        long busyDelta = busy[slot] - earlier.busy[slot];
        if (totalDelta <= 0 || busyDelta < 0) {
            return 0;
        }
        return Math.min(100.0, 100.0 * busyDelta / totalDelta);
    }
}
