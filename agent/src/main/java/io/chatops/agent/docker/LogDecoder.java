package io.chatops.agent.docker;

import io.chatops.protocol.LogLine;
import io.chatops.protocol.OutputStreamName;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the body of {@code GET /containers/{id}/logs?timestamps=1} into lines. A container without
 * a TTY multiplexes its streams in frames, each with an 8-byte header (stream, 0, 0, 0, length as
 * 4 bytes big-endian); a TTY container's output is one raw stream. Each line starts with Docker's
 * RFC 3339 timestamp and a space.
 */
final class LogDecoder {
    /** A line longer than this is cut: logs are for reading, not for transferring files. */
    static final int MAX_LINE_CHARS = 16 * 1024;
    private static final int HEADER_BYTES = 8;

    private LogDecoder() {
    }

    static List<LogLine> decode(byte[] body, boolean tty) {
        List<LogLine> lines = new ArrayList<>();
        if (tty) {
            splitLines(body, 0, body.length, OutputStreamName.STDOUT, lines);
            return lines;
        }
        // Frames of one stream can split a line; join consecutive frames of the same stream first.
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        OutputStreamName runStream = null;
        int pos = 0;
        while (pos + HEADER_BYTES <= body.length) {
            OutputStreamName stream = body[pos] == 2 ? OutputStreamName.STDERR : OutputStreamName.STDOUT;
            int length = ((body[pos + 4] & 0xFF) << 24) | ((body[pos + 5] & 0xFF) << 16)
                    | ((body[pos + 6] & 0xFF) << 8) | (body[pos + 7] & 0xFF);
            pos += HEADER_BYTES;
            length = Math.max(0, Math.min(length, body.length - pos));
            if (runStream != null && stream != runStream) {
                splitLines(run.toByteArray(), 0, run.size(), runStream, lines);
                run.reset();
            }
            runStream = stream;
            run.write(body, pos, length);
            pos += length;
        }
        if (runStream != null) {
            splitLines(run.toByteArray(), 0, run.size(), runStream, lines);
        }
        return lines;
    }

    private static void splitLines(byte[] bytes, int from, int to, OutputStreamName stream, List<LogLine> out) {
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || bytes[i] == '\n') {
                if (i > start || i < to) {
                    int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                    out.add(line(new String(bytes, start, end - start, StandardCharsets.UTF_8), stream));
                }
                start = i + 1;
            }
        }
    }

    private static LogLine line(String text, OutputStreamName stream) {
        Instant timestamp = null;
        int space = text.indexOf(' ');
        if (space > 0) {
            try {
                timestamp = Instant.parse(text.substring(0, space));
                text = text.substring(space + 1);
            } catch (DateTimeParseException e) {
                // a line without Docker's timestamp: keep it whole
            }
        }
        if (text.length() > MAX_LINE_CHARS) {
            text = text.substring(0, MAX_LINE_CHARS) + "…";
        }
        return new LogLine(stream, timestamp, text);
    }
}
