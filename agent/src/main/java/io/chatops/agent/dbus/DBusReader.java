package io.chatops.agent.dbus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads values of a D-Bus message in its wire format: each aligned to its size from the start of
 * the message, strings as a length, UTF-8 bytes and a NUL. Reading past the end of the part being
 * read is an IOException that names the problem, never a wrong value.
 */
public final class DBusReader {
    private final ByteBuffer message;
    private int position;
    private final int end;

    DBusReader(ByteBuffer message, int from, int end) {
        this.message = message;
        this.position = from;
        this.end = end;
    }

    static long padding(long offset, int alignment) {
        return (alignment - offset % alignment) % alignment;
    }

    int remaining() {
        return end - position;
    }

    void align(int alignment) throws IOException {
        need((int) padding(position, alignment));
        position += (int) padding(position, alignment);
    }

    int uint8() throws IOException {
        need(1);
        return message.get(position++) & 0xff;
    }

    public long uint32() throws IOException {
        align(4);
        need(4);
        long value = Integer.toUnsignedLong(message.getInt(position));
        position += 4;
        return value;
    }

    /** A string or an object path. */
    public String string() throws IOException {
        return text((int) Math.min(uint32(), Integer.MAX_VALUE));
    }

    String signature() throws IOException {
        return text(uint8());
    }

    private String text(int length) throws IOException {
        need(length + 1);
        String value = new String(message.array(), message.arrayOffset() + position, length, StandardCharsets.UTF_8);
        position += length + 1; // and its NUL
        return value;
    }

    /** A value of a basic type given by its one-letter signature, as a String, Long or Integer. */
    Object basic(String type) throws IOException {
        return switch (type) {
            case "s", "o" -> string();
            case "g" -> signature();
            case "u" -> uint32();
            case "y" -> uint8();
            default -> throw new IOException("a D-Bus header field of type " + type + " is not one the specification allows");
        };
    }

    /**
     * Reads an array whose elements are aligned to {@code alignment} (8 for structs), calling
     * {@code element} until the array's bytes are used up.
     */
    public void array(int alignment, Element element) throws IOException {
        long length = uint32();
        align(alignment);
        if (length > remaining()) {
            throw new IOException("a D-Bus array of " + length + " bytes is longer than its message");
        }
        int arrayEnd = position + (int) length;
        while (position < arrayEnd) {
            align(alignment);
            element.read(this);
        }
        if (position != arrayEnd) {
            throw new IOException("a D-Bus array's elements overran its length");
        }
    }

    /** Reads one element of an array. */
    @FunctionalInterface
    public interface Element {
        void read(DBusReader reader) throws IOException;
    }

    private void need(int bytes) throws IOException {
        if (bytes < 0 || position + bytes > end) {
            throw new IOException("a D-Bus message ends before its values do");
        }
    }
}
