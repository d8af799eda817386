package io.chatops.agent.metrics;

import io.chatops.protocol.CollectorError;
import io.chatops.protocol.ContainerCounts;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.DiskIo;
import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.InterfaceCounters;
import io.chatops.protocol.MemoryUsage;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.Pressure;
import io.chatops.protocol.ServiceStates;
import io.chatops.protocol.TcpStats;
import io.chatops.protocol.Temperature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What the collectors found for one sample, before it gets its sequence number. */
final class SampleBuilder {
    CpuUsage cpu;
    MemoryUsage memory;
    List<DiskUsage> disks = List.of();
    List<InterfaceCounters> network = List.of();
    Long uptimeSeconds;
    List<DiskIo> diskIo;
    List<Temperature> temperatures;
    Pressure pressure;
    TcpStats tcp;
    ServiceStates services;
    private List<CollectorError> errors;

    void addError(String collector, String message) {
        if (errors == null) {
            errors = new ArrayList<>(2);
        }
        errors.add(new CollectorError(collector, message));
    }

    Metrics build(long seq, Instant timestamp, int intervalSeconds, ContainerCounts containers) {
        return new Metrics(seq, timestamp, intervalSeconds, cpu, memory, disks, network, uptimeSeconds, containers,
                errors, diskIo, temperatures, pressure, tcp, services);
    }
}
