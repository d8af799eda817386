package io.chatops.hub.servers;

import io.chatops.hub.agents.AgentGateway;
import io.chatops.hub.metrics.MetricsStore;
import io.chatops.protocol.JsonTree;
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
        Map<String, Map<String, Object>> latest = metrics.latestFigures();
        return servers.all().stream().map(row -> json(row, latest)).toList();
    }

    public Map<String, Object> one(String id) {
        return servers.row(id).map(row -> json(row, metrics.latestFigures())).orElseThrow();
    }

    private Map<String, Object> json(ServerStore.Row row, Map<String, Map<String, Object>> latest) {
        ServerStore.Server server = row.server();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", server.id());
        json.put("name", server.name());
        json.put("tags", server.tags());
        json.put("status", gateway.isConnected(server.id()) ? "online" : row.lastSeen() == null ? "never_connected" : "offline");
        json.put("last_seen", row.lastSeen() == null ? null : row.lastSeen().toString());
        json.put("online_since", gateway.onlineSince(server.id()).map(Object::toString).orElse(null));
        json.put("agent", agent(row.agentJson()));
        json.put("latest", latest.get(server.id()));
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
}
