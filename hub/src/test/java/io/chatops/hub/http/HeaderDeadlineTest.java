package io.chatops.hub.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.Hub;
import io.chatops.hub.TestHubs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connections that never finish a request's headers are answered 408 and closed; slow but finished ones are served. */
class HeaderDeadlineTest {
    private static final String HEALTHZ = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    @TempDir
    Path dir;

    @Test
    void a_request_s_headers_must_come_within_the_limit() throws Exception {
        try (Hub hub = TestHubs.start(dir, Clock.systemUTC());
                Socket silent = connect(hub); Socket slowloris = connect(hub); Socket keptAlive = connect(hub);
                Socket slowButDone = connect(hub)) {
            long start = System.nanoTime();
            CompletableFuture<Void> dribbling = CompletableFuture.runAsync(() -> {
                try {
                    slowloris.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                    while (System.nanoTime() - start < 3 * HeaderDeadline.LIMIT.toNanos()) {
                        slowloris.getOutputStream().write('a');
                        Thread.sleep(500);
                    }
                } catch (IOException | InterruptedException closedByTheHub) {
                    // what the hub should do
                }
            });
            keptAlive.getOutputStream().write(HEALTHZ.getBytes(StandardCharsets.US_ASCII));
            assertThat(readAnswer(keptAlive)).startsWith("HTTP/1.1 200");
            slowButDone.getOutputStream().write("GET /healthz HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(3_000);
            slowButDone.getOutputStream().write("Host: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readAnswer(slowButDone)).startsWith("HTTP/1.1 200");

            String silentAnswer = readAll(silent);
            double silentClosedAfter = (System.nanoTime() - start) / 1e9;
            assertThat(silentAnswer).startsWith("HTTP/1.1 408").contains("X-Content-Type-Options: nosniff")
                    .endsWith("{\"error\":{\"code\":\"request_timeout\",\"message\":\"the request's headers took more than 20 s\"}}");
            assertThat(silentClosedAfter).isBetween(HeaderDeadline.LIMIT.toSeconds() - 1.0, HeaderDeadline.LIMIT.toSeconds() + 5.0);
            assertThat(readAll(slowloris)).startsWith("HTTP/1.1 408"); // its first request: timed from the opening too
            assertThat((System.nanoTime() - start) / 1e9).isLessThan(HeaderDeadline.LIMIT.toSeconds() + 5.0);
            dribbling.join();

            // Past the limit, a connection between requests is the idle timeout's, not this deadline's.
            keptAlive.getOutputStream().write(HEALTHZ.getBytes(StandardCharsets.US_ASCII));
            assertThat(readAnswer(keptAlive)).startsWith("HTTP/1.1 200");
        }
    }

    private static Socket connect(Hub hub) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", hub.port()));
        socket.setSoTimeout(60_000);
        return socket;
    }

    /** One answer's head and body, read up to its Content-Length. */
    private static String readAnswer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int length = text.lines().filter(line -> line.toLowerCase().startsWith("content-length:"))
                .mapToInt(line -> Integer.parseInt(line.substring(15).strip())).findFirst().orElse(0);
        return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Everything until the hub closes the connection. */
    private static String readAll(Socket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
