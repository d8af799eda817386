package io.chatops.hub.servers;

import io.chatops.protocol.JsonTree;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Servers as API.md shows them: status from the agents' links, the agent's inventory, the latest
 * figures, the sample interval. What every front end reads for "status".
 */
public final class ServerView {
    private final ServerStore servers;
    private final LatestFigures latestFigures;
    private final AgentLinks links;
    private final int defaultIntervalSeconds;

    public ServerView(ServerStore servers, LatestFigures latestFigures, AgentLinks links, int defaultIntervalSeconds) {
        this.servers = servers;
        this.latestFigures = latestFigures;
        this.links = links;
        this.defaultIntervalSeconds = defaultIntervalSeconds;
    }

    public List<Map<String, Object>> all() {
        Map<String, Map<String, Object>> latest = latestFigures.byServer();
        return servers.all().stream().map(row -> json(row, latest)).toList();
    }

    public Map<String, Object> one(String id) {
        return servers.row(id).map(row -> json(row, latestFigures.byServer())).orElseThrow();
    }

    private Map<String, Object> json(ServerStore.Row row, Map<String, Map<String, Object>> latest) {
        ServerStore.Server server = row.server();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", server.id());
        json.put("name", server.name());
        json.put("tags", server.tags());
        Optional<String> linkedAgent = links.agentJson(server.id()); // a link here: connected, even before its handshake is stored
        boolean everSeen = row.lastSeen() != null || linkedAgent.isPresent();
        json.put("status", links.isOnline(server.id()) ? "online" : everSeen ? "offline" : "never_connected");
        json.put("last_seen", row.lastSeen() == null ? null : row.lastSeen().toString());
        json.put("online_since", links.onlineSince(server.id()).map(Object::toString).orElse(null));
        json.put("metrics_interval_seconds", server.metricsIntervalSeconds());
        json.put("effective_metrics_interval_seconds",
                server.metricsIntervalSeconds() == null ? defaultIntervalSeconds : server.metricsIntervalSeconds());
        json.put("agent", agent(linkedAgent.orElse(row.agentJson())));
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
