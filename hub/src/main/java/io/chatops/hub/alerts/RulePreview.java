package io.chatops.hub.alerts;

import io.chatops.hub.alerts.AlertService.Sources;
import io.chatops.hub.servers.ServerStore;
import io.chatops.hub.text.Glob;
import io.chatops.protocol.ContainerInfo;
import io.chatops.protocol.Metrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a rule would cover right now, for the rule editor: the servers in its scope and, for each,
 * the subjects it would judge with their latest values and whether they break it already.
 */
final class RulePreview {
    /** Servers listed at most; the count covers them all. */
    static final int MAX_SERVERS = 100;

    private final ServerStore servers;
    private final Sources sources;

    RulePreview(ServerStore servers, Sources sources) {
        this.servers = servers;
        this.sources = sources;
    }

    Map<String, Object> of(AlertRule rule) {
        List<ServerStore.Row> covered = servers.all().stream()
                .filter(row -> rule.scope().covers(row.server().id(), row.server().tags()))
                .sorted(Comparator.comparing(row -> row.server().name()))
                .toList();
        List<Map<String, Object>> listed = new ArrayList<>();
        for (ServerStore.Row row : covered.subList(0, Math.min(MAX_SERVERS, covered.size()))) {
            Map<String, Object> server = new LinkedHashMap<>();
            server.put("server_id", row.server().id());
            server.put("server_name", row.server().name());
            server.put("subjects", subjects(rule, row));
            listed.add(server);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("servers_covered", covered.size());
        json.put("servers", listed);
        return json;
    }

    private List<Map<String, Object>> subjects(AlertRule rule, ServerStore.Row row) {
        String id = row.server().id();
        List<Map<String, Object>> subjects = new ArrayList<>();
        switch (rule.kind()) {
            case METRIC -> {
                List<Metrics> newest = sources.metrics().newest(id, 2);
                if (!newest.isEmpty()) {
                    rule.metric().values(newest.get(0), newest.size() > 1 ? newest.get(1) : null).forEach((subject, value) ->
                            subjects.add(subject(subject, value, rule.op().holds(value, rule.threshold()))));
                }
            }
            case OFFLINE -> subjects.add(subject(AlertMetric.SERVER, null, row.lastSeen() != null && !sources.links().isOnline(id)));
            case CONTAINER -> sources.containers().latest(id).ifPresent(report -> {
                for (ContainerInfo container : report.containers()) {
                    if (Glob.compile(rule.container()).matcher(container.name()).matches()) {
                        boolean broken = AlertEvaluator.BROKEN_STATES.contains(container.state()) || "unhealthy".equals(container.health());
                        subjects.add(subject(container.name(), null, broken));
                    }
                }
            });
        }
        return subjects;
    }

    private static Map<String, Object> subject(String subject, Double value, boolean breaks) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("subject", subject.isEmpty() ? null : subject);
        json.put("value", value);
        json.put("breaks", breaks);
        return json;
    }
}
