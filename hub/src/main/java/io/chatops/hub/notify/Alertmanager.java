package io.chatops.hub.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Prometheus Alertmanager gets (its {@code POST /api/v2/alerts}): one alert identified by its
 * labels. A firing alert carries no end when written; it gets {@code endsAt = now + 4 min} as it is
 * sent, and the hub sends it again every minute while it fires, so an alert of a hub that died ends
 * by itself instead of staying active in Alertmanager. A resolved alert ends when it resolved.
 */
final class Alertmanager {
    /** How long Alertmanager keeps a firing alert active without hearing of it again. */
    static final Duration ACTIVE_FOR = Duration.ofMinutes(4);
    static final String SOURCE = "chatops-hub";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Alertmanager() {
    }

    /** The body written to the outbox for {@code notice}. */
    static List<Map<String, Object>> body(Notice notice, Instant now) {
        Map<String, Object> labels = new LinkedHashMap<>();
        Map<String, Object> annotations = new LinkedHashMap<>();
        Map<String, Object> alert = new LinkedHashMap<>();
        annotations.put("summary", notice.title());
        if (notice.payload().get("alert") instanceof Map<?, ?> fields) {
            labels.put("alertname", fields.get("rule_name"));
            labels.put("instance", fields.get("server_name"));
            labels.put("severity", notice.severity());
            if (fields.get("subject") != null) {
                labels.put("subject", fields.get("subject"));
            }
            labels.put("source", SOURCE);
            alert.put("startsAt", fields.get("firing_at") != null ? fields.get("firing_at") : fields.get("started_at"));
            if (fields.get("resolved_at") != null) {
                alert.put("endsAt", fields.get("resolved_at"));
            }
        } else { // a test: an alert of its own, which ends by itself
            labels.put("alertname", "ChatOpsTest");
            labels.put("instance", SOURCE);
            labels.put("severity", notice.severity());
            labels.put("source", SOURCE);
            alert.put("startsAt", now.toString());
        }
        alert.put("labels", labels);
        alert.put("annotations", annotations);
        if (notice.link() != null) {
            alert.put("generatorURL", notice.link());
        }
        return List.of(alert);
    }

    /** {@code body} as sent at {@code now}: an alert without an end stays active for {@link #ACTIVE_FOR}. */
    static String atSend(String body, Instant now) {
        try {
            ArrayNode alerts = (ArrayNode) JSON.readTree(body);
            alerts.forEach(alert -> {
                if (!alert.has("endsAt")) {
                    ((ObjectNode) alert).put("endsAt", now.plus(ACTIVE_FOR).toString());
                }
            });
            return JSON.writeValueAsString(alerts);
        } catch (Exception e) {
            throw new IllegalStateException("a stored Alertmanager notification is damaged", e);
        }
    }

    /** {@code http://am:9093} → {@code http://am:9093/api/v2/alerts}, without the user and password. */
    static String alertsEndpoint(String base) {
        URI uri = URI.create(base);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        return uri.getScheme() + "://" + uri.getRawAuthority().substring(uri.getRawAuthority().indexOf('@') + 1) + path + "/api/v2/alerts";
    }

    /** Basic authorization from the URL's {@code user:password@}, or null: Alertmanager is often behind a proxy that asks. */
    static String authorization(String base) {
        String userInfo = URI.create(base).getRawUserInfo();
        if (userInfo == null) {
            return null;
        }
        String decoded = URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code http://ops:s3cret@am:9093} → {@code http://ops:…@am:9093}. */
    static String maskUserInfo(String base) {
        URI uri = URI.create(base);
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null || !userInfo.contains(":")) {
            return base;
        }
        return base.replace(userInfo + "@", userInfo.substring(0, userInfo.indexOf(':')) + ":…@");
    }
}
