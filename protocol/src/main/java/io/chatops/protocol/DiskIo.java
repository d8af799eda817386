package io.chatops.protocol;

import java.util.List;

/**
 * One block device's I/O over the last interval: throughput, operations a second, and the share of
 * the interval it was busy with at least one request. {@code mounts} are the mount points of the
 * filesystems it carries (on it or on its partitions), so that a view can show space and I/O together.
 */
public record DiskIo(
        String device,
        List<String> mounts,
        double readBytesPerSecond,
        double writeBytesPerSecond,
        double readsPerSecond,
        double writesPerSecond,
        double busyPercent) {

    public DiskIo {
        Require.text("device", device);
        mounts = Require.list("mounts", mounts);
        Require.nonNegative("read_bytes_per_second", readBytesPerSecond);
        Require.nonNegative("write_bytes_per_second", writeBytesPerSecond);
        Require.nonNegative("reads_per_second", readsPerSecond);
        Require.nonNegative("writes_per_second", writesPerSecond);
        Require.percent("busy_percent", busyPercent);
    }
}
