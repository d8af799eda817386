package io.chatops.protocol;


/** Space on one real filesystem, named by its mount point. */
public record DiskUsage(
        String mount,
        String device,
        String fsType,
        long totalBytes,
        long usedBytes,
        long freeBytes,
        double usagePercent) {

    public DiskUsage {
        Require.text("mount", mount);
        Require.text("device", device);
        Require.text("fs_type", fsType);
        Require.nonNegative("total_bytes", totalBytes);
        Require.nonNegative("used_bytes", usedBytes);
        Require.nonNegative("free_bytes", freeBytes);
        Require.percent("usage_percent", usagePercent);
    }
}
