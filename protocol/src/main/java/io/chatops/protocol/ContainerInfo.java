package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * One container as Docker describes it. {@code health}, {@code cpuPercent} and
 * {@code memoryBytes} are null when unknown (no health check, or the container is not running);
 * they are always sent, as null, so that a reader can tell "unknown" from "not sent".
 */
public record ContainerInfo(
        @JsonProperty(required = true) String id,
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) String image,
        @JsonProperty(required = true) String state,
        @JsonProperty(required = true) String status,
        @JsonInclude(JsonInclude.Include.ALWAYS) String health,
        Instant created,
        @JsonProperty(required = true) int restartCount,
        @JsonProperty(required = true) List<PortMapping> ports,
        @JsonInclude(JsonInclude.Include.ALWAYS) Double cpuPercent,
        @JsonInclude(JsonInclude.Include.ALWAYS) Long memoryBytes) {

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
