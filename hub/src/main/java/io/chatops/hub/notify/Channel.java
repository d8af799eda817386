package io.chatops.hub.notify;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A place notifications go (ALERTS.md). {@code config} holds the channel's secrets; {@link #json}
 * shows them masked, as every read after creation does.
 */
record Channel(String id, String name, Type type, Map<String, Object> config, boolean enabled, Instant createdAt) {

    enum Type {
        WEBHOOK, SLACK, MATTERMOST;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where notifications are posted. */
    String url() {
        return (String) config.get(type == Type.WEBHOOK ? "url" : "webhook_url");
    }

    /** The signing secret of a webhook channel ({@code whsec_…}), or null. */
    String secret() {
        return (String) config.get("secret");
    }

    Map<String, Object> json() {
        Map<String, Object> masked = new LinkedHashMap<>(config);
        if (type == Type.WEBHOOK) {
            masked.put("secret", maskSecret(secret()));
        } else {
            masked.put("webhook_url", maskUrl(url())); // the path of a Slack or Mattermost hook is its credential
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("name", name);
        json.put("type", type.wireName());
        json.put("config", masked);
        json.put("enabled", enabled);
        json.put("created_at", createdAt.toString());
        return json;
    }

    /** {@code whsec_…abcd}: enough to tell secrets apart, far too little to use. */
    static String maskSecret(String secret) {
        return secret == null ? null : "whsec_…" + secret.substring(Math.max(0, secret.length() - 4));
    }

    /** {@code https://hooks.slack.com/…wxyz}. */
    static String maskUrl(String url) {
        java.net.URI uri = java.net.URI.create(url);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + uri.getRawAuthority() + "/…" + path.substring(Math.max(0, path.length() - 4));
    }
}
