package io.chatops.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatops.protocol.MessageCodec;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's WebSocket client against a hand-written server on loopback that checks every byte
 * the client sends and sends what a hub, a broken hub or a proxy could: fragments, pings, oversized
 * and binary frames, bad UTF-8, masked frames, closes, and no reading at all.
 */
class SocketTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final ServerSocket server = newServer();
    private final Events events = new Events();
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws IOException {
        server.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    @Test
    void upgrades_and_sends_masked_text_frames_the_server_can_read() throws Exception {
        Peer peer = connect(new SocketTransport("agent-test/1"));

        assertThat(peer.request).startsWith("GET /api/v1/agents/ws?x=1 HTTP/1.1\r\n").contains("Host: 127.0.0.1:" + server.getLocalPort())
                .contains("Upgrade: websocket").contains("Sec-WebSocket-Version: 13").contains("User-Agent: agent-test/1");
        peer.connection.send(utf8("{\"type\":\"hello\"}"));
        String large = "é".repeat(40_000); // a 16-bit length and multi-byte characters
        peer.connection.send(utf8(large));

        ClientFrame first = peer.readFrame();
        assertThat(first.masked).isTrue();
        assertThat(first.opcode).isEqualTo(WebSocketFrames.TEXT);
        assertThat(first.text()).isEqualTo("{\"type\":\"hello\"}");
        assertThat(peer.readFrame().text()).isEqualTo(large);
    }

    @Test
    void joins_fragments_answers_pings_between_them_and_reports_them_as_activity() throws Exception {
        Peer peer = connect(new SocketTransport("test"));

        peer.write(false, WebSocketFrames.TEXT, "{\"type\":".getBytes(StandardCharsets.UTF_8));
        peer.write(true, WebSocketFrames.PING, "are you there".getBytes(StandardCharsets.UTF_8));
        peer.write(false, WebSocketFrames.CONTINUATION, "\"metrics_ack\",".getBytes(StandardCharsets.UTF_8));
        peer.write(true, WebSocketFrames.CONTINUATION, "\"seq\":1}".getBytes(StandardCharsets.UTF_8));

        ClientFrame pong = peer.readFrame();
        assertThat(pong.opcode).isEqualTo(WebSocketFrames.PONG);
        assertThat(pong.text()).isEqualTo("are you there");
        assertThat(events.next()).isEqualTo("activity");
        assertThat(events.next()).isEqualTo("text {\"type\":\"metrics_ack\",\"seq\":1}");
    }

    @Test
    void an_oversized_binary_or_garbled_frame_is_refused_and_the_connection_stays() throws Exception {
        Peer peer = connect(new SocketTransport("test"));

        peer.write(true, WebSocketFrames.TEXT, new byte[MessageCodec.MAX_FRAME_BYTES + 1]);
        peer.write(false, WebSocketFrames.TEXT, new byte[MessageCodec.MAX_FRAME_BYTES]);
        peer.write(true, WebSocketFrames.CONTINUATION, new byte[10]);
        peer.write(true, WebSocketFrames.BINARY, new byte[3]);
        peer.write(true, WebSocketFrames.TEXT, new byte[] {(byte) 0xC3, (byte) 0x28});
        peer.write(true, WebSocketFrames.TEXT, "still here".getBytes(StandardCharsets.UTF_8));

        assertThat(events.next()).isEqualTo("bad frame of " + (MessageCodec.MAX_FRAME_BYTES + 1) + " bytes exceeds the limit of "
                + MessageCodec.MAX_FRAME_BYTES + " bytes");
        assertThat(events.next()).isEqualTo("bad frame of " + (MessageCodec.MAX_FRAME_BYTES + 10) + " bytes exceeds the limit of "
                + MessageCodec.MAX_FRAME_BYTES + " bytes");
        assertThat(events.next()).isEqualTo("bad binary frames are not part of the protocol");
        assertThat(events.next()).isEqualTo("bad a text frame that is not valid UTF-8");
        assertThat(events.next()).isEqualTo("text still here");
    }

    @Test
    void a_masked_frame_from_the_server_ends_the_connection_with_a_reason() throws Exception {
        Peer peer = connect(new SocketTransport("test"));

        peer.out.write(new byte[] {(byte) 0x81, (byte) 0x81, 1, 2, 3, 4, 'x'});

        assertThat(events.next()).startsWith("failed").contains("masked frame");
    }

    @Test
    void a_close_from_the_hub_is_answered_with_its_code_and_reported() throws Exception {
        Peer peer = connect(new SocketTransport("test"));

        peer.write(true, WebSocketFrames.CLOSE, WebSocketFrames.closePayload(4001, "key revoked"));

        assertThat(events.next()).isEqualTo("closed 4001 key revoked");
        ClientFrame answer = peer.readFrame();
        assertThat(answer.opcode).isEqualTo(WebSocketFrames.CLOSE);
        assertThat(Arrays.copyOf(answer.payload, 2)).containsExactly(0x0F, 0xA1);
        assertThat(peer.connection.send(utf8("too late"))).isFalse();
    }

    @Test
    void closing_sends_the_code_and_ends_when_the_hub_answers() throws Exception {
        Peer peer = connect(new SocketTransport("test"));

        peer.connection.close(1000, "agent stopping");
        ClientFrame close = peer.readFrame();
        assertThat(close.opcode).isEqualTo(WebSocketFrames.CLOSE);
        assertThat(new String(close.payload, 2, close.payload.length - 2, StandardCharsets.UTF_8)).isEqualTo("agent stopping");
        peer.write(true, WebSocketFrames.CLOSE, WebSocketFrames.closePayload(1000, ""));

        assertThat(events.next()).isEqualTo("closed 1000 ");
    }

    @Test
    void a_connection_cut_without_a_close_frame_fails_and_an_aborted_one_reports_nothing() throws Exception {
        Peer cut = connect(new SocketTransport("test"));
        cut.socket.close();
        assertThat(events.next()).startsWith("failed").contains("without a close frame");

        Peer aborted = connect(new SocketTransport("test"));
        aborted.connection.abort();
        assertThat(aborted.in.read()).isEqualTo(-1);
        assertThat(events.poll(Duration.ofMillis(500))).isNull();
    }

    @Test
    void a_hub_that_stops_reading_is_dropped_once_a_write_has_waited_too_long() throws Exception {
        Peer peer = connect(new SocketTransport("test", Duration.ofSeconds(1), Duration.ofMillis(200)));
        peer.socket.setReceiveBufferSize(4096);
        byte[] chunk = utf8("x".repeat(256 * 1024));

        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            while (peer.connection.send(chunk)) {
                // until the kernel's buffers are full and a write blocks, then fails
            }
        });

        assertThat(events.next()).startsWith("failed").contains("has not read what the agent sent for 1 s");
        sending.cancel(true);
    }

    @Test
    void a_hub_that_pings_but_never_reads_is_dropped_too() throws Exception {
        Peer peer = connect(new SocketTransport("test", Duration.ofSeconds(1), Duration.ofMillis(200)));
        peer.socket.setReceiveBufferSize(4096);
        byte[] chunk = utf8("x".repeat(256 * 1024));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            threads.execute(() -> {
                try {
                    while (!peer.socket.isClosed()) {
                        peer.write(true, WebSocketFrames.PING, new byte[] {1});
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // the client went away
                }
            });
            threads.execute(() -> {
                while (peer.connection.send(chunk)) {
                    // until a write blocks; the pings' answers then wait behind it
                }
            });

            assertThat(events.nextOtherThan("activity")).startsWith("failed").contains("has not read what the agent sent for 1 s");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void an_answer_other_than_101_is_an_error_that_names_it() {
        CompletableFuture<Transport.Connection> connecting = new SocketTransport("test").connect(uri("ws"), events);
        answer("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");

        assertThatThrownBy(() -> connecting.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("HTTP 401 Unauthorized instead of 101");
    }

    @Test
    void a_wrong_accept_key_is_refused() {
        CompletableFuture<Transport.Connection> connecting = new SocketTransport("test").connect(uri("ws"), events);
        answer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: Zm9v\r\n\r\n");

        assertThatThrownBy(() -> connecting.get(10, TimeUnit.SECONDS)).hasMessageContaining("Sec-WebSocket-Accept does not match");
    }

    @Test
    void wss_checks_the_hubs_certificate_and_name() throws Exception {
        SSLContext tls = tlsWith("127.0.0.1");
        try (ServerSocket secure = tls.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Transport.Connection> connecting = new SocketTransport("test", tls.getSocketFactory())
                    .connect(URI.create("wss://127.0.0.1:" + secure.getLocalPort() + "/api/v1/agents/ws"), events);
            Peer peer = upgrade(secure.accept(), connecting);
            peer.connection.send(utf8("over tls"));
            assertThat(peer.readFrame().text()).isEqualTo("over tls");
        }

        SSLContext wrongName = tlsWith("hub.example.com");
        try (SSLServerSocket secure = (SSLServerSocket) wrongName.getServerSocketFactory().createServerSocket(0, 5,
                InetAddress.getLoopbackAddress())) {
            CompletableFuture<Transport.Connection> connecting = new SocketTransport("test", wrongName.getSocketFactory())
                    .connect(URI.create("wss://127.0.0.1:" + secure.getLocalPort() + "/api/v1/agents/ws"), events);
            CompletableFuture.runAsync(() -> {
                try (Socket socket = secure.accept()) {
                    socket.getInputStream().read();
                } catch (IOException ignored) {
                    // the client gives up during the TLS handshake
                }
            });
            assertThatThrownBy(() -> connecting.get(10, TimeUnit.SECONDS)).hasMessageContaining("127.0.0.1");
        }
    }

    // --- the hand-written server ------------------------------------------------------------

    private Peer connect(SocketTransport transport) throws Exception {
        CompletableFuture<Transport.Connection> connecting = transport.connect(uri("ws"), events);
        return upgrade(server.accept(), connecting);
    }

    private Peer upgrade(Socket socket, CompletableFuture<Transport.Connection> connecting) throws Exception {
        accepted.add(socket);
        socket.setSoTimeout((int) WAIT.toMillis());
        InputStream in = new BufferedInputStream(socket.getInputStream());
        String request = WebSocketHandshake.readHead(in);
        String key = request.lines().filter(line -> line.startsWith("Sec-WebSocket-Key: ")).findFirst().orElseThrow().substring(19);
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                + WebSocketHandshake.expectedAccept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new Peer(socket, in, out, request, connecting.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    private void answer(String response) {
        CompletableFuture.runAsync(() -> {
            try {
                Socket socket = server.accept();
                accepted.add(socket);
                WebSocketHandshake.readHead(new BufferedInputStream(socket.getInputStream()));
                socket.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private URI uri(String scheme) {
        return URI.create(scheme + "://127.0.0.1:" + server.getLocalPort() + "/api/v1/agents/ws?x=1");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ServerSocket newServer() {
        try {
            return new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key pair and certificate for {@code name} (keytool), trusted by the same context. */
    private SSLContext tlsWith(String name) throws Exception {
        Path store = dir.resolve(name + ".p12");
        String san = Character.isDigit(name.charAt(0)) ? "ip:" + name : "dns:" + name;
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit", "-alias", "hub", "-keyalg", "EC",
                "-dname", "CN=" + name, "-ext", "san=" + san, "-validity", "2").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore keys = KeyStore.getInstance(store.toFile(), "changeit".toCharArray());
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "changeit".toCharArray());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(keys);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private record ClientFrame(boolean fin, int opcode, boolean masked, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private record Peer(Socket socket, InputStream in, OutputStream out, String request, Transport.Connection connection) {
        ClientFrame readFrame() throws IOException {
            DataInputStream data = new DataInputStream(in);
            int first = data.readUnsignedByte();
            int second = data.readUnsignedByte();
            long length = second & 0x7F;
            if (length == 126) {
                length = data.readUnsignedShort();
            } else if (length == 127) {
                length = data.readLong();
            }
            byte[] mask = new byte[4];
            boolean masked = (second & 0x80) != 0;
            if (masked) {
                data.readFully(mask);
            }
            byte[] payload = new byte[(int) length];
            data.readFully(payload);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
            return new ClientFrame((first & 0x80) != 0, first & 0x0F, masked, payload);
        }

        void write(boolean fin, int opcode, byte[] payload) throws IOException {
            byte[] header;
            if (payload.length <= 125) {
                header = new byte[] {(byte) ((fin ? 0x80 : 0) | opcode), (byte) payload.length};
            } else if (payload.length <= 0xFFFF) {
                header = new byte[] {(byte) ((fin ? 0x80 : 0) | opcode), 126, (byte) (payload.length >>> 8), (byte) payload.length};
            } else {
                header = new byte[10];
                header[0] = (byte) ((fin ? 0x80 : 0) | opcode);
                header[1] = 127;
                for (int i = 0; i < 8; i++) {
                    header[2 + i] = (byte) ((long) payload.length >>> (56 - 8 * i));
                }
            }
            out.write(header);
            out.write(payload);
            out.flush();
        }
    }

    /** What the transport reported, as lines, in order. */
    private static final class Events implements Transport.Listener {
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

        String next() throws InterruptedException {
            String event = poll(WAIT);
            assertThat(event).as("an event within " + WAIT).isNotNull();
            return event;
        }

        String nextOtherThan(String ignored) throws InterruptedException {
            String event = next();
            while (event.equals(ignored)) {
                event = next();
            }
            return event;
        }

        String poll(Duration wait) throws InterruptedException {
            return queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void onText(Transport.Connection connection, String text) {
            queue.add("text " + text);
        }

        @Override
        public void onBadFrame(Transport.Connection connection, String problem) {
            queue.add("bad " + problem);
        }

        @Override
        public void onActivity(Transport.Connection connection) {
            queue.add("activity");
        }

        @Override
        public void onClosed(Transport.Connection connection, int code, String reason) {
            queue.add("closed " + code + " " + reason);
        }

        @Override
        public void onFailed(Transport.Connection connection, Throwable error) {
            queue.add("failed " + error);
        }
    }
}
