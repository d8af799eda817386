package io.chatops.hub.alerts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A rule of ALERTS.md, valid by construction (built by {@link RuleParser}). {@code metric},
 * {@code op} and {@code threshold} are set for metric rules only, {@code container} for container
 * rules only.
 */
record AlertRule(String id, String name, boolean enabled, Severity severity, Kind kind, AlertMetric metric, Op op,
        Double threshold, String container, int forSeconds, Scope scope, List<String> channelIds, int repeatSeconds,
        Instant createdAt, String createdBy) {

    enum Kind { METRIC, OFFLINE, CONTAINER }

    enum Severity { INFO, WARNING, CRITICAL }

    enum Op {
        GT(">"), GE(">="), LT("<"), LE("<=");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        boolean holds(double value, double threshold) {
            return switch (this) {
                case GT -> value > threshold;
                case GE -> value >= threshold;
                case LT -> value < threshold;
                case LE -> value <= threshold;
            };
        }

        static Op parse(String symbol) {
            for (Op op : values()) {
                if (op.symbol.equals(symbol)) {
                    return op;
                }
            }
            return null;
        }
    }

    /** Which servers a rule covers: empty lists cover every server; otherwise a server matches by id or by any tag. */
    record Scope(List<String> serverIds, List<String> tags) {
        boolean covers(String serverId, List<String> serverTags) {
            if (serverIds.isEmpty() && tags.isEmpty()) {
                return true;
            }
            return serverIds.contains(serverId) || serverTags.stream().anyMatch(tags::contains);
        }

        Map<String, Object> json() {
            return Map.of("server_ids", serverIds, "tags", tags);
        }
    }

    static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("name", name);
        json.put("enabled", enabled);
        json.put("severity", wire(severity));
        json.put("kind", wire(kind));
        if (kind == Kind.METRIC) {
            json.put("metric", metric.wireName());
            json.put("op", op.symbol);
            json.put("threshold", threshold);
        }
        if (kind == Kind.CONTAINER) {
            json.put("container", container);
        }
        json.put("for_seconds", forSeconds);
        json.put("scope", scope.json());
        json.put("channel_ids", channelIds);
        json.put("repeat_seconds", repeatSeconds);
        json.put("created_at", createdAt.toString());
        json.put("created_by", createdBy);
        return json;
    }
}
