package io.chatops.hub.metrics;

import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.InterfaceCounters;
import io.chatops.protocol.Metrics;
import java.time.Duration;

/**
 * The figures of one sample that the fleet view, charts and rollups use: CPU, memory, the fullest
 * filesystem, load, and network rates over all interfaces but loopback, derived from the previous
 * sample (none for the first sample after a start, rather than an invented one).
 */
record Summary(Double cpu, Double memory, Double disk, Double load1, Double sentPerSecond, Double recvPerSecond) {

    static Summary of(Metrics sample, Metrics previous) {
        Double sent = null;
        Double recv = null;
        if (previous != null && sample.timestamp().isAfter(previous.timestamp())) {
            Duration between = Duration.between(previous.timestamp(), sample.timestamp());
            sent = CounterRate.perSecond(total(previous, true), total(sample, true), between);
            recv = CounterRate.perSecond(total(previous, false), total(sample, false), between);
        }
        return new Summary(
                sample.cpu() == null ? null : sample.cpu().usagePercent(),
                sample.memory() == null ? null : sample.memory().usagePercent(),
                sample.disks().isEmpty() ? null : sample.disks().stream().mapToDouble(DiskUsage::usagePercent).max().getAsDouble(),
                sample.cpu() == null ? null : sample.cpu().load1(),
                sent, recv);
    }

    /** Bytes over every interface but loopback, whose traffic never leaves the server. */
    private static long total(Metrics sample, boolean sent) {
        long bytes = 0;
        for (InterfaceCounters counters : sample.network()) {
            if (!counters.name().equals("lo")) {
                bytes += sent ? counters.bytesSent() : counters.bytesRecv();
            }
        }
        return bytes;
    }
}
