package io.chatops.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns {@link Message}s into JSON text frames and back. Decoding is strict and total: any input
 * either yields a valid message or a {@link ProtocolException} naming the field and the problem,
 * never another exception. Unknown fields are ignored (newer peers may add optional ones); an
 * unknown {@code type} is an {@link UnknownMessageTypeException}; frames over
 * {@link #MAX_FRAME_BYTES} are refused before any parsing. Thread-safe; create one and share it.
 */
public final class MessageCodec {
    /** The protocol's frame limit: a sample of a large server is about 20 KiB, a log page 1 MiB. */
    public static final int MAX_FRAME_BYTES = 1 << 20;
    /** Real messages nest 4 levels (Docker's inspect config a few more); deeper input is an attack. */
    static final int MAX_NESTING_DEPTH = 32;
    /** Longer than any long or double needs; stops a 1 MiB digit string from being parsed as a number. */
    private static final int MAX_NUMBER_CHARS = 64;
    /** Echoed ids and types are cut here, so an error answer never grows with the bad input. */
    private static final int MAX_ECHO_CHARS = 128;

    private static final Set<String> TYPES = Arrays.stream(Message.class.getAnnotation(JsonSubTypes.class).value())
            .map(JsonSubTypes.Type::name)
            .collect(Collectors.toUnmodifiableSet());
    private static final Pattern MISSING_PROPERTY = Pattern.compile("Missing required creator property '([^']+)'");

    private final ObjectMapper mapper;
    private final ObjectWriter writer;

    public MessageCodec() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_FRAME_BYTES)
                        .maxNumberLength(MAX_NUMBER_CHARS)
                        .build())
                .build();
        mapper = JsonMapper.builder(factory)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withConfigOverride(List.class, o -> o.setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL)))
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .addModule(InstantJson.module())
                .build();
        writer = mapper.writerFor(Message.class);
    }

    /** The JSON text frame for {@code message}. */
    public String encode(Message message) {
        try {
            return writer.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            // Records are valid by construction and hold only plain values, so this is a defect here.
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** Decodes a frame received as bytes, which must be valid UTF-8. */
    public Message decode(byte[] utf8) throws ProtocolException {
        if (utf8.length > MAX_FRAME_BYTES) {
            throw tooLarge(utf8.length);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("frame is not valid UTF-8", null);
        }
        return decode(text);
    }

    /** Decodes a text frame. */
    public Message decode(String frame) throws ProtocolException {
        // Every char is at least one UTF-8 byte, so long strings are refused without counting.
        if (frame.length() > MAX_FRAME_BYTES) {
            throw tooLarge(frame.length());
        }
        int bytes = utf8Length(frame);
        if (bytes > MAX_FRAME_BYTES) {
            throw tooLarge(bytes);
        }
        JsonNode tree = parse(frame);
        String id = echoable(tree.get("id"));
        JsonNode type = tree.get("type");
        if (type == null || type.isNull()) {
            throw new ProtocolException("field 'type' is required", id);
        }
        if (!type.isTextual()) {
            throw new ProtocolException("field 'type' must be a string", id);
        }
        if (!TYPES.contains(type.textValue())) {
            throw new UnknownMessageTypeException(cut(type.textValue()), id);
        }
        try {
            return mapper.treeToValue(tree, Message.class);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new ProtocolException(describe(e), id);
        }
    }

    private JsonNode parse(String frame) throws ProtocolException {
        JsonNode tree;
        try {
            tree = mapper.readTree(frame);
        } catch (StreamConstraintsException e) {
            throw new ProtocolException("frame exceeds a limit: " + e.getOriginalMessage(), null);
        } catch (JacksonException e) {
            throw new ProtocolException("malformed JSON" + where(e.getLocation()) + ": " + syntaxProblem(e.getOriginalMessage()), null);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new ProtocolException("frame is empty", null);
        }
        if (!tree.isObject()) {
            throw new ProtocolException("frame must be a JSON object", null);
        }
        return tree;
    }

    private static String describe(Exception e) {
        if (e instanceof ValueInstantiationException && e.getCause() instanceof InvalidFieldException) {
            InvalidFieldException invalid = (InvalidFieldException) e.getCause();
            return "field '" + join(pathOf((JsonMappingException) e), invalid.field()) + "' " + invalid.problem();
        }
        if (e instanceof MismatchedInputException) {
            MismatchedInputException mismatch = (MismatchedInputException) e;
            String path = pathOf(mismatch);
            Matcher missing = MISSING_PROPERTY.matcher(String.valueOf(mismatch.getOriginalMessage()));
            if (missing.find()) {
                return "field '" + (path.endsWith(missing.group(1)) ? path : join(path, missing.group(1))) + "' is required";
            }
            if (mismatch.getProcessor() instanceof JsonParser parser && parser.currentToken() == JsonToken.VALUE_NULL) {
                return "field '" + path + "' must not be null";
            }
            return "field '" + path + "' " + expectation(mismatch.getTargetType());
        }
        if (e instanceof JsonMappingException && e.getCause() instanceof InputCoercionException) {
            InputCoercionException range = (InputCoercionException) e.getCause();
            return "field '" + pathOf((JsonMappingException) e) + "' " + expectation(range.getTargetType());
        }
        if (e instanceof InputCoercionException) {
            return "a number is out of range: " + firstLine(((InputCoercionException) e).getOriginalMessage());
        }
        if (e instanceof JacksonException) {
            return "invalid message: " + firstLine(((JacksonException) e).getOriginalMessage());
        }
        return "invalid message: " + firstLine(e.getMessage());
    }

    /** What a field of this Java type must hold, in JSON terms. */
    private static String expectation(Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type == int.class || type == Integer.class) {
            return "must be an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE;
        }
        if (type == long.class || type == Long.class) {
            return "must be an integer between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE;
        }
        if (type == double.class || type == Double.class) {
            return "must be a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "must be true or false";
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (type == Instant.class) {
            return "must be an RFC 3339 timestamp";
        }
        if (List.class.isAssignableFrom(type)) {
            return "must be an array";
        }
        if (type.isEnum()) {
            return "must be one of " + Arrays.stream(type.getFields())
                    .filter(java.lang.reflect.Field::isEnumConstant)
                    .map(f -> f.getAnnotation(JsonProperty.class).value())
                    .collect(Collectors.joining(", "));
        }
        if (type.isRecord() || Map.class.isAssignableFrom(type)) {
            return "must be an object";
        }
        return "has the wrong type";
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(cut(ref.getFieldName()));
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String join(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 0
                ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static ProtocolException tooLarge(int bytes) {
        return new ProtocolException("frame of " + bytes + " bytes exceeds the limit of " + MAX_FRAME_BYTES + " bytes", null);
    }

    private static String echoable(JsonNode id) {
        return id != null && id.isTextual() && id.textValue().length() <= MAX_ECHO_CHARS && !id.textValue().isBlank()
                ? id.textValue()
                : null;
    }

    private static String cut(String text) {
        return text.length() <= MAX_ECHO_CHARS ? text : text.substring(0, MAX_ECHO_CHARS) + "…";
    }

    /** Jackson's syntax message without its notes on sources and features, which mean nothing to a peer. */
    private static String syntaxProblem(String text) {
        String problem = firstLine(text);
        if (problem.startsWith("Trailing token")) {
            return "unexpected data after the JSON object";
        }
        int note = problem.indexOf(" (start marker");
        return note < 0 ? problem : problem.substring(0, note);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unknown problem";
        }
        int newline = text.indexOf('\n');
        return cut(newline < 0 ? text : text.substring(0, newline));
    }

    /** UTF-8 length without encoding; a lone surrogate counts as the 3 bytes of its replacement. */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
