package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Memory and swap as the kernel reports them; used is total minus available. */
public record MemoryUsage(
        @JsonProperty(required = true) long totalBytes,
        @JsonProperty(required = true) long usedBytes,
        @JsonProperty(required = true) long availableBytes,
        @JsonProperty(required = true) double usagePercent,
        @JsonProperty(required = true) long swapTotalBytes,
        @JsonProperty(required = true) long swapUsedBytes) {

    public MemoryUsage {
        Require.nonNegative("total_bytes", totalBytes);
        Require.nonNegative("used_bytes", usedBytes);
        Require.nonNegative("available_bytes", availableBytes);
        Require.percent("usage_percent", usagePercent);
        Require.nonNegative("swap_total_bytes", swapTotalBytes);
        Require.nonNegative("swap_used_bytes", swapUsedBytes);
    }
}
