package io.chatops.hub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatops.hub.http.ApiError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack's Socket Mode (INTEGRATIONS.md §1.7): with an app-level token set, the hub opens the
 * WebSocket itself, so a hub behind NAT needs no public URL. Each connection starts with
 * {@code apps.connections.open} (the WebSocket address is temporary); every envelope is
 * acknowledged with its {@code envelope_id} (a slash command's ack carries the "working on it"
 * answer) and handled by the same {@link SlackFront} code as a signed HTTPS request. A
 * {@code disconnect} from Slack gets a new connection at once; a connection that says nothing for
 * {@link #SILENCE_LIMIT} despite our pings is dropped and replaced (Slack's own SDK has been seen to
 * keep a dead one), with backoff and jitter while Slack cannot be reached or refuses the token.
 */
final class SlackSocket implements AutoCloseable {
    static final Duration PING_EVERY = Duration.ofSeconds(10);
    static final Duration SILENCE_LIMIT = Duration.ofSeconds(30);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    static final int MAX_MESSAGE_CHARS = 1 << 20;
    /** Envelopes already handled: Slack sends one again when it missed our ack, and a command must not run twice. */
    static final int REMEMBERED_ENVELOPES = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(SlackSocket.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the settings page shows: whether the hub holds a connection, and if not, why. */
    record Status(String state, String detail, Instant since) {
        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("state", state);
            json.put("detail", detail);
            json.put("since", since == null ? null : since.toString());
            return json;
        }
    }

    private final SlackFront front;
    private final ChatIntegrations integrations;
    private final URI api;
    private final HttpClient http;
    private final ExecutorService handling;
    private final Clock clock;
    private final Duration pingEvery;
    private final Duration silenceLimit;
    private final Map<String, Boolean> handled = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_ENVELOPES;
        }
    });
    private String token;
    private Thread loop;
    private volatile Status status;

    SlackSocket(SlackFront front, ChatIntegrations integrations, URI api, HttpClient http, ExecutorService handling, Clock clock,
            Duration pingEvery, Duration silenceLimit) {
        this.front = front;
        this.integrations = integrations;
        this.api = api;
        this.http = http;
        this.handling = handling;
        this.clock = clock;
        this.pingEvery = pingEvery;
        this.silenceLimit = silenceLimit;
        this.status = new Status("off", "no app-level token is set", null);
    }

    Status status() {
        return status;
    }

    /** Follows the settings: connects when an app-level token is set, reconnects when it changes, stops when it is removed. */
    synchronized void reconfigure() {
        String wanted = integrations.slack().map(ChatIntegrations.Slack::appToken).orElse(null);
        if (Objects.equals(wanted, token)) {
            return;
        }
        stop();
        token = wanted;
        if (token == null) {
            status = new Status("off", "no app-level token is set", clock.instant());
            return;
        }
        String using = token;
        status = new Status("connecting", null, clock.instant());
        loop = Thread.ofVirtual().name("slack-socket").start(() -> run(using));
    }

    private synchronized void stop() {
        if (loop != null) {
            loop.interrupt();
            loop = null;
        }
    }

    private void run(String appToken) {
        Duration backoff = FIRST_BACKOFF;
        while (!Thread.currentThread().isInterrupted()) {
            Connection connection = null;
            try {
                status = new Status("connecting", null, clock.instant());
                connection = new Connection(open(appToken));
                boolean greeted = connection.serve();
                if (connection.refreshAsked) {
                    backoff = FIRST_BACKOFF;
                    continue; // Slack asked for a new connection: no wait
                }
                if (greeted) {
                    backoff = FIRST_BACKOFF;
                }
                status = new Status("retrying", connection.ended, clock.instant());
            } catch (Refused e) {
                status = new Status("refused", e.getMessage(), clock.instant());
                LOG.warn("Slack refused Socket Mode: {}", e.getMessage());
            } catch (IOException | ExecutionException | TimeoutException e) {
                status = new Status("retrying", "cannot reach Slack: " + e, clock.instant());
                LOG.warn("Socket Mode connection failed: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (connection != null) {
                    connection.abort();
                }
            }
            try {
                Thread.sleep(backoff.toMillis() / 2 + ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2 + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** {@code apps.connections.open}: the address of a new WebSocket, valid for a short while. */
    private URI open(String appToken) throws IOException, InterruptedException, Refused {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(api.resolve(api.getPath() + "/apps.connections.open"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + appToken)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new IOException("apps.connections.open answered HTTP " + answer.statusCode() + " without JSON");
        }
        if (!body.path("ok").asBoolean(false)) {
            throw new Refused("apps.connections.open: " + body.path("error").asText("HTTP " + answer.statusCode()));
        }
        URI url = URI.create(body.path("url").asText(""));
        if (!"wss".equals(url.getScheme()) && !"ws".equals(url.getScheme())) {
            throw new IOException("apps.connections.open gave no WebSocket address");
        }
        return url;
    }

    /** One WebSocket, from connect to its end. */
    private final class Connection implements WebSocket.Listener {
        private final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private final ReentrantLock sending = new ReentrantLock();
        private final WebSocket socket;
        private volatile Instant heard = clock.instant();
        private volatile boolean greeted;
        private volatile boolean refreshAsked;
        private volatile String ended = "the connection closed";

        Connection(URI url) throws InterruptedException, ExecutionException, TimeoutException {
            socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(url, this).get(15, TimeUnit.SECONDS);
        }

        /** Pings until the connection ends or falls silent; true when Slack said hello on it. */
        boolean serve() throws InterruptedException {
            while (!closed.isDone()) {
                try {
                    closed.get(pingEvery.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (Duration.between(heard, clock.instant()).compareTo(silenceLimit) > 0) {
                        ended = "Slack said nothing for " + silenceLimit.toSeconds() + " s";
                        LOG.warn("Socket Mode connection silent for {} s; reconnecting", silenceLimit.toSeconds());
                        break;
                    }
                    sending.lock();
                    try {
                        socket.sendPing(ByteBuffer.allocate(0)).get(pingEvery.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (ExecutionException | TimeoutException failed) {
                        // the silence check above ends it
                    } finally {
                        sending.unlock();
                    }
                } catch (ExecutionException e) {
                    break;
                }
            }
            return greeted;
        }

        void abort() {
            socket.abort();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            heard = clock.instant();
            partial.append(data);
            if (partial.length() > MAX_MESSAGE_CHARS) {
                ended = "Slack sent a message larger than " + MAX_MESSAGE_CHARS + " characters";
                closed.complete(null);
                return null;
            }
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                handling.execute(() -> receive(message));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            heard = clock.instant();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            heard = clock.instant();
            webSocket.request(1);
            return null; // the JDK answers with the pong
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int code, String reason) {
            ended = "Slack closed the connection (" + code + (reason.isEmpty() ? "" : " " + reason) + ")";
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended = "the connection failed: " + error;
            closed.complete(null);
        }

        private void receive(String text) {
            JsonNode message;
            try {
                message = JSON.readTree(text);
            } catch (IOException e) {
                LOG.warn("Slack sent a frame that is not JSON; ignored");
                return;
            }
            String type = message.path("type").asText("");
            String envelope = message.path("envelope_id").asText("");
            switch (type) {
                case "hello" -> {
                    greeted = true;
                    status = new Status("connected", "connections of this app: " + message.path("num_connections").asInt(1), clock.instant());
                    LOG.info("Socket Mode connected to Slack");
                }
                case "disconnect" -> {
                    refreshAsked = true;
                    ended = "Slack asked for a new connection (" + message.path("reason").asText("no reason") + ")";
                    closed.complete(null);
                }
                default -> {
                    if (!envelope.isEmpty()) {
                        envelope(envelope, type, message.path("payload"));
                    }
                }
            }
        }

        /** Acknowledged at once; a command's ack is its first answer, a failure's ack says what failed. */
        private void envelope(String id, String type, JsonNode payload) {
            Map<String, Object> ack = new LinkedHashMap<>();
            ack.put("envelope_id", id);
            if (handled.putIfAbsent(id, Boolean.TRUE) == null) {
                try {
                    ChatIntegrations.Slack slack = integrations.slack().orElseThrow(() -> ApiError.notFound("Slack is no longer set up"));
                    switch (type) {
                        case "slash_commands" -> ack.put("payload", front.command(fields(payload), slack));
                        case "interactive" -> front.interaction(payload, slack);
                        default -> { } // events we did not ask for: acknowledged, nothing else
                    }
                } catch (ApiError e) {
                    ack.put("payload", Map.of("response_type", "ephemeral", "text", "The hub cannot take this: " + e.getMessage()));
                }
            }
            send(ack);
        }

        private void send(Map<String, Object> message) {
            sending.lock();
            try {
                socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
            } catch (IOException | ExecutionException | TimeoutException e) {
                LOG.warn("cannot acknowledge a Slack envelope: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                sending.unlock();
            }
        }
    }

    /** A slash command's payload as the form fields of the HTTPS request it stands for. */
    static Map<String, String> fields(JsonNode payload) {
        Map<String, String> fields = new LinkedHashMap<>();
        payload.fields().forEachRemaining(field -> {
            if (field.getValue().isValueNode()) {
                fields.put(field.getKey(), field.getValue().asText());
            }
        });
        return fields;
    }

    /** Slack said no to the token: worth telling the admin, not worth hammering Slack over. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    @Override
    public synchronized void close() {
        stop();
        token = null;
    }
}
