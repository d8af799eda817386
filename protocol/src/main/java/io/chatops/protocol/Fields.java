package io.chatops.protocol;

import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One JSON object being read into a record. Each accessor checks the JSON type strictly (no
 * strings for numbers, no fractions for integers, no numbers for strings) and names the field by
 * its full path when it refuses one ({@code field 'disks[0].total_bytes' must be …}).
 */
final class Fields {
    /** A refused field; the codec turns it into a {@link ProtocolException}. */
    static final class Refusal extends RuntimeException {
        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    @FunctionalInterface
    interface ElementReader<T> {
        T read(Object value, String path);
    }

    private static final String LONG_RANGE = "must be an integer between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE;
    private static final String INT_RANGE = "must be an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE;

    private final Map<String, Object> object;
    private final String path;

    Fields(Map<String, Object> object, String path) {
        this.object = object;
        this.path = path;
    }

    /** Builds the record, naming the field of any value its constructor refuses by its full path. */
    <T> T build(Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (InvalidFieldException e) {
            throw new Refusal("field '" + pathOf(e.field()) + "' " + e.problem());
        }
    }

    String string(String name) {
        return asString(required(name), pathOf(name));
    }

    String optionalString(String name) {
        Object value = object.get(name);
        return value == null ? null : asString(value, pathOf(name));
    }

    long longValue(String name) {
        return asLong(required(name), pathOf(name));
    }

    Long optionalLong(String name) {
        Object value = object.get(name);
        return value == null ? null : asLong(value, pathOf(name));
    }

    int intValue(String name) {
        return asInt(required(name), pathOf(name));
    }

    Integer optionalInt(String name) {
        Object value = object.get(name);
        return value == null ? null : asInt(value, pathOf(name));
    }

    double doubleValue(String name) {
        return asDouble(required(name), pathOf(name));
    }

    Double optionalDouble(String name) {
        Object value = object.get(name);
        return value == null ? null : asDouble(value, pathOf(name));
    }

    boolean bool(String name) {
        return asBoolean(required(name), pathOf(name));
    }

    Boolean optionalBool(String name) {
        Object value = object.get(name);
        return value == null ? null : asBoolean(value, pathOf(name));
    }

    Instant instant(String name) {
        return asInstant(required(name), pathOf(name));
    }

    Instant optionalInstant(String name) {
        Object value = object.get(name);
        return value == null ? null : asInstant(value, pathOf(name));
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type) {
        Object value = required(name);
        if (value instanceof String) {
            for (E constant : type.getEnumConstants()) {
                if (wireName(constant).equals(value)) {
                    return constant;
                }
            }
        }
        throw refuse(pathOf(name), "must be one of " + Stream.of(type.getEnumConstants()).map(Fields::wireName)
                .collect(Collectors.joining(", ")));
    }

    <T> T object(String name, Function<Fields, T> reader) {
        return asObject(required(name), pathOf(name), reader);
    }

    <T> T optionalObject(String name, Function<Fields, T> reader) {
        Object value = object.get(name);
        return value == null ? null : asObject(value, pathOf(name), reader);
    }

    <T> List<T> list(String name, ElementReader<T> element) {
        return asList(required(name), pathOf(name), element);
    }

    <T> List<T> optionalList(String name, ElementReader<T> element) {
        Object value = object.get(name);
        return value == null ? null : asList(value, pathOf(name), element);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> optionalMap(String name) {
        Object value = object.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map)) {
            throw refuse(pathOf(name), "must be an object");
        }
        return (Map<String, Object>) value;
    }

    // --- element readers, for lists ---------------------------------------------------------

    static <T> ElementReader<T> objects(Function<Fields, T> reader) {
        return (value, path) -> asObject(value, path, reader);
    }

    static final ElementReader<Double> DOUBLES = Fields::asDouble;
    static final ElementReader<String> STRINGS = Fields::asString;

    /** The wire name of a protocol enum constant: its name in lower case ({@code INVALID_KEY} → {@code invalid_key}). */
    static String wireName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    // --- conversions ---------------------------------------------------------------------------

    private Object required(String name) {
        if (!object.containsKey(name)) {
            throw refuse(pathOf(name), "is required");
        }
        return object.get(name);
    }

    private static Object notNull(Object value, String path) {
        if (value == null) {
            throw refuse(path, "must not be null");
        }
        return value;
    }

    private static String asString(Object value, String path) {
        if (!(notNull(value, path) instanceof String)) {
            throw refuse(path, "must be a string");
        }
        return (String) value;
    }

    private static long asLong(Object value, String path) {
        notNull(value, path);
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw refuse(path, LONG_RANGE);
    }

    private static int asInt(Object value, String path) {
        notNull(value, path);
        if (value instanceof Integer) {
            return (Integer) value;
        }
        throw refuse(path, INT_RANGE);
    }

    private static double asDouble(Object value, String path) {
        notNull(value, path);
        if (value instanceof Integer || value instanceof Long || value instanceof Double || value instanceof BigInteger) {
            return ((Number) value).doubleValue();
        }
        throw refuse(path, "must be a number");
    }

    private static boolean asBoolean(Object value, String path) {
        if (!(notNull(value, path) instanceof Boolean)) {
            throw refuse(path, "must be true or false");
        }
        return (Boolean) value;
    }

    private static Instant asInstant(Object value, String path) {
        if (notNull(value, path) instanceof String) {
            try {
                return OffsetDateTime.parse((String) value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                // refused below
            }
        }
        throw refuse(path, "must be an RFC 3339 timestamp");
    }

    @SuppressWarnings("unchecked")
    private static <T> T asObject(Object value, String path, Function<Fields, T> reader) {
        if (!(notNull(value, path) instanceof Map)) {
            throw refuse(path, "must be an object");
        }
        return reader.apply(new Fields((Map<String, Object>) value, path));
    }

    private static <T> List<T> asList(Object value, String path, ElementReader<T> element) {
        if (!(notNull(value, path) instanceof List)) {
            throw refuse(path, "must be an array");
        }
        List<?> items = (List<?>) value;
        List<T> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(element.read(items.get(i), path + "[" + i + "]"));
        }
        return Collections.unmodifiableList(out);
    }

    private String pathOf(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static Refusal refuse(String path, String problem) {
        return new Refusal("field '" + path + "' " + problem);
    }
}
