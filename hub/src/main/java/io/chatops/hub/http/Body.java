package io.chatops.hub.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's JSON object body, read strictly: each accessor names the field and what is wrong
 * with it, so that a bad body is a 400 with a clear message, never a 500. Unknown fields are ignored.
 */
public final class Body {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode object;

    private Body(JsonNode object) {
        this.object = object;
    }

    public static Body of(Context ctx) {
        JsonNode node;
        try {
            node = JSON.readTree(ctx.bodyAsBytes());
        } catch (JacksonException e) {
            throw ApiError.badRequest("the body is not valid JSON");
        } catch (java.io.IOException e) {
            throw ApiError.badRequest("the body could not be read");
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object");
        }
        return new Body(node);
    }

    /** The whole object, for services that read a nested document (an alert rule, a channel) themselves. */
    public JsonNode tree() {
        return object;
    }

    /** Whether the body names {@code field} at all, even as null (a PATCH's "back to the default"). */
    public boolean mentions(String field) {
        return object.has(field);
    }

    public boolean has(String field) {
        return object.has(field) && !object.get(field).isNull();
    }

    public String text(String field, int maxLength) {
        if (!has(field)) {
            throw ApiError.badRequest("field '" + field + "' is required");
        }
        return optionalText(field, maxLength);
    }

    public String optionalText(String field, int maxLength) {
        if (!has(field)) {
            return null;
        }
        JsonNode value = object.get(field);
        if (!value.isTextual()) {
            throw ApiError.badRequest("field '" + field + "' must be a string");
        }
        String text = value.textValue().strip();
        if (text.isEmpty()) {
            throw ApiError.badRequest("field '" + field + "' must not be blank");
        }
        if (text.length() > maxLength) {
            throw ApiError.badRequest("field '" + field + "' must be at most " + maxLength + " characters");
        }
        return text;
    }

    /** A whole number from {@code min} to {@code max}. */
    public int integer(String field, int min, int max) {
        JsonNode value = object.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw ApiError.badRequest("field '" + field + "' must be a whole number from " + min + " to " + max);
        }
        return value.intValue();
    }

    public Instant optionalInstant(String field) {
        String text = optionalText(field, 64);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("field '" + field + "' must be an RFC 3339 time, like 2026-12-31T00:00:00Z");
        }
    }

    public List<String> optionalStrings(String field, int maxItems, int maxLength) {
        if (!has(field)) {
            return null;
        }
        JsonNode value = object.get(field);
        if (!value.isArray()) {
            throw ApiError.badRequest("field '" + field + "' must be an array of strings");
        }
        if (value.size() > maxItems) {
            throw ApiError.badRequest("field '" + field + "' has more than " + maxItems + " items");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.textValue().isBlank() || item.textValue().length() > maxLength) {
                throw ApiError.badRequest("field '" + field + "' must hold non-blank strings of at most " + maxLength
                        + " characters");
            }
            items.add(item.textValue().strip());
        }
        return List.copyOf(items);
    }
}
