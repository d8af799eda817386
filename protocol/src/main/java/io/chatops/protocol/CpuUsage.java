package io.chatops.protocol;

import java.util.List;

/** CPU busy time over the last interval, in total and per core, and the load averages. */
public record CpuUsage(
        double usagePercent,
        List<Double> perCorePercent,
        double load1,
        double load5,
        double load15) {

    public CpuUsage {
        Require.percent("usage_percent", usagePercent);
        perCorePercent = Require.list("per_core_percent", perCorePercent);
        perCorePercent.forEach(p -> Require.percent("per_core_percent", p));
        Require.nonNegative("load_1", load1);
        Require.nonNegative("load_5", load5);
        Require.nonNegative("load_15", load15);
    }
}
