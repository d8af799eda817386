package io.chatops.agent.dbus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes values in D-Bus's little-endian wire format, each aligned from the start of what is
 * written: a message's header, or its body (which starts 8-aligned in the message).
 */
public final class DBusWriter {
    private byte[] bytes = new byte[128];
    private int size;

    int size() {
        return size;
    }

    void bytes(int... values) {
        for (int value : values) {
            put(value);
        }
    }

    private void put(int value) {
        if (size == bytes.length) {
            bytes = Arrays.copyOf(bytes, size * 2);
        }
        bytes[size++] = (byte) value;
    }

    private void put(byte[] values) {
        for (byte value : values) {
            put(value);
        }
    }

    void align(int alignment) {
        while (size % alignment != 0) {
            put(0);
        }
    }

    void uint32(long value) {
        align(4);
        for (int shift = 0; shift < 32; shift += 8) {
            put((int) (value >>> shift) & 0xff);
        }
    }

    public void string(String value) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        uint32(text.length);
        put(text);
        put(0);
    }

    void signature(String value) {
        byte[] text = value.getBytes(StandardCharsets.US_ASCII);
        put(text.length);
        put(text);
        put(0);
    }

    /** An array of strings ({@code as}). */
    public void strings(List<String> values) {
        array(4, items -> values.forEach(items::string));
    }

    /** An array: its length in bytes, padding to its elements' alignment, and the elements {@code elements} writes. */
    void array(int alignment, Consumer<DBusWriter> elements) {
        uint32(0);
        int lengthAt = size - 4;
        align(alignment);
        int start = size;
        elements.accept(this);
        int length = size - start;
        for (int i = 0; i < 4; i++) {
            bytes[lengthAt + i] = (byte) (length >>> (8 * i));
        }
    }

    /** A header field: its code and its value as a variant of {@code type} (a string, an object path or a signature). */
    void field(int code, String type, String value) {
        align(8);
        put(code);
        signature(type);
        if (type.equals("g")) {
            signature(value);
        } else {
            string(value);
        }
    }

    void append(DBusWriter other) {
        put(Arrays.copyOf(other.bytes, other.size));
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes, 0, size);
    }
}
