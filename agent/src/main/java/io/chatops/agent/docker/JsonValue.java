package io.chatops.agent.docker;

import io.chatops.protocol.JsonTree;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Forgiving navigation through Docker's JSON as parsed by {@link JsonTree}: a missing or null
 * member gives a value whose accessors return the fallback, so that reading a field that a newer
 * or older Docker leaves out never throws.
 */
final class JsonValue implements Iterable<JsonValue> {
    static final JsonValue MISSING = new JsonValue(null);

    private final Object value;

    private JsonValue(Object value) {
        this.value = value;
    }

    static JsonValue of(Object value) {
        return value == null || value == JsonTree.MISSING ? MISSING : new JsonValue(value);
    }

    JsonValue path(String name) {
        return value instanceof Map ? of(((Map<?, ?>) value).get(name)) : MISSING;
    }

    JsonValue path(int index) {
        return value instanceof List && index < ((List<?>) value).size() ? of(((List<?>) value).get(index)) : MISSING;
    }

    boolean isMissing() {
        return value == null;
    }

    boolean has(String name) {
        return !path(name).isMissing();
    }

    String asText(String fallback) {
        return value instanceof String || value instanceof Number || value instanceof Boolean ? value.toString() : fallback;
    }

    String asText() {
        return asText("");
    }

    long asLong(long fallback) {
        return value instanceof Number ? ((Number) value).longValue() : fallback;
    }

    int asInt(int fallback) {
        return value instanceof Number ? ((Number) value).intValue() : fallback;
    }

    boolean asBoolean(boolean fallback) {
        return value instanceof Boolean ? (Boolean) value : fallback;
    }

    int size() {
        return value instanceof List ? ((List<?>) value).size() : value instanceof Map ? ((Map<?, ?>) value).size() : 0;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> asMap() {
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    @Override
    public Iterator<JsonValue> iterator() {
        if (!(value instanceof List)) {
            return Collections.emptyIterator();
        }
        Iterator<?> items = ((List<?>) value).iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return items.hasNext();
            }

            @Override
            public JsonValue next() {
                return of(items.next());
            }
        };
    }
}
