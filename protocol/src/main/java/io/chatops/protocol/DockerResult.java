package io.chatops.protocol;

import java.util.List;
import java.util.Map;

/**
 * The result of a Docker operation; which fields are set depends on the action: {@code list}
 * sets {@code containers}; {@code inspect} sets {@code container} and {@code config} (Docker's own
 * container configuration, passed through); {@code start}, {@code stop} and {@code restart} set
 * {@code container} as it is after the action; {@code logs} sets {@code lines}.
 */
public record DockerResult(
        List<ContainerInfo> containers,
        ContainerInfo container,
        Map<String, Object> config,
        List<LogLine> lines) {

    public DockerResult {
        containers = Require.optionalList("containers", containers);
        config = Require.optionalMap(config);
        lines = Require.optionalList("lines", lines);
    }

    public static DockerResult ofContainers(List<ContainerInfo> containers) {
        return new DockerResult(containers, null, null, null);
    }

    public static DockerResult ofContainer(ContainerInfo container) {
        return new DockerResult(null, container, null, null);
    }

    public static DockerResult ofInspect(ContainerInfo container, Map<String, Object> config) {
        return new DockerResult(null, container, config, null);
    }

    public static DockerResult ofLines(List<LogLine> lines) {
        return new DockerResult(null, null, null, lines);
    }
}
