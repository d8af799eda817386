package io.chatops.protocol;

import java.time.Instant;
import java.util.List;

/**
 * One container as Docker describes it. {@code health}, {@code cpuPercent} and
 * {@code memoryBytes} are null when unknown (no health check, or the container is not running);
 * they are always sent, as null, so that a reader can tell "unknown" from "not sent".
 */
public record ContainerInfo(
        String id,
        String name,
        String image,
        String state,
        String status,
        String health,
        Instant created,
        int restartCount,
        List<PortMapping> ports,
        Double cpuPercent,
        Long memoryBytes) {

    public ContainerInfo {
        Require.text("id", id);
        Require.text("name", name);
        Require.present("image", image);
        Require.text("state", state);
        Require.present("status", status);
        Require.optionalText("health", health);
        Require.nonNegative("restart_count", restartCount);
        ports = Require.list("ports", ports);
        // Docker reports CPU across all cores, so a busy container may exceed 100 %.
        Require.optionalNonNegative("cpu_percent", cpuPercent);
        Require.optionalNonNegative("memory_bytes", memoryBytes);
    }
}
