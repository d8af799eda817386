package io.chatops.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns {@link Message}s into JSON text frames and back. Decoding is strict and total: any input
 * either yields a valid message or a {@link ProtocolException} naming the field and the problem,
 * never another exception. Unknown fields are ignored (newer peers may add optional ones); an
 * unknown {@code type} is an {@link UnknownMessageTypeException}; frames over
 * {@link #MAX_FRAME_BYTES} are refused before any parsing. Built on Jackson's streaming parser
 * only ({@link JsonTree}), which keeps the agent small. Thread-safe; create one and share it.
 */
public final class MessageCodec {
    /** The protocol's frame limit: a sample of a large server is about 20 KiB, a log page 1 MiB. */
    public static final int MAX_FRAME_BYTES = 1 << 20;
    /** Echoed ids and types are cut here, so an error answer never grows with the bad input. */
    private static final int MAX_ECHO_CHARS = 128;

    /** The JSON text frame for {@code message}. */
    public String encode(Message message) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator out = JsonTree.factory().createGenerator(text)) {
            new MessageWriter(out).write(message);
        } catch (IOException e) {
            // Writing valid records to a string cannot fail; this would be a defect here.
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
        return text.toString();
    }

    /**
     * The same frame as {@link #encode(Message)}, as UTF-8: Jackson writes the bytes itself, which
     * spares a sender that writes bytes (the agent) building a String and encoding it again.
     */
    public byte[] encodeUtf8(Message message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (JsonGenerator out = JsonTree.factory().createGenerator(bytes, JsonEncoding.UTF8)) {
            new MessageWriter(out).write(message);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
        return bytes.toByteArray();
    }

    /** An agent's inventory as the JSON object of the {@code auth} frame, for storing it without the key. */
    public String encode(AgentInfo agent) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator out = JsonTree.factory().createGenerator(text)) {
            new MessageWriter(out).agent(agent);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an agent's inventory", e);
        }
        return text.toString();
    }

    /** An agent's inventory from the JSON object {@link #encode(AgentInfo)} wrote. */
    @SuppressWarnings("unchecked")
    public AgentInfo decodeAgent(String json) throws ProtocolException {
        Object tree = parse(json);
        if (!(tree instanceof Map)) {
            throw new ProtocolException("an agent's inventory must be a JSON object", null);
        }
        try {
            return MessageReader.agent(new Fields((Map<String, Object>) tree, "agent."));
        } catch (Fields.Refusal e) {
            throw new ProtocolException(e.getMessage(), null);
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
    @SuppressWarnings("unchecked")
    public Message decode(String frame) throws ProtocolException {
        // Every char is at least one UTF-8 byte, so long strings are refused without counting.
        if (frame.length() > MAX_FRAME_BYTES) {
            throw tooLarge(frame.length());
        }
        int bytes = utf8Length(frame);
        if (bytes > MAX_FRAME_BYTES) {
            throw tooLarge(bytes);
        }
        Object tree = parse(frame);
        if (!(tree instanceof Map)) {
            throw new ProtocolException("frame must be a JSON object", null);
        }
        Map<String, Object> object = (Map<String, Object>) tree;
        String id = echoable(object.get("id"));
        Object type = object.get("type");
        if (type == null) {
            throw new ProtocolException("field 'type' is required", id);
        }
        if (!(type instanceof String)) {
            throw new ProtocolException("field 'type' must be a string", id);
        }
        Function<Fields, Message> reader = MessageReader.BY_TYPE.get(type);
        if (reader == null) {
            throw new UnknownMessageTypeException(cut((String) type), id);
        }
        try {
            return reader.apply(new Fields(object, ""));
        } catch (Fields.Refusal e) {
            throw new ProtocolException(e.getMessage(), id);
        }
    }

    private static Object parse(String frame) throws ProtocolException {
        Object tree;
        try {
            tree = JsonTree.parse(frame);
        } catch (StreamConstraintsException e) {
            throw new ProtocolException("frame exceeds a limit: " + e.getOriginalMessage(), null);
        } catch (JacksonException e) {
            throw new ProtocolException("malformed JSON" + where(e.getLocation()) + ": " + syntaxProblem(e.getOriginalMessage()), null);
        } catch (IOException e) {
            throw new ProtocolException("malformed JSON: " + firstLine(e.getMessage()), null);
        }
        if (tree == JsonTree.MISSING) {
            throw new ProtocolException("frame is empty", null);
        }
        return tree;
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 0
                ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static ProtocolException tooLarge(int bytes) {
        return new ProtocolException("frame of " + bytes + " bytes exceeds the limit of " + MAX_FRAME_BYTES + " bytes", null);
    }

    private static String echoable(Object id) {
        return id instanceof String && ((String) id).length() <= MAX_ECHO_CHARS && !((String) id).isBlank()
                ? (String) id
                : null;
    }

    private static String cut(String text) {
        return text.length() <= MAX_ECHO_CHARS ? text : text.substring(0, MAX_ECHO_CHARS) + "…";
    }

    /** Jackson's syntax message without its notes on sources, which mean nothing to a peer. */
    private static String syntaxProblem(String text) {
        String problem = firstLine(text);
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
