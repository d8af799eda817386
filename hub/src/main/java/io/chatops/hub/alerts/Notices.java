package io.chatops.hub.alerts;

import io.chatops.hub.notify.Notice;
import io.chatops.hub.servers.ServerStore;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** The notices of an alert's life: ALERTS.md's webhook body, and a title for chat and mail. */
final class Notices {
    static final String FIRING = "alert.firing";
    static final String RESOLVED = "alert.resolved";
    static final String REPEAT = "alert.repeat";
    /** "Still firing" for receivers that forget an alert they have not heard of for minutes (Alertmanager); people never see it. */
    static final String KEEP_ALIVE = "alert.refresh";

    private final URI hubUrl;

    Notices(URI hubUrl) {
        this.hubUrl = hubUrl;
    }

    Notice of(String event, Alert alert, AlertRule rule, ServerStore.Server server) {
        String link = hubUrl + "/#/servers/" + server.id();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("version", "1");
        payload.put("event", event);
        payload.put("alert", alert.json(rule, server.name()));
        payload.put("server", Map.of("id", server.id(), "name", server.name(), "tags", server.tags()));
        payload.put("hub_url", link);
        return new Notice(event, alert.id(), alert.summary(rule, server.name()), AlertRule.wire(rule.severity()), link, payload);
    }
}
