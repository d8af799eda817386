package io.chatops.hub.metrics;

import io.chatops.protocol.ContainerInfo;
import io.chatops.protocol.Containers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A running container's CPU and memory, stored with each sample for the container charts. Agents
 * report containers every 30 s and at every Docker event, not with each sample; a sample takes
 * the figures of the report nearest it when that report is at most {@link #NEAR} away (so a
 * sample replayed after an outage gets none rather than today's), like a scrape that holds a value
 * until the next one.
 */
public record ContainerLoad(String name, double cpuPercent, long memoryBytes) {
    static final Duration NEAR = Duration.ofSeconds(45);
    /** Containers kept per sample at most; a report may name more, the busiest are kept. */
    static final int MAX_PER_SAMPLE = 200;

    /** The containers of {@code report} with both figures known, if the report is near enough to {@code at}. */
    public static List<ContainerLoad> of(Containers report, Instant at) {
        if (report == null || Duration.between(report.timestamp(), at).abs().compareTo(NEAR) > 0) {
            return List.of();
        }
        return report.containers().stream()
                .filter(c -> c.cpuPercent() != null && c.memoryBytes() != null)
                .sorted(java.util.Comparator.comparingDouble(ContainerInfo::cpuPercent).reversed())
                .limit(MAX_PER_SAMPLE)
                .sorted(java.util.Comparator.comparing(ContainerInfo::name)) // the same order in every sample encodes smaller
                .map(c -> new ContainerLoad(c.name(), c.cpuPercent(), c.memoryBytes()))
                .toList();
    }
}
