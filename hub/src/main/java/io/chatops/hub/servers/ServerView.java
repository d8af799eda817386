package io.chatops.hub.servers;

import io.chatops.hub.agents.AgentGateway;
import io.chatops.hub.metrics.MetricsStore;
import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.JsonTree;
import io.chatops.protocol.Metrics;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Servers as API.md shows them: status from the live links, the agent's inventory, the latest figures. */
public final class ServerView {
    private final ServerStore servers;
    private final MetricsStore metrics;
    private final AgentGateway gateway;

    public ServerView(ServerStore servers, MetricsStore metrics, AgentGateway gateway) {
        this.servers = servers;
        this.metrics = metrics;
        this.gateway = gateway;
    }

    public List<Map<String, Object>> all() {
        return servers.all().stream().map(this::json).toList();
    }

    public Map<String, Object> one(String id) {
        return servers.row(id).map(this::json).orElseThrow();
    }

    private Map<String, Object> json(ServerStore.Row row) {
        ServerStore.Server server = row.server();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", server.id());
        json.put("name", server.name());
        json.put("tags", server.tags());
        json.put("status", gateway.isConnected(server.id()) ? "online" : row.lastSeen() == null ? "never_connected" : "offline");
        json.put("last_seen", row.lastSeen() == null ? null : row.lastSeen().toString());
        json.put("agent", agent(row.agentJson()));
        json.put("latest", latest(metrics.latest(server.id())));
        return json;
    }

    private static Object agent(String agentJson) {
        if (agentJson == null) {
            return null;
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> full = (Map<String, Object>) JsonTree.parse(agentJson);
            Map<String, Object> agent = new LinkedHashMap<>();
            for (String key : List.of("version", "hostname", "os", "kernel", "arch", "cpu_cores", "capabilities")) {
                agent.put(key, full.get(key));
            }
            return agent;
        } catch (IOException | ClassCastException e) {
            return null;
        }
    }

    private static Object latest(Metrics sample) {
        if (sample == null) {
            return null;
        }
        Map<String, Object> latest = new LinkedHashMap<>();
        latest.put("cpu_percent", sample.cpu() == null ? null : sample.cpu().usagePercent());
        latest.put("memory_percent", sample.memory() == null ? null : sample.memory().usagePercent());
        latest.put("disk_percent", sample.disks().stream().mapToDouble(DiskUsage::usagePercent).max().stream().boxed()
                .findFirst().orElse(null));
        latest.put("load_1", sample.cpu() == null ? null : sample.cpu().load1());
        return latest;
    }
}
