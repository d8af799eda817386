package io.chatops.hub.chat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatops.hub.http.ApiError;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The settings of the chat integrations (CHATOPS.md). Slack: the signing secret that proves a
 * request is Slack's, and optionally the bot token for messages beyond what a response URL allows
 * and the app-level token of Socket Mode. Mattermost: the slash command's token, the server's
 * address, and a key the hub makes to sign its buttons. Owns {@code chat_integrations}; secrets
 * are never shown again.
 */
final class ChatIntegrations {
    static final int MAX_SECRET = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The Slack app's secrets; the tokens may be absent. */
    record Slack(String signingSecret, String botToken, String appToken) {
        Map<String, Object> masked() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("signing_secret", mask(signingSecret));
            json.put("bot_token", mask(botToken));
            json.put("app_token", mask(appToken));
            return json;
        }
    }

    /** Mattermost's slash command token, its server's address (answers go only there), and the key of the hub's buttons. */
    record Mattermost(String commandToken, URI url, String actionKey) {
        Map<String, Object> masked() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("command_token", mask(commandToken));
            json.put("url", url == null ? null : url.toString());
            return json;
        }
    }

    private final Jdbi jdbi;

    ChatIntegrations(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Optional<Slack> slack() {
        return read("slack").map(config -> new Slack((String) config.get("signing_secret"), (String) config.get("bot_token"),
                (String) config.get("app_token")));
    }

    /** Replaces the fields the body names; a new configuration needs the signing secret. */
    Slack writeSlack(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object");
        }
        Slack before = slack().orElse(new Slack(null, null, null));
        Slack after = new Slack(secret(body, "signing_secret", before.signingSecret(), null),
                secret(body, "bot_token", before.botToken(), "xoxb-"), secret(body, "app_token", before.appToken(), "xapp-"));
        if (after.signingSecret() == null) {
            throw ApiError.badRequest("signing_secret is required: Slack shows it under Basic Information → App Credentials");
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("signing_secret", after.signingSecret());
        config.put("bot_token", after.botToken());
        config.put("app_token", after.appToken());
        write("slack", config);
        return after;
    }

    Optional<Mattermost> mattermost() {
        return read("mattermost").map(config -> new Mattermost((String) config.get("command_token"),
                config.get("url") == null ? null : URI.create((String) config.get("url")), (String) config.get("action_key")));
    }

    /** Replaces the fields the body names; a new configuration needs the command token. */
    Mattermost writeMattermost(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object");
        }
        Mattermost before = mattermost().orElse(new Mattermost(null, null, null));
        String token = secret(body, "command_token", before.commandToken(), null);
        if (token == null) {
            throw ApiError.badRequest("command_token is required: Mattermost shows it once the slash command is made");
        }
        URI url = before.url();
        if (body.has("url")) {
            JsonNode given = body.get("url");
            url = given.isNull() ? null : httpUrl(given);
        }
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        String actionKey = before.actionKey() != null ? before.actionKey() : java.util.HexFormat.of().formatHex(key);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("command_token", token);
        config.put("url", url == null ? null : url.toString());
        config.put("action_key", actionKey);
        write("mattermost", config);
        return new Mattermost(token, url, actionKey);
    }

    private static URI httpUrl(JsonNode given) {
        try {
            URI uri = URI.create(given.asText());
            if (given.isTextual() && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return URI.create(given.textValue().replaceAll("/+$", ""));
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiError.badRequest("url must be the Mattermost server's address, like https://mattermost.example.com");
    }

    private static String secret(JsonNode body, String field, String before, String prefix) {
        if (!body.has(field)) {
            return before;
        }
        JsonNode value = body.get(field);
        if (value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.textValue().isBlank() || value.textValue().length() > MAX_SECRET
                || !value.textValue().matches("[\\x21-\\x7e]+") || (prefix != null && !value.textValue().startsWith(prefix))) {
            throw ApiError.badRequest(field + " must be " + (prefix == null ? "" : prefix + "… , ") + "1 to " + MAX_SECRET
                    + " printable characters without blanks, or null");
        }
        return value.textValue();
    }

    private Optional<Map<String, Object>> read(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT config FROM chat_integrations WHERE name = ?").bind(0, name).mapTo(String.class)
                .findOne()).map(json -> {
                    try {
                        return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
                    } catch (Exception e) {
                        throw new IllegalStateException("the stored " + name + " integration is damaged", e);
                    }
                });
    }

    private void write(String name, Map<String, Object> config) {
        String json;
        try {
            json = JSON.writeValueAsString(config);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM chat_integrations WHERE name = ?").bind(0, name).execute();
            h.createUpdate("INSERT INTO chat_integrations (name, config) VALUES (?, ?)").bind(0, name).bind(1, json).execute();
        });
    }

    /** {@code xoxb-…wxyz}: enough to tell secrets apart, far too little to use. */
    static String mask(String secret) {
        if (secret == null) {
            return null;
        }
        int dash = secret.indexOf('-');
        String prefix = dash > 0 && dash < 6 ? secret.substring(0, dash + 1) : "";
        return prefix + "…" + secret.substring(Math.max(0, secret.length() - 4));
    }
}
