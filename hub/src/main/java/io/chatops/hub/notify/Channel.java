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
        WEBHOOK, SLACK, MATTERMOST, EMAIL, ALERTMANAGER;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where notifications are posted (null for e-mail): a hook's URL, or Alertmanager's alerts endpoint. */
    String url() {
        return switch (type) {
            case WEBHOOK -> (String) config.get("url");
            case SLACK, MATTERMOST -> (String) config.get("webhook_url");
            case ALERTMANAGER -> Alertmanager.alertsEndpoint((String) config.get("url"));
            case EMAIL -> null;
        };
    }

    /** The signing secret of a webhook channel ({@code whsec_…}), or null. */
    String secret() {
        return (String) config.get("secret");
    }

    Map<String, Object> json() {
        Map<String, Object> masked = new LinkedHashMap<>(config);
        switch (type) {
            case WEBHOOK -> masked.put("secret", maskSecret(secret()));
            case SLACK, MATTERMOST -> masked.put("webhook_url", maskUrl(url())); // the path of a Slack or Mattermost hook is its credential
            case EMAIL -> masked.computeIfPresent("password", (field, password) -> "…");
            case ALERTMANAGER -> masked.put("url", Alertmanager.maskUserInfo((String) config.get("url")));
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
