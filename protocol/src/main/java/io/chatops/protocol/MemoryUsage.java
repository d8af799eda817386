package io.chatops.protocol;


/** Memory and swap as the kernel reports them; used is total minus available. */
public record MemoryUsage(
        long totalBytes,
        long usedBytes,
        long availableBytes,
        double usagePercent,
        long swapTotalBytes,
        long swapUsedBytes) {

    public MemoryUsage {
        Require.nonNegative("total_bytes", totalBytes);
        Require.nonNegative("used_bytes", usedBytes);
        Require.nonNegative("available_bytes", availableBytes);
        Require.percent("usage_percent", usagePercent);
        Require.nonNegative("swap_total_bytes", swapTotalBytes);
        Require.nonNegative("swap_used_bytes", swapUsedBytes);
    }
}
