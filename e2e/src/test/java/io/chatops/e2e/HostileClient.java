package io.chatops.e2e;

import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.Auth;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Metrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client that tries to hurt the hub, run beside a well-behaved fleet by {@link HostileClients}:
 * {@link #start} begins the abuse, {@link #stop} ends it and says what the hub did about it.
 */
interface HostileClient {
    String name();

    void start() throws Exception;

    /** Ends the abuse and tells what became of it: throttled, closed (with the hub's reason), or let be. */
    String stop() throws Exception;

    /** Counts outcomes by their description, for a one-line summary. */
    final class Tally {
        private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

        void add(String outcome) {
            counts.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            new TreeMap<>(counts).forEach((outcome, count) -> parts.add(outcome + " ×" + count));
            return String.join(", ", parts);
        }
    }

    /** Runs {@code body} until stopped, on threads of its own. */
    abstract class Looping implements HostileClient {
        private final ExecutorService threads = Executors.newCachedThreadPool();
        volatile boolean stopped;

        void loop(int threadCount, Body body) {
            for (int i = 0; i < threadCount; i++) {
                threads.submit(() -> {
                    while (!stopped) {
                        try {
                            body.run();
                        } catch (InterruptedException e) {
                            return null;
                        }
                    }
                    return null;
                });
            }
        }

        interface Body {
            void run() throws InterruptedException;
        }

        void end() throws InterruptedException {
            stopped = true;
            threads.shutdown();
            if (!threads.awaitTermination(20, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        }
    }

    /** A WebSocket client that records how its connection ended. */
    final class Link implements WebSocket.Listener {
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final AtomicLong received = new AtomicLong();
        WebSocket socket;

        static Link open(HttpClient client, URI uri) {
            Link link = new Link();
            link.socket = client.newWebSocketBuilder().buildAsync(uri, link).join();
            return link;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (last) {
                received.incrementAndGet();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closed.complete("closed " + code + " " + reason.replaceAll("[0-9,]+ > [0-9,]+", "…"));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete("broken by the hub");
        }

        /** Sends and waits for the frame to be written; false once the hub has closed the link. */
        boolean send(String frame) {
            try {
                socket.sendText(frame, true).join();
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }

        String awaitEnd(Duration wait) {
            try {
                return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                socket.abort();
                return "still open";
            }
        }
    }

    static String auth(String key, String name) {
        return new MessageCodec().encode(new Auth(key, Message.PROTOCOL_VERSION, new AgentInfo("1.0.0", name, name, null, null, null, null,
                1, 1_073_741_824L, null, null, List.of("metrics"))));
    }

    /**
     * One agent link sending samples as fast as it may, up to {@code perSecond}: how many the hub took,
     * and whether it throttled the link (the sends slow down) or closed it.
     */
    final class FrameFlooder extends Looping {
        private static final MessageCodec CODEC = new MessageCodec();
        private final HttpClient client;
        private final URI uri;
        private final String key;
        private final int perSecond;
        private final Tally ends = new Tally();
        private final AtomicLong sent = new AtomicLong();
        private long startedAt;
        /** The link being flooded: aborted at the end, so that a send the hub holds back lets go. */
        private volatile Link current;

        FrameFlooder(HttpClient client, URI uri, String key, int perSecond) {
            this.client = client;
            this.uri = uri;
            this.key = key;
            this.perSecond = perSecond;
        }

        @Override
        public String name() {
            return "one link sending " + perSecond + " samples a second";
        }

        @Override
        public void start() {
            startedAt = System.nanoTime();
            AtomicLong seq = new AtomicLong(System.currentTimeMillis()); // above whatever an earlier link of this key sent
            loop(1, () -> {
                Link link = Link.open(client, uri);
                current = link;
                link.send(auth(key, "flooder"));
                long began = System.nanoTime();
                long frames = 0;
                while (!stopped && !link.closed.isDone()) {
                    Metrics sample = new Metrics(seq.incrementAndGet(), Instant.now(), 5, null, null, List.of(), List.of(), 1L, null, null);
                    if (!link.send(CODEC.encode(sample))) {
                        break;
                    }
                    sent.incrementAndGet();
                    if (++frames * 1_000_000_000L / perSecond > System.nanoTime() - began) {
                        TimeUnit.NANOSECONDS.sleep(frames * 1_000_000_000L / perSecond - (System.nanoTime() - began));
                    }
                }
                if (!stopped) {
                    ends.add(link.awaitEnd(Duration.ofSeconds(5)));
                }
                link.socket.abort();
            });
        }

        @Override
        public String stop() throws InterruptedException {
            stopped = true;
            String open = current == null || current.closed.isDone() ? null : "still open at the end";
            if (current != null) {
                current.socket.abort();
            }
            end();
            if (open != null) {
                ends.add(open);
            }
            double seconds = (System.nanoTime() - startedAt) / 1e9;
            return String.format("sent %.0f samples a second of the %d it tried; links: %s", sent.get() / seconds, perSecond, ends);
        }
    }

    /** Frames past the limits: 8 MiB before the handshake, 1.5 MiB and 8 MiB after it. */
    final class OversizedFrames extends Looping {
        private final HttpClient client;
        private final URI uri;
        private final String key;
        private final Tally ends = new Tally();

        OversizedFrames(HttpClient client, URI uri, String key) {
            this.client = client;
            this.uri = uri;
            this.key = key;
        }

        @Override
        public String name() {
            return "frames of 1.5 and 8 MiB, before and after the handshake";
        }

        @Override
        public void start() {
            String eight = "{\"type\":\"metrics\",\"pad\":\"" + "x".repeat(8 << 20) + "\"}";
            String oneAndAHalf = "{\"type\":\"command_output\",\"id\":\"c\",\"stream\":\"stdout\",\"data\":\"" + "x".repeat(3 << 19) + "\"}";
            loop(1, () -> {
                Link stranger = Link.open(client, uri);
                stranger.send(eight);
                ends.add("8 MiB before auth: " + stranger.awaitEnd(Duration.ofSeconds(10)));

                Link agent = Link.open(client, uri);
                agent.send(auth(key, "oversized"));
                while (!stopped && agent.send(oneAndAHalf) && !agent.closed.isDone()) {
                    Thread.sleep(10);
                }
                ends.add("1.5 MiB after auth: " + agent.awaitEnd(Duration.ofSeconds(10)) + " after " + agent.received.get() + " answers");

                Link big = Link.open(client, uri);
                big.send(auth(key, "oversized"));
                Thread.sleep(200);
                big.send(eight);
                ends.add("8 MiB after auth: " + big.awaitEnd(Duration.ofSeconds(10)));
            });
        }

        @Override
        public String stop() throws InterruptedException {
            end();
            return ends.toString();
        }
    }

    /**
     * {@code count} connections held open and opened again as the hub closes them: idle ones, which
     * send nothing, or slowloris ones, which send a request's first line and then a header byte a
     * second, never ending the headers.
     */
    final class HeldConnections extends Looping {
        private static final byte[] REQUEST_START = "GET /api/v1/servers HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                .getBytes(StandardCharsets.US_ASCII);
        private final String name;
        private final int port;
        private final int count;
        private final boolean slowloris;
        private final Tally ends = new Tally();
        private final AtomicLong opened = new AtomicLong();
        private final AtomicLong refused = new AtomicLong();
        private final List<Long> lifetimesMillis = new CopyOnWriteArrayList<>();

        private HeldConnections(String name, int port, int count, boolean slowloris) {
            this.name = name;
            this.port = port;
            this.count = count;
            this.slowloris = slowloris;
        }

        static HeldConnections idle(int port, int count) {
            return new HeldConnections(count + " idle TCP connections", port, count, false);
        }

        static HeldConnections slowloris(int port, int count) {
            return new HeldConnections(count + " slowloris requests (a header byte a second)", port, count, true);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start() {
            SocketChannel[] channels = new SocketChannel[count];
            long[] openedAt = new long[count];
            loop(1, () -> {
                for (int i = 0; i < count && !stopped; i++) {
                    String answer = channels[i] == null ? null : nudge(channels[i]);
                    if (answer != null) {
                        ends.add(answer);
                        lifetimesMillis.add((System.nanoTime() - openedAt[i]) / 1_000_000);
                        RawHttp.closeQuietly(channels[i]);
                        channels[i] = null;
                    }
                    if (channels[i] == null) {
                        channels[i] = open();
                        openedAt[i] = System.nanoTime();
                        if (i % 1_000 == 999) {
                            Thread.sleep(200); // 5 000 new connections a second at most
                        }
                    }
                }
                Thread.sleep(1_000);
                if (stopped) {
                    Arrays.stream(channels).forEach(RawHttp::closeQuietly);
                }
            });
        }

        /** A new connection, with the start of a request if slowloris; null when it could not be opened. */
        private SocketChannel open() {
            SocketChannel channel = null;
            try {
                channel = RawHttp.open(port);
                if (slowloris) {
                    channel.write(ByteBuffer.wrap(REQUEST_START));
                }
                opened.incrementAndGet();
                return channel;
            } catch (IOException e) {
                refused.incrementAndGet();
                RawHttp.closeQuietly(channel);
                return null;
            }
        }

        /** What the hub did with the connection (null: nothing yet), after one more header byte if slowloris. */
        private String nudge(SocketChannel channel) {
            String answer = RawHttp.peerAnswer(channel);
            if (answer == null && slowloris) {
                try {
                    channel.write(ByteBuffer.wrap(new byte[] {'a'}));
                } catch (IOException e) {
                    return "broken by the hub";
                }
            }
            return answer;
        }

        @Override
        public String stop() throws InterruptedException {
            end();
            long[] sorted = lifetimesMillis.stream().mapToLong(Long::longValue).sorted().toArray();
            return String.format("%d opened, %d could not connect; ", opened.get(), refused.get()) + (sorted.length == 0
                    ? "none closed by the hub"
                    : String.format("ended by the hub: %s; closed after %.1f s (median)", ends, sorted[sorted.length / 2] / 1000.0));
        }
    }

    /** {@code count} clients trying passwords for "admin" as fast as the hub answers. */
    final class LoginBruteForce extends Looping {
        private final HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        private final String url;
        private final int count;
        private final Tally answers = new Tally();

        LoginBruteForce(String url, int count) {
            this.url = url;
            this.count = count;
        }

        @Override
        public String name() {
            return count + " sign-in brute-forcers";
        }

        @Override
        public void start() {
            AtomicLong attempt = new AtomicLong();
            loop(count, () -> {
                HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/v1/auth/login")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"guess-" + attempt.incrementAndGet()
                                + "\"}")).build();
                try {
                    answers.add(String.valueOf(client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()));
                } catch (IOException e) {
                    answers.add("failed");
                }
            });
        }

        @Override
        public String stop() throws InterruptedException {
            end();
            return "answers: " + answers;
        }
    }

    /**
     * A browser's live socket, signed in with a token, subscribed to {@code topics} servers' metrics,
     * that never reads what it is sent: at the end, what it had been sent, and how the hub ended it.
     */
    final class SilentBrowser implements HostileClient {
        private final int port;
        private final String token;
        private final List<String> serverIds;
        private Socket socket;

        SilentBrowser(int port, String token, List<String> serverIds) {
            this.port = port;
            this.token = token;
            this.serverIds = serverIds;
        }

        @Override
        public String name() {
            return "a live socket following " + serverIds.size() + " topics that never reads";
        }

        @Override
        public void start() throws IOException {
            socket = new Socket();
            socket.setReceiveBufferSize(4096); // a browser on a slow link: the hub's buffers fill, not the kernel's
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            String nonce = Base64.getEncoder().encodeToString(new byte[16]);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/live?token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + nonce + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String status = RawHttp.statusLine(socket);
            if (!status.contains("101")) {
                throw new IllegalStateException("the live socket was refused: " + status);
            }
            RawHttp.skipHeaders(socket.getInputStream());
            String topics = String.join(",", serverIds.stream().map(id -> "\"server:" + id + ":metrics\"").toList());
            RawHttp.writeMaskedText(out, "{\"type\":\"subscribe\",\"topics\":[" + topics + "]}");
        }

        @Override
        public String stop() throws IOException {
            // Reads now what was sent meanwhile: a close frame at its end means the hub let the client go.
            socket.setSoTimeout(3_000);
            RawHttp.Frames frames = RawHttp.readFrames(socket.getInputStream(), Duration.ofSeconds(5));
            socket.close();
            return String.format("it was sent %d frames (%.1f MiB)%s", frames.count(), frames.bytes() / 1048576.0,
                    frames.close() == null ? ", and is still connected" : "; then " + frames.close());
        }
    }
}
