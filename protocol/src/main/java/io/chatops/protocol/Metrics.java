package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * Agent to hub, one sample every {@code intervalSeconds}. {@code seq} only grows across agent
 * restarts and identifies the sample for {@link MetricsAck} and replay. {@code containers} is null
 * when the agent has no Docker; {@code errors} is null when every collector succeeded.
 */
public record Metrics(
        @JsonProperty(required = true) long seq,
        @JsonProperty(required = true) Instant timestamp,
        @JsonProperty(required = true) int intervalSeconds,
        @JsonProperty(required = true) CpuUsage cpu,
        @JsonProperty(required = true) MemoryUsage memory,
        @JsonProperty(required = true) List<DiskUsage> disks,
        @JsonProperty(required = true) List<InterfaceCounters> network,
        @JsonProperty(required = true) long uptimeSeconds,
        ContainerCounts containers,
        List<CollectorError> errors) implements Message {

    public Metrics {
        Require.positive("seq", seq);
        Require.present("timestamp", timestamp);
        Require.between("interval_seconds", intervalSeconds, 1, 3_600);
        Require.present("cpu", cpu);
        Require.present("memory", memory);
        disks = Require.list("disks", disks);
        network = Require.list("network", network);
        Require.nonNegative("uptime_seconds", uptimeSeconds);
        errors = Require.optionalList("errors", errors);
    }

    /** The same sample under another sequence number. */
    public Metrics withSeq(long newSeq) {
        return new Metrics(newSeq, timestamp, intervalSeconds, cpu, memory, disks, network, uptimeSeconds,
                containers, errors);
    }
}
