package io.chatops.hub.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One breach of a rule by a server's subject, from its first sample to its resolution (ALERTS.md).
 * {@code value} is the value at the last change of state.
 */
record Alert(String id, String ruleId, String serverId, String subject, State state, Double value, Instant startedAt,
        Instant firingAt, Instant resolvedAt, String acknowledgedBy, Instant acknowledgedAt, Instant lastNotifiedAt) {

    enum State {
        PENDING, FIRING, RESOLVED;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Alert notifiedAt(Instant at) {
        return new Alert(id, ruleId, serverId, subject, state, value, startedAt, firingAt, resolvedAt, acknowledgedBy, acknowledgedAt, at);
    }

    Alert acknowledged(String by, Instant at) {
        return new Alert(id, ruleId, serverId, subject, state, value, startedAt, firingAt, resolvedAt, by, at, lastNotifiedAt);
    }

    boolean open() {
        return state != State.RESOLVED;
    }

    Alert firing(Instant at, Double now) {
        return new Alert(id, ruleId, serverId, subject, State.FIRING, now, startedAt, at, null, acknowledgedBy, acknowledgedAt,
                lastNotifiedAt);
    }

    Alert resolved(Instant at, Double last) {
        return new Alert(id, ruleId, serverId, subject, State.RESOLVED, last, startedAt, firingAt, at, acknowledgedBy,
                acknowledgedAt, lastNotifiedAt);
    }

    /** As the API shows it, with what the rule and the server add. */
    Map<String, Object> json(AlertRule rule, String serverName) {
        return json(rule, serverName, null);
    }

    /** {@code silencedUntil}: the end of the latest silence that covers it now, or null. */
    Map<String, Object> json(AlertRule rule, String serverName, Instant silencedUntil) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("rule_id", ruleId);
        json.put("rule_name", rule.name());
        json.put("severity", AlertRule.wire(rule.severity()));
        json.put("server_id", serverId);
        json.put("server_name", serverName);
        json.put("subject", subject.isEmpty() ? null : subject);
        json.put("state", state.wireName());
        json.put("value", value);
        json.put("threshold", rule.threshold());
        json.put("started_at", text(startedAt));
        json.put("firing_at", text(firingAt));
        json.put("resolved_at", text(resolvedAt));
        json.put("acknowledged_by", acknowledgedBy);
        json.put("acknowledged_at", text(acknowledgedAt));
        json.put("silenced_until", text(silencedUntil));
        json.put("summary", summary(rule, serverName));
        return json;
    }

    /** One line for people, like "disk / on web-01 is 93.4% full (> 90 for 5 min)". */
    String summary(AlertRule rule, String serverName) {
        String held = rule.forSeconds() == 0 ? "" : " for " + human(Duration.ofSeconds(rule.forSeconds()));
        return switch (rule.kind()) {
            case OFFLINE -> serverName + " is offline" + (held.isEmpty() ? "" : " (" + held.strip() + ")");
            case CONTAINER -> "container " + subject + " on " + serverName + " is not running or unhealthy" + held;
            case METRIC -> {
                String what = switch (rule.metric()) {
                    case DISK_PERCENT -> "disk " + subject + " on " + serverName + " is " + number(value) + "% full";
                    case NET_RECV_BYTES_PER_SECOND -> subject + " on " + serverName + " receives " + number(value) + " B/s";
                    case NET_SENT_BYTES_PER_SECOND -> subject + " on " + serverName + " sends " + number(value) + " B/s";
                    case DISK_IO_BUSY_PERCENT -> "disk " + subject + " on " + serverName + " is " + number(value) + "% busy";
                    case TEMPERATURE_CELSIUS -> subject + " on " + serverName + " is at " + number(value) + " °C";
                    case SERVICE_FAILED -> "service " + subject + " on " + serverName
                            + (value != null && value > 0 ? " has failed" : " is running again");
                    default -> rule.metric().wireName() + " on " + serverName + " is " + number(value);
                };
                yield what + " (" + rule.op().symbol + " " + number(rule.threshold()) + held + ")";
            }
        };
    }

    private static String number(Double value) {
        if (value == null) {
            return "?";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf(value.longValue())
                : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String human(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds % 3600 == 0 ? seconds / 3600 + " h" : seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
