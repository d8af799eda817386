package io.chatops.agent.docker;

import io.chatops.protocol.ContainerCounts;
import io.chatops.protocol.ContainerInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Describes containers as the protocol wants them, from Docker's list plus what the list lacks:
 * the restart count (from an inspection, kept until an event says the container changed) and CPU
 * and memory of running containers. CPU is the share of host CPU time between two one-shot stats
 * readings of this catalog, as {@code docker stats} computes it, so a container's first reading
 * has no CPU figure yet. Thread-safe.
 */
final class ContainerCatalog {
    private final DockerClient client;
    private final Map<String, Integer> restartCounts = new ConcurrentHashMap<>();
    private final Map<String, CpuReading> lastCpu = new ConcurrentHashMap<>();
    private final Map<String, Usage> lastUsage = new ConcurrentHashMap<>();

    private record CpuReading(long containerNanos, long systemNanos) {
    }

    private record Usage(Double cpuPercent, Long memoryBytes) {
    }

    ContainerCatalog(DockerClient client) {
        this.client = client;
    }

    /** Every container, with fresh CPU and memory figures for the running ones. */
    List<ContainerInfo> snapshot() throws IOException {
        JsonValue list = client.list();
        List<ContainerInfo> containers = new ArrayList<>(list.size());
        Set<String> present = new HashSet<>();
        for (JsonValue entry : list) {
            String id = entry.path("Id").asText();
            present.add(id);
            if ("running".equals(entry.path("State").asText())) {
                readStats(id);
            }
            containers.add(describe(entry));
        }
        // Forget containers that are gone, so that the caches cannot grow without bound.
        restartCounts.keySet().retainAll(present);
        lastCpu.keySet().retainAll(present);
        lastUsage.keySet().retainAll(present);
        return containers;
    }

    /** One container as it is now, by its full id. */
    ContainerInfo describe(String fullId) throws IOException {
        JsonValue entry = client.listEntry(fullId);
        if (entry.isMissing()) {
            throw new DockerApiException(404, "No such container: " + fullId);
        }
        return describe(entry);
    }

    static ContainerCounts count(List<ContainerInfo> containers) {
        int running = 0;
        for (ContainerInfo container : containers) {
            if (container.state().equals("running")) {
                running++;
            }
        }
        return new ContainerCounts(running, containers.size() - running);
    }

    /** The container changed (an event): its restart count must be read again. */
    void invalidate(String fullId) {
        restartCounts.remove(fullId);
    }

    private ContainerInfo describe(JsonValue entry) throws IOException {
        String id = entry.path("Id").asText();
        Integer restarts = restartCounts.get(id);
        if (restarts == null) {
            try {
                restarts = client.inspect(id).path("RestartCount").asInt(0);
                restartCounts.put(id, restarts);
            } catch (DockerApiException e) {
                restarts = 0; // removed between the list and the inspection
            }
        }
        Usage usage = lastUsage.getOrDefault(id, new Usage(null, null));
        return ContainerMapper.fromList(entry, restarts, usage.cpuPercent(), usage.memoryBytes());
    }

    private void readStats(String id) throws IOException {
        JsonValue stats;
        try {
            stats = client.stats(id);
        } catch (DockerApiException e) {
            return; // stopped or removed meanwhile
        }
        JsonValue cpu = stats.path("cpu_stats");
        long containerNanos = cpu.path("cpu_usage").path("total_usage").asLong(-1);
        long systemNanos = cpu.path("system_cpu_usage").asLong(-1);
        int cpus = cpu.path("online_cpus").asInt(cpu.path("cpu_usage").path("percpu_usage").size());
        Double percent = null;
        if (containerNanos >= 0 && systemNanos > 0) {
            CpuReading previous = lastCpu.put(id, new CpuReading(containerNanos, systemNanos));
            if (previous != null && systemNanos > previous.systemNanos() && containerNanos >= previous.containerNanos()) {
                double share = (double) (containerNanos - previous.containerNanos()) / (systemNanos - previous.systemNanos());
                percent = Math.round(share * Math.max(1, cpus) * 100 * 100) / 100.0;
            }
        }
        lastUsage.put(id, new Usage(percent, memoryBytes(stats.path("memory_stats"))));
    }

    /** Memory as {@code docker stats} shows it: usage less the inactive page cache. */
    static Long memoryBytes(JsonValue memory) {
        if (!memory.has("usage")) {
            return null;
        }
        long usage = memory.path("usage").asLong(0);
        JsonValue stats = memory.path("stats");
        long cache = stats.has("total_inactive_file") ? stats.path("total_inactive_file").asLong(0)
                : stats.path("inactive_file").asLong(0);
        return Math.max(0, usage - (cache < usage ? cache : 0));
    }
}
