package io.chatops.agent.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over ASCII text in a byte array, for parsing /proc without regular expressions,
 * per-line strings or any allocation on the hot path. Numbers are read in place; text is only
 * turned into a String where a name is needed. Parsers take one and read forward.
 */
public final class ByteText {
    private byte[] bytes;
    private int end;
    private int pos;

    ByteText() {
        this(new byte[0], 0);
    }

    private ByteText(byte[] bytes, int end) {
        this.bytes = bytes;
        this.end = end;
    }

    /** For tests and for small one-off files. */
    public static ByteText of(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new ByteText(b, b.length);
    }

    ByteText reset(byte[] newBytes, int length) {
        bytes = newBytes;
        end = length;
        pos = 0;
        return this;
    }

    boolean atEnd() {
        return pos >= end;
    }

    /** True when the current line starts with {@code prefix} (ASCII). Does not move. */
    boolean lineStartsWith(String prefix) {
        int n = prefix.length();
        if (pos + n > end) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (bytes[pos + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** True when nothing but spaces is left on this line. */
    boolean atLineEnd() {
        skipSpaces();
        return pos >= end || bytes[pos] == '\n';
    }

    /** Moves to the start of the next line. */
    void nextLine() {
        while (pos < end && bytes[pos] != '\n') {
            pos++;
        }
        if (pos < end) {
            pos++;
        }
    }

    /** Moves past {@code n} characters. */
    void skip(int n) {
        pos = Math.min(end, pos + n);
    }

    void skipSpaces() {
        while (pos < end && (bytes[pos] == ' ' || bytes[pos] == '\t')) {
            pos++;
        }
    }

    /** Moves past the next occurrence of {@code c} on this line; false if there is none. */
    boolean skipPast(char c) {
        while (pos < end && bytes[pos] != '\n') {
            if (bytes[pos++] == c) {
                return true;
            }
        }
        return false;
    }

    /** Whether the next space-separated field on this line is {@code expected} (ASCII); does not move past it. */
    boolean fieldIs(String expected) {
        skipSpaces();
        int n = expected.length();
        if (pos + n > end) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (bytes[pos + i] != expected.charAt(i)) {
                return false;
            }
        }
        return pos + n == end || bytes[pos + n] == ' ' || bytes[pos + n] == '\t' || bytes[pos + n] == '\n';
    }

    /** Skips the next space-separated field on this line. */
    void skipField() {
        skipSpaces();
        while (pos < end && bytes[pos] != ' ' && bytes[pos] != '\t' && bytes[pos] != '\n') {
            pos++;
        }
    }

    /** The next unsigned decimal integer on this line, skipping spaces before it. */
    long nextLong() {
        skipSpaces();
        if (pos >= end || bytes[pos] < '0' || bytes[pos] > '9') {
            throw new NumberFormatException("expected a number at byte " + pos + " near \"" + context() + "\"");
        }
        long value = 0;
        while (pos < end && bytes[pos] >= '0' && bytes[pos] <= '9') {
            long next = value * 10 + (bytes[pos++] - '0');
            if (next < value) {
                throw new NumberFormatException("number too large near \"" + context() + "\"");
            }
            value = next;
        }
        return value;
    }

    /** The next decimal integer on this line, with an optional minus sign (a temperature below zero). */
    long nextSignedLong() {
        skipSpaces();
        if (pos < end && bytes[pos] == '-') {
            pos++;
            return -nextLong();
        }
        return nextLong();
    }

    /** The next unsigned decimal number with an optional fraction ({@code 12.34}). */
    double nextDecimal() {
        long whole = nextLong();
        if (pos >= end || bytes[pos] != '.') {
            return whole;
        }
        pos++;
        long fraction = 0;
        long scale = 1;
        while (pos < end && bytes[pos] >= '0' && bytes[pos] <= '9' && scale < 1_000_000_000_000L) {
            fraction = fraction * 10 + (bytes[pos++] - '0');
            scale *= 10;
        }
        while (pos < end && bytes[pos] >= '0' && bytes[pos] <= '9') {
            pos++; // digits beyond double's precision
        }
        // One division keeps 0.87 exactly 0.87, where summing tenths would drift.
        return whole + (double) fraction / scale;
    }

    /** The next space-separated field on this line as a String (allocates: for names only). */
    String nextField() {
        skipSpaces();
        int start = pos;
        while (pos < end && bytes[pos] != ' ' && bytes[pos] != '\t' && bytes[pos] != '\n') {
            pos++;
        }
        return new String(bytes, start, pos - start, StandardCharsets.UTF_8);
    }

    /** The rest of this line, trimmed, as a String; moves to the next line. */
    String restOfLine() {
        skipSpaces();
        int start = pos;
        while (pos < end && bytes[pos] != '\n') {
            pos++;
        }
        int stop = pos;
        while (stop > start && (bytes[stop - 1] == ' ' || bytes[stop - 1] == '\t' || bytes[stop - 1] == '\r')) {
            stop--;
        }
        nextLine();
        return new String(bytes, start, stop - start, StandardCharsets.UTF_8);
    }

    /**
     * The field up to {@code delimiter} on this line, compared with {@code candidate} without
     * allocating; returns {@code candidate} when equal, else a new String. Lets collectors keep the
     * same String objects for names that repeat every sample (interfaces, mounts).
     */
    String nextFieldUpTo(char delimiter, String candidate) {
        skipSpaces();
        int start = pos;
        while (pos < end && bytes[pos] != delimiter && bytes[pos] != '\n') {
            pos++;
        }
        int length = pos - start;
        if (pos < end && bytes[pos] == delimiter) {
            pos++;
        }
        if (candidate != null && candidate.length() == length) {
            boolean same = true;
            for (int i = 0; i < length && same; i++) {
                same = bytes[start + i] == candidate.charAt(i);
            }
            if (same) {
                return candidate;
            }
        }
        return new String(bytes, start, length, StandardCharsets.UTF_8);
    }

    /** Whether this content equals {@code other}'s byte for byte. */
    boolean sameContentAs(byte[] other, int otherLength) {
        return Arrays.equals(bytes, 0, end, other, 0, otherLength);
    }

    byte[] copy() {
        return Arrays.copyOf(bytes, end);
    }

    private String context() {
        int from = Math.max(0, pos - 20);
        int to = Math.min(end, pos + 20);
        return new String(bytes, from, to - from, StandardCharsets.UTF_8).replace('\n', ' ');
    }
}
