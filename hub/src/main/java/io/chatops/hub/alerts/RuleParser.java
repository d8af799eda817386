package io.chatops.hub.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatops.hub.http.ApiError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a rule from its JSON (ALERTS.md), or a rule changed by a PATCH, refusing anything invalid
 * with a 400 whose message names the field ({@code threshold must be a number},
 * {@code unknown metric "cpu"}).
 */
final class RuleParser {
    static final int MAX_NAME = 128;
    /** A week: longer conditions are better served by reports than by alerts. */
    static final int MAX_FOR_SECONDS = 7 * 24 * 3600;
    static final int MAX_REPEAT_SECONDS = 7 * 24 * 3600;
    static final int MAX_SCOPE_ITEMS = 100;
    static final int MAX_CHANNELS = 20;
    /** Docker's container names, with * and ? for globs such as web-*. */
    static final Pattern CONTAINER = Pattern.compile("[A-Za-z0-9*?][A-Za-z0-9_.*?-]{0,254}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private RuleParser() {
    }

    /** A new rule from a POST body. */
    static AlertRule create(JsonNode body, String id, Instant now, String createdBy, Set<String> channelIds) {
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object");
        }
        return parse(body, id, now, createdBy, channelIds);
    }

    /** {@code rule} with the fields a PATCH body names replaced, checked as a whole again. */
    static AlertRule patch(AlertRule rule, JsonNode body, Set<String> channelIds) {
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object");
        }
        ObjectNode merged = JSON.valueToTree(rule.json());
        if (body.has("kind") && !body.path("kind").asText().equals(merged.path("kind").asText())) {
            for (String field : List.of("metric", "op", "threshold", "container")) {
                merged.remove(field); // a new kind brings its own fields
            }
        }
        merged.setAll((ObjectNode) body);
        return parse(merged, rule.id(), rule.createdAt(), rule.createdBy(), channelIds);
    }

    private static AlertRule parse(JsonNode body, String id, Instant createdAt, String createdBy, Set<String> knownChannels) {
        String name = text(body, "name", MAX_NAME);
        boolean enabled = !body.has("enabled") || bool(body, "enabled");
        AlertRule.Severity severity = body.has("severity") ? choice(body, "severity", AlertRule.Severity.class) : AlertRule.Severity.WARNING;
        AlertRule.Kind kind = choice(body, "kind", AlertRule.Kind.class);
        AlertMetric metric = null;
        AlertRule.Op op = null;
        Double threshold = null;
        String container = null;
        if (kind == AlertRule.Kind.METRIC) {
            String metricName = text(body, "metric", 64);
            metric = AlertMetric.parse(metricName);
            if (metric == null) {
                throw ApiError.badRequest("unknown metric \"" + metricName + "\"");
            }
            op = AlertRule.Op.parse(text(body, "op", 2));
            if (op == null) {
                throw ApiError.badRequest("op must be one of >, >=, <, <=");
            }
            JsonNode value = body.path("threshold");
            if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                throw ApiError.badRequest("threshold must be a number");
            }
            threshold = value.doubleValue();
        } else {
            for (String field : List.of("metric", "op", "threshold")) {
                if (body.has(field) && !body.get(field).isNull()) {
                    throw ApiError.badRequest(field + " is only for metric rules");
                }
            }
        }
        if (kind == AlertRule.Kind.CONTAINER) {
            container = text(body, "container", 255);
            if (!CONTAINER.matcher(container).matches()) {
                throw ApiError.badRequest("container must be a container name or a glob such as web-*");
            }
        } else if (body.has("container") && !body.get("container").isNull()) {
            throw ApiError.badRequest("container is only for container rules");
        }
        int forSeconds = body.has("for_seconds") ? whole(body, "for_seconds", MAX_FOR_SECONDS) : 0;
        int repeatSeconds = body.has("repeat_seconds") ? whole(body, "repeat_seconds", MAX_REPEAT_SECONDS) : 0;
        JsonNode scopeNode = body.path("scope");
        if (!scopeNode.isMissingNode() && !scopeNode.isNull() && !scopeNode.isObject()) {
            throw ApiError.badRequest("scope must be an object with server_ids and tags");
        }
        AlertRule.Scope scope = new AlertRule.Scope(strings(scopeNode, "scope.server_ids", "server_ids", MAX_SCOPE_ITEMS),
                strings(scopeNode, "scope.tags", "tags", MAX_SCOPE_ITEMS));
        List<String> channelIds = strings(body, "channel_ids", "channel_ids", MAX_CHANNELS);
        for (String channel : channelIds) {
            if (!knownChannels.contains(channel)) {
                throw ApiError.badRequest("channel_ids: unknown notification channel \"" + channel + "\"");
            }
        }
        return new AlertRule(id, name, enabled, severity, kind, metric, op, threshold, container, forSeconds, scope,
                List.copyOf(channelIds), repeatSeconds, createdAt, createdBy);
    }

    private static String text(JsonNode body, String field, int maxLength) {
        JsonNode value = body.path(field);
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw ApiError.badRequest(field + " is required (text)");
        }
        if (value.textValue().length() > maxLength) {
            throw ApiError.badRequest(field + " must be at most " + maxLength + " characters");
        }
        return value.textValue().strip();
    }

    private static boolean bool(JsonNode body, String field) {
        if (!body.get(field).isBoolean()) {
            throw ApiError.badRequest(field + " must be true or false");
        }
        return body.get(field).booleanValue();
    }

    private static int whole(JsonNode body, String field, int max) {
        JsonNode value = body.get(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0 || value.intValue() > max) {
            throw ApiError.badRequest(field + " must be a whole number of seconds from 0 to " + max);
        }
        return value.intValue();
    }

    private static <E extends Enum<E>> E choice(JsonNode body, String field, Class<E> type) {
        JsonNode value = body.path(field);
        for (E option : type.getEnumConstants()) {
            if (value.isTextual() && option.name().toLowerCase(Locale.ROOT).equals(value.textValue())) {
                return option;
            }
        }
        List<String> names = new ArrayList<>();
        for (E option : type.getEnumConstants()) {
            names.add(option.name().toLowerCase(Locale.ROOT));
        }
        throw ApiError.badRequest(field + " must be one of " + String.join(", ", names));
    }

    private static List<String> strings(JsonNode parent, String path, String field, int maxItems) {
        JsonNode value = parent.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return List.of();
        }
        if (!value.isArray() || value.size() > maxItems) {
            throw ApiError.badRequest(path + " must be a list of at most " + maxItems + " texts");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.textValue().isBlank() || item.textValue().length() > 128) {
                throw ApiError.badRequest(path + " must hold texts of 1 to 128 characters");
            }
            items.add(item.textValue());
        }
        return items;
    }
}
