package io.chatops.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as plain Java values, on Jackson's streaming parser alone: objects are
 * {@code Map<String, Object>} (in document order), arrays {@code List<Object>}, and the rest
 * {@code String}, {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double}, {@code Boolean}
 * or null. Jackson's object mapper would cost a small agent more memory than everything else it
 * does; this is all the protocol and the agent need. Parsing is limited in nesting, string and
 * number length, and refuses duplicate keys and trailing data.
 */
public final class JsonTree {
    /** Real documents nest a few levels (Docker's inspect output about eight); deeper input is an attack. */
    public static final int MAX_NESTING_DEPTH = 32;
    /** Longer than any long or double needs; stops a megabyte of digits from being parsed as a number. */
    static final int MAX_NUMBER_CHARS = 64;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(MessageCodec.MAX_FRAME_BYTES)
                    .maxNumberLength(MAX_NUMBER_CHARS)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Characters beyond the BMP (an emoji in command output) as four UTF-8 bytes, as a String
            // encoded to UTF-8 has them, instead of two escaped surrogates: both encodings give one frame.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private JsonTree() {
    }

    /** The factory with the limits above, for streams of documents (Docker's event stream). */
    public static JsonFactory factory() {
        return FACTORY;
    }

    /** Parses one document; trailing data is an error. Returns {@link #MISSING} for empty input. */
    public static Object parse(String json) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() == null) {
                return MISSING;
            }
            Object value = read(parser);
            if (parser.nextToken() != null) {
                throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected data after the JSON value");
            }
            return value;
        }
    }

    /** Parses one document from bytes (UTF-8). */
    public static Object parse(byte[] json) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            return parser.nextToken() == null ? MISSING : read(parser);
        }
    }

    /** Marks empty input, which is not the same as the JSON value {@code null}. */
    public static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "MISSING";
        }
    };

    /** Reads the value at the parser's current token, leaving the parser on its last token. */
    public static Object read(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.put(name, read(parser));
                }
                return object;
            }
            case START_ARRAY: {
                List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(parser));
                }
                return array;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                switch (parser.getNumberType()) {
                    case INT:
                        return parser.getIntValue();
                    case LONG:
                        return parser.getLongValue();
                    default:
                        return parser.getBigIntegerValue();
                }
            case VALUE_NUMBER_FLOAT: {
                // 1e400 reads as Infinity, which JSON cannot carry: encoded again it would be a frame no peer can read.
                double value = parser.getDoubleValue();
                if (!Double.isFinite(value)) {
                    throw new com.fasterxml.jackson.core.JsonParseException(parser, "number out of range: " + parser.getText());
                }
                return value;
            }
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected " + token);
        }
    }

    /** Writes a tree of the kinds above as compact JSON. */
    public static String write(Object tree) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, tree);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON to a string", e);
        }
        return out.toString();
    }

    static void write(JsonGenerator out, Object value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof Map) {
            out.writeStartObject();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                out.writeFieldName(String.valueOf(entry.getKey()));
                write(out, entry.getValue());
            }
            out.writeEndObject();
        } else if (value instanceof List) {
            out.writeStartArray();
            for (Object item : (List<?>) value) {
                write(out, item);
            }
            out.writeEndArray();
        } else if (value instanceof String) {
            out.writeString((String) value);
        } else if (value instanceof Integer || value instanceof Long) {
            out.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger) {
            out.writeNumber((BigInteger) value);
        } else if (value instanceof Number) {
            out.writeNumber(((Number) value).doubleValue());
        } else if (value instanceof Boolean) {
            out.writeBoolean((Boolean) value);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }
}
