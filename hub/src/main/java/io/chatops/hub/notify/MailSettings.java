package io.chatops.hub.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.http.ApiError;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How an e-mail channel reaches its SMTP server (ALERTS.md): host, port, {@code tls} none, starttls
 * (the default) or tls, an optional login, the sender and up to {@value #MAX_RECIPIENTS} recipients.
 */
record MailSettings(String host, int port, Tls tls, String username, String password, String from, List<String> to) {
    static final int MAX_RECIPIENTS = 50;
    static final int MAX_TEXT = 320;

    enum Tls {
        NONE(25), STARTTLS(587), TLS(465);

        final int defaultPort;

        Tls(int defaultPort) {
            this.defaultPort = defaultPort;
        }

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The settings a channel's stored config holds. */
    @SuppressWarnings("unchecked")
    static MailSettings of(Map<String, Object> config) {
        return new MailSettings((String) config.get("smtp_host"), ((Number) config.get("smtp_port")).intValue(),
                Tls.valueOf(((String) config.get("tls")).toUpperCase(Locale.ROOT)), (String) config.get("username"),
                (String) config.get("password"), (String) config.get("from"), (List<String>) config.get("to"));
    }

    /**
     * Reads {@code given} over {@code before} (null when creating): each field given replaces the
     * one before; a missing password keeps the one before, so that a form never has to show it.
     */
    static MailSettings parse(JsonNode given, Map<String, Object> before) {
        MailSettings old = before == null ? null : of(before);
        String host = given.has("smtp_host") || old == null ? host(given.path("smtp_host")) : old.host();
        Tls tls = given.has("tls") ? tls(given.path("tls")) : old == null ? Tls.STARTTLS : old.tls();
        int port = given.has("smtp_port") ? port(given.path("smtp_port")) : old == null ? tls.defaultPort : old.port();
        String username = given.has("username") ? optionalText(given.path("username"), "config.username") : old == null ? null : old.username();
        String password = given.has("password") ? optionalText(given.path("password"), "config.password") : old == null ? null : old.password();
        if (password != null && username == null) {
            throw ApiError.badRequest("config.password needs config.username");
        }
        String from = given.has("from") || old == null ? address(given.path("from"), "config.from") : old.from();
        List<String> to = given.has("to") || old == null ? recipients(given.path("to")) : old.to();
        return new MailSettings(host, port, tls, username, password, from, to);
    }

    Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("smtp_host", host);
        config.put("smtp_port", port);
        config.put("tls", tls.wireName());
        config.put("username", username);
        config.put("password", password);
        config.put("from", from);
        config.put("to", to);
        return config;
    }

    private static String host(JsonNode value) {
        if (!value.isTextual() || !value.textValue().matches("[A-Za-z0-9.\\-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}]")) {
            throw ApiError.badRequest("config.smtp_host must be a host name or address");
        }
        return value.textValue();
    }

    private static int port(JsonNode value) {
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() < 1 || value.intValue() > 65_535) {
            throw ApiError.badRequest("config.smtp_port must be a whole number from 1 to 65535");
        }
        return value.intValue();
    }

    private static Tls tls(JsonNode value) {
        for (Tls option : Tls.values()) {
            if (option.wireName().equals(value.asText())) {
                return option;
            }
        }
        throw ApiError.badRequest("config.tls must be one of none, starttls, tls");
    }

    private static String optionalText(JsonNode value, String field) {
        if (value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.textValue().isEmpty() || value.textValue().length() > MAX_TEXT
                || value.textValue().chars().anyMatch(Character::isISOControl)) {
            throw ApiError.badRequest(field + " must be text of 1 to " + MAX_TEXT + " characters without control characters, or null");
        }
        return value.textValue();
    }

    private static List<String> recipients(JsonNode value) {
        if (!value.isArray() || value.isEmpty() || value.size() > MAX_RECIPIENTS) {
            throw ApiError.badRequest("config.to must be a list of 1 to " + MAX_RECIPIENTS + " e-mail addresses");
        }
        List<String> to = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            to.add(address(value.get(i), "config.to[" + i + "]"));
        }
        return List.copyOf(to);
    }

    /** One address, such as {@code ops@example.com} or {@code ChatOps <hub@example.com>}; never a list, never a header break. */
    private static String address(JsonNode value, String field) {
        String problem = field + " must be one e-mail address such as ops@example.com";
        if (!value.isTextual() || value.textValue().length() > MAX_TEXT || value.textValue().chars().anyMatch(Character::isISOControl)) {
            throw ApiError.badRequest(problem);
        }
        try {
            InternetAddress[] parsed = InternetAddress.parse(value.textValue(), true);
            if (parsed.length != 1 || !parsed[0].getAddress().contains("@")) {
                throw ApiError.badRequest(problem);
            }
            parsed[0].validate();
            return parsed[0].toUnicodeString();
        } catch (AddressException e) {
            throw ApiError.badRequest(problem);
        }
    }
}
