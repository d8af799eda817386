package io.chatops.hub.alerts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A silence: alerts it matches send nothing until {@code until}. A null field matches anything. */
record Silence(String id, String serverId, String ruleId, String subject, Instant until, String reason, String createdBy,
        Instant createdAt) {

    boolean silences(Alert alert, Instant now) {
        return now.isBefore(until)
                && (serverId == null || serverId.equals(alert.serverId()))
                && (ruleId == null || ruleId.equals(alert.ruleId()))
                && (subject == null || subject.equals(alert.subject()));
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("server_id", serverId);
        json.put("rule_id", ruleId);
        json.put("subject", subject);
        json.put("until", until.toString());
        json.put("reason", reason);
        json.put("created_by", createdBy);
        json.put("created_at", createdAt.toString());
        return json;
    }
}
