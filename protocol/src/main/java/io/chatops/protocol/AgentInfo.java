package io.chatops.protocol;

import java.time.Instant;
import java.util.List;

/**
 * The agent's inventory, sent inside {@link Auth}. Fields the agent could not read are null;
 * {@code capabilities} is what the agent's own configuration allows (see {@link Capability}), and
 * the hub never widens it.
 */
public record AgentInfo(
        String version,
        String hostname,
        String machineId,
        String os,
        String kernel,
        String arch,
        String cpuModel,
        int cpuCores,
        long memoryTotalBytes,
        Instant bootTime,
        String dockerVersion,
        List<String> capabilities) {

    public AgentInfo {
        Require.text("version", version);
        Require.text("hostname", hostname);
        Require.between("cpu_cores", cpuCores, 1, 65_536);
        Require.nonNegative("memory_total_bytes", memoryTotalBytes);
        capabilities = Require.list("capabilities", capabilities);
        capabilities.forEach(c -> Require.text("capabilities", c));
    }

    public boolean can(String capability) {
        return capabilities.contains(capability);
    }
}
