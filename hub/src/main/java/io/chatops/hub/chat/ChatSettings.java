package io.chatops.hub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatops.hub.http.ApiError;
import io.chatops.hub.text.Glob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The admin's settings of the chat engine (CHATOPS.md): the commands a single-server {@code run}
 * may start without a second operator (exact, or globs such as {@code systemctl status *}), and
 * whether runs on more than one server always need approval. Owns the {@code chat_settings} table.
 */
final class ChatSettings {
    /** Read-only commands that need no second pair of eyes, until the admin says otherwise. */
    static final List<String> DEFAULT_ALLOW = List.of("uptime", "df -h", "free -m");
    static final int MAX_ALLOWED = 200;
    static final int MAX_PATTERN_CHARS = 500;

    record Values(List<String> allowCommands, boolean approvalForMultiServer) {
        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("allow_commands", allowCommands);
            json.put("approval_for_multi_server", approvalForMultiServer);
            return json;
        }

        boolean allows(String command) {
            String normal = command.strip().replaceAll("\\s+", " ");
            return allowCommands.stream().anyMatch(pattern -> Glob.compile(pattern).matcher(normal).matches());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Jdbi jdbi;

    ChatSettings(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Values read() {
        Map<String, String> stored = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT name, value FROM chat_settings").map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> stored.put(e.getKey(), e.getValue())));
        try {
            List<String> allow = stored.containsKey("allow_commands")
                    ? List.of(JSON.readValue(stored.get("allow_commands"), String[].class)) : DEFAULT_ALLOW;
            boolean multi = !stored.containsKey("approval_for_multi_server") || Boolean.parseBoolean(stored.get("approval_for_multi_server"));
            return new Values(allow, multi);
        } catch (Exception e) {
            throw new IllegalStateException("the stored chat settings are damaged", e);
        }
    }

    /** Replaces what the body names, keeps the rest; refuses anything invalid naming the field. */
    Values write(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object");
        }
        Values before = read();
        List<String> allow = before.allowCommands();
        if (body.has("allow_commands")) {
            JsonNode given = body.get("allow_commands");
            if (!given.isArray() || given.size() > MAX_ALLOWED) {
                throw ApiError.badRequest("allow_commands must be a list of at most " + MAX_ALLOWED + " commands");
            }
            allow = new ArrayList<>();
            for (JsonNode pattern : given) {
                if (!pattern.isTextual() || pattern.textValue().isBlank() || pattern.textValue().length() > MAX_PATTERN_CHARS
                        || pattern.textValue().chars().anyMatch(Character::isISOControl)) {
                    throw ApiError.badRequest("each of allow_commands must be a command of 1 to " + MAX_PATTERN_CHARS + " characters on one line");
                }
                allow.add(pattern.textValue().strip().replaceAll("\\s+", " "));
            }
        }
        boolean multi = before.approvalForMultiServer();
        if (body.has("approval_for_multi_server")) {
            if (!body.get("approval_for_multi_server").isBoolean()) {
                throw ApiError.badRequest("approval_for_multi_server must be true or false");
            }
            multi = body.get("approval_for_multi_server").booleanValue();
        }
        Values values = new Values(List.copyOf(allow), multi);
        String allowJson;
        try {
            allowJson = JSON.writeValueAsString(values.allowCommands());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM chat_settings").execute();
            h.createUpdate("INSERT INTO chat_settings (name, value) VALUES ('allow_commands', ?)").bind(0, allowJson).execute();
            h.createUpdate("INSERT INTO chat_settings (name, value) VALUES ('approval_for_multi_server', ?)")
                    .bind(0, String.valueOf(values.approvalForMultiServer())).execute();
        });
        return values;
    }
}
