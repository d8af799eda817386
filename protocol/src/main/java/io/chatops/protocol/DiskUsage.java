package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Space on one real filesystem, named by its mount point. */
public record DiskUsage(
        @JsonProperty(required = true) String mount,
        @JsonProperty(required = true) String device,
        @JsonProperty(required = true) String fsType,
        @JsonProperty(required = true) long totalBytes,
        @JsonProperty(required = true) long usedBytes,
        @JsonProperty(required = true) long freeBytes,
        @JsonProperty(required = true) double usagePercent) {

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
