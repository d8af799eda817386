package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** CPU busy time over the last interval, in total and per core, and the load averages. */
public record CpuUsage(
        @JsonProperty(required = true) double usagePercent,
        @JsonProperty(required = true) List<Double> perCorePercent,
        @JsonProperty(value = "load_1", required = true) double load1,
        @JsonProperty(value = "load_5", required = true) double load5,
        @JsonProperty(value = "load_15", required = true) double load15) {

    public CpuUsage {
        Require.percent("usage_percent", usagePercent);
        perCorePercent = Require.list("per_core_percent", perCorePercent);
        perCorePercent.forEach(p -> Require.percent("per_core_percent", p));
        Require.nonNegative("load_1", load1);
        Require.nonNegative("load_5", load5);
        Require.nonNegative("load_15", load15);
    }
}
