package io.chatops.hub.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.http.ApiError;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a channel from its JSON, refusing anything invalid with a 400 that names the field. */
final class ChannelParser {
    static final int MAX_NAME = 128;
    static final int MAX_URL = 2_048;

    private ChannelParser() {
    }

    /** A new channel; a webhook without a secret gets a generated one. */
    static Channel create(JsonNode body, String id, Instant now) {
        String name = name(body);
        Channel.Type type = type(body);
        return new Channel(id, name, type, config(type, body.path("config"), null), enabled(body, true), now);
    }

    /** {@code channel} with what a PATCH names replaced; the config's fields replace one by one, the type stays. */
    static Channel patch(Channel channel, JsonNode body) {
        if (body.has("type") && !body.path("type").asText().equals(channel.type().wireName())) {
            throw ApiError.badRequest("type cannot change; create another channel");
        }
        String name = body.has("name") ? name(body) : channel.name();
        Map<String, Object> config = body.has("config") ? config(channel.type(), body.path("config"), channel.config()) : channel.config();
        return new Channel(channel.id(), name, channel.type(), config, enabled(body, channel.enabled()), channel.createdAt());
    }

    private static String name(JsonNode body) {
        JsonNode name = body.path("name");
        if (!name.isTextual() || name.textValue().isBlank() || name.textValue().length() > MAX_NAME) {
            throw ApiError.badRequest("name must be text of 1 to " + MAX_NAME + " characters");
        }
        return name.textValue().strip();
    }

    private static Channel.Type type(JsonNode body) {
        String type = body.path("type").asText();
        for (Channel.Type option : Channel.Type.values()) {
            if (option.wireName().equals(type)) {
                return option;
            }
        }
        throw ApiError.badRequest("type must be one of webhook, slack, mattermost, email, alertmanager");
    }

    private static boolean enabled(JsonNode body, boolean fallback) {
        if (!body.has("enabled")) {
            return fallback;
        }
        if (!body.get("enabled").isBoolean()) {
            throw ApiError.badRequest("enabled must be true or false");
        }
        return body.get("enabled").booleanValue();
    }

    private static Map<String, Object> config(Channel.Type type, JsonNode given, Map<String, Object> before) {
        if (!given.isObject()) {
            throw ApiError.badRequest("config must be an object");
        }
        return switch (type) {
            case WEBHOOK -> webhook(given, before);
            case SLACK, MATTERMOST -> Map.of("webhook_url", keptOr(given, before, "webhook_url"));
            case ALERTMANAGER -> Map.of("url", keptOr(given, before, "url"));
            case EMAIL -> MailSettings.parse(given, before).config();
        };
    }

    private static Map<String, Object> webhook(JsonNode given, Map<String, Object> before) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("url", keptOr(given, before, "url"));
        JsonNode secret = given.path("secret");
        if (secret.isMissingNode() || secret.isNull()) {
            config.put("secret", before == null ? WebhookSigner.newSecret() : before.get("secret"));
        } else if (!secret.isTextual() || !WebhookSigner.validSecret(secret.textValue())) {
            throw ApiError.badRequest("config.secret must be whsec_ followed by at least 16 bytes in base64");
        } else {
            config.put("secret", secret.textValue());
        }
        return config;
    }

    /** The URL {@code field} as given, or as it was when a change does not name it. */
    private static String keptOr(JsonNode given, Map<String, Object> before, String field) {
        return given.has(field) || before == null ? url(given, "config." + field, field) : (String) before.get(field);
    }

    private static String url(JsonNode config, String path, String field) {
        JsonNode value = config.path(field);
        if (!value.isTextual() || value.textValue().length() > MAX_URL) {
            throw ApiError.badRequest(path + " must be an http(s) URL");
        }
        try {
            URI uri = URI.create(value.textValue());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw ApiError.badRequest(path + " must be an http(s) URL with a host");
            }
            return uri.toString();
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(path + " must be an http(s) URL");
        }
    }
}
