package io.chatops.protocol;

/**
 * Pressure stall information over the last 10 s: the share of time some (or all) runnable tasks
 * waited for CPU, memory or I/O. Null where the kernel does not report that figure.
 */
public record Pressure(
        Double cpuSomeAvg10,
        Double memorySomeAvg10,
        Double memoryFullAvg10,
        Double ioSomeAvg10,
        Double ioFullAvg10) {

    public Pressure {
        Require.optionalPercent("cpu_some_avg10", cpuSomeAvg10);
        Require.optionalPercent("memory_some_avg10", memorySomeAvg10);
        Require.optionalPercent("memory_full_avg10", memoryFullAvg10);
        Require.optionalPercent("io_some_avg10", ioSomeAvg10);
        Require.optionalPercent("io_full_avg10", ioFullAvg10);
    }
}
