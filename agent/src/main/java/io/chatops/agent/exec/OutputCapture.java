package io.chatops.agent.exec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What one stream of a command wrote: kept up to {@link CommandRunner#MAX_OUTPUT_BYTES} for the
 * final response, the rest counted and dropped; with streaming, also the part not yet sent. Text
 * is cut only between UTF-8 characters, so a streamed chunk never ends in half a character.
 * Written by the stream's reader thread, drained by the flush timer: every method is synchronized.
 */
final class OutputCapture {
    private final int maxBytes;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final ByteArrayOutputStream unsent = new ByteArrayOutputStream();
    private final boolean streaming;
    private boolean truncated;

    OutputCapture(int maxBytes, boolean streaming) {
        this.maxBytes = maxBytes;
        this.streaming = streaming;
    }

    synchronized void write(byte[] bytes, int length) {
        int room = maxBytes - kept.size();
        int accepted = Math.min(room, length);
        if (accepted < length) {
            truncated = true;
        }
        if (accepted > 0) {
            kept.write(bytes, 0, accepted);
            if (streaming) {
                unsent.write(bytes, 0, accepted);
            }
        }
    }

    synchronized int unsentBytes() {
        return unsent.size();
    }

    /**
     * Takes the unsent text up to the last whole character; with {@code everything}, also a broken
     * tail (the stream has ended). Returns null when there is nothing to send.
     */
    synchronized String takeUnsent(boolean everything) {
        byte[] bytes = unsent.toByteArray();
        int end = everything ? bytes.length : completeUtf8Prefix(bytes);
        if (end == 0) {
            return null;
        }
        unsent.reset();
        unsent.write(bytes, end, bytes.length - end);
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    synchronized String text() {
        return kept.toString(StandardCharsets.UTF_8);
    }

    synchronized boolean truncated() {
        return truncated;
    }

    /** Length of the longest prefix that does not end inside a multi-byte UTF-8 sequence. */
    static int completeUtf8Prefix(byte[] bytes) {
        int length = bytes.length;
        // Walk back over at most 3 continuation bytes to the lead byte of the last character.
        int i = length - 1;
        int continuation = 0;
        while (i >= 0 && continuation < 3 && (bytes[i] & 0xC0) == 0x80) {
            i--;
            continuation++;
        }
        if (i < 0) {
            return length;
        }
        int lead = bytes[i] & 0xFF;
        int needed = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
        return continuation < needed ? i : length;
    }
}
