package io.chatops.protocol;

import java.time.Instant;
import java.util.List;

/**
 * Agent to hub, one sample every {@code intervalSeconds}. {@code seq} only grows across agent
 * restarts and identifies the sample for {@link MetricsAck} and replay. A collector that failed
 * this time is named in {@code errors} and its part is left out ({@code cpu}, {@code memory} and
 * {@code uptime_seconds} null, {@code disks} and {@code network} empty) rather than reported as zero; {@code errors} is
 * null when every collector succeeded. {@code containers} is null when the agent has no Docker.
 * The parts added after the first protocol version ({@code disk_io}, {@code temperatures},
 * {@code pressure}, {@code tcp}, {@code services}) are null when the agent does not send them: an
 * older agent, a host without sensors, pressure information or systemd, or a collector that failed.
 */
public record Metrics(
        long seq,
        Instant timestamp,
        int intervalSeconds,
        CpuUsage cpu,
        MemoryUsage memory,
        List<DiskUsage> disks,
        List<InterfaceCounters> network,
        Long uptimeSeconds,
        ContainerCounts containers,
        List<CollectorError> errors,
        List<DiskIo> diskIo,
        List<Temperature> temperatures,
        Pressure pressure,
        TcpStats tcp,
        ServiceStates services) implements Message {

    /** Devices or sensors in one sample at most: each is a series the hub keeps. */
    public static final int MAX_PARTS = 256;

    public Metrics {
        Require.positive("seq", seq);
        Require.present("timestamp", timestamp);
        Require.between("interval_seconds", intervalSeconds, 1, 3_600);
        disks = Require.list("disks", disks);
        network = Require.list("network", network);
        Require.optionalNonNegative("uptime_seconds", uptimeSeconds);
        errors = Require.optionalList("errors", errors);
        diskIo = Require.optionalList("disk_io", diskIo);
        temperatures = Require.optionalList("temperatures", temperatures);
        Require.atMost("disk_io", diskIo, MAX_PARTS);
        Require.atMost("temperatures", temperatures, MAX_PARTS);
    }

    /** A sample of the parts of the first protocol version only. */
    public Metrics(long seq, Instant timestamp, int intervalSeconds, CpuUsage cpu, MemoryUsage memory, List<DiskUsage> disks,
            List<InterfaceCounters> network, Long uptimeSeconds, ContainerCounts containers, List<CollectorError> errors) {
        this(seq, timestamp, intervalSeconds, cpu, memory, disks, network, uptimeSeconds, containers, errors, null, null, null, null, null);
    }

    /** The same sample taken at another time. */
    public Metrics withTimestamp(Instant newTimestamp) {
        return new Metrics(seq, newTimestamp, intervalSeconds, cpu, memory, disks, network, uptimeSeconds, containers, errors, diskIo,
                temperatures, pressure, tcp, services);
    }

    /** The same sample with one more error reported. */
    public Metrics withError(CollectorError error) {
        List<CollectorError> all = new java.util.ArrayList<>(errors == null ? List.of() : errors);
        all.add(error);
        return new Metrics(seq, timestamp, intervalSeconds, cpu, memory, disks, network, uptimeSeconds, containers, all, diskIo,
                temperatures, pressure, tcp, services);
    }

    /** The same sample under another sequence number. */
    public Metrics withSeq(long newSeq) {
        return new Metrics(newSeq, timestamp, intervalSeconds, cpu, memory, disks, network, uptimeSeconds, containers, errors, diskIo,
                temperatures, pressure, tcp, services);
    }
}
