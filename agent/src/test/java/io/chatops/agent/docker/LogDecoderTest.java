package io.chatops.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.protocol.LogLine;
import io.chatops.protocol.OutputStreamName;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogDecoderTest {

    private static void frame(ByteArrayOutputStream out, int stream, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        out.write(stream);
        out.write(0);
        out.write(0);
        out.write(0);
        out.write(payload.length >>> 24);
        out.write(payload.length >>> 16);
        out.write(payload.length >>> 8);
        out.write(payload.length);
        out.writeBytes(payload);
    }

    @Test
    void multiplexed_frames_become_lines_with_stream_and_timestamp() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        frame(body, 1, "2026-11-26T00:59:58.123456789Z GET / 200\n");
        frame(body, 2, "2026-11-26T00:59:59.000000001Z worker ");
        frame(body, 2, "exited\n");

        List<LogLine> lines = LogDecoder.decode(body.toByteArray(), false);

        assertThat(lines).containsExactly(
                new LogLine(OutputStreamName.STDOUT, Instant.parse("2026-11-26T00:59:58.123456789Z"), "GET / 200"),
                new LogLine(OutputStreamName.STDERR, Instant.parse("2026-11-26T00:59:59.000000001Z"), "worker exited"));
    }

    @Test
    void tty_output_is_one_stdout_stream_with_crlf_line_ends() {
        byte[] body = "2026-11-26T01:00:00Z one\r\n2026-11-26T01:00:01Z two\r\n".getBytes(StandardCharsets.UTF_8);

        assertThat(LogDecoder.decode(body, true)).extracting(LogLine::text).containsExactly("one", "two");
    }

    @Test
    void a_truncated_frame_keeps_what_arrived_and_long_lines_are_cut() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        frame(body, 1, "x".repeat(20_000) + "\n");
        byte[] bytes = body.toByteArray();
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 5);

        List<LogLine> lines = LogDecoder.decode(cut, false);

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).text()).hasSize(LogDecoder.MAX_LINE_CHARS + 1).endsWith("…");
        assertThat(lines.get(0).timestamp()).isNull();
    }
}
