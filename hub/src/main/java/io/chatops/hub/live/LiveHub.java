package io.chatops.hub.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatops.hub.auth.AccessControl;
import io.javalin.config.JavalinConfig;
import io.javalin.websocket.WsContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * {@code GET /api/v1/live}: the browsers' WebSocket (API.md). A signed-in client (session cookie,
 * or {@code ?token=} for scripts) subscribes to topics ({@code servers}, {@code server:<id>:metrics},
 * {@code server:<id>:containers}, {@code command:<id>}) and is pushed what happens on them, until it
 * unsubscribes (a page left behind). Every
 * role may read every topic; anything the client sends besides a valid subscription is answered
 * with an error. A client that cannot keep up loses its connection rather than the hub's memory.
 */
public final class LiveHub implements LivePublisher.Sink {
    public static final String PATH = "/api/v1/live";
    static final int MAX_TOPICS = 200;
    /** WebSocket's "policy violation": not signed in, signed out, or too slow. */
    static final int CLOSE_POLICY = 1008;
    /** Frames waiting for a slow browser before it is dropped: a few minutes of a busy dashboard. */
    static final int MAX_QUEUED_FRAMES = 1_000;
    /**
     * Bytes waiting for a slow browser before it is dropped: the frame count alone let a browser
     * following containers lists (up to 1 MiB each) hold a gigabyte of the hub's memory.
     */
    static final long MAX_QUEUED_BYTES = 16L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccessControl access;
    private final CommandReplays replays;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final List<Consumer<LiveTopic>> subscribed = new CopyOnWriteArrayList<>();

    /** A connected browser or script, with the credentials it connected with, to check them again. */
    private record Client(WsContext ctx, String cookie, String authorization, String queryToken,
            Set<LiveTopic> topics, AtomicLong queuedBytes) {
    }

    public LiveHub(AccessControl access, Clock clock) {
        this.access = access;
        this.replays = new CommandReplays(clock);
    }

    public void register(JavalinConfig config) {
        config.routes.ws(PATH, ws -> {
            ws.onConnect(ctx -> {
                String cookie = ctx.cookie(AccessControl.SESSION_COOKIE);
                String authorization = ctx.header("Authorization");
                String queryToken = ctx.queryParam("token");
                if (access.authenticate(cookie, authorization, queryToken).isEmpty()) {
                    ctx.send(error("unauthorized", "sign in first, or connect with ?token=<API token>"));
                    ctx.closeSession(CLOSE_POLICY, "unauthorized");
                    return;
                }
                // Signed in by the cookie alone: only a page of this hub may use it (cross-site WebSocket hijacking).
                Optional<String> crossSite = authorization == null && queryToken == null
                        ? access.crossSite(ctx.header("Origin"), ctx.header("Host"), ctx.session.isSecure()) : Optional.empty();
                if (crossSite.isPresent()) {
                    ctx.send(error("forbidden", crossSite.get()));
                    ctx.closeSession(CLOSE_POLICY, "forbidden");
                    return;
                }
                ctx.session.setMaxOutgoingFrames(MAX_QUEUED_FRAMES);
                clients.put(ctx.sessionId(), new Client(ctx, cookie, authorization, queryToken,
                        ConcurrentHashMap.newKeySet(), new AtomicLong()));
            });
            ws.onMessage(ctx -> {
                Client client = clients.get(ctx.sessionId());
                if (client != null) {
                    subscribe(client, ctx.message());
                }
            });
            ws.onClose(ctx -> clients.remove(ctx.sessionId()));
        });
    }

    private void subscribe(Client client, String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (Exception e) {
            client.ctx().send(error("bad_message", "not JSON"));
            return;
        }
        String type = message == null ? "" : message.path("type").asText();
        if (!("subscribe".equals(type) || "unsubscribe".equals(type)) || !message.path("topics").isArray()) {
            client.ctx().send(error("bad_message", "send {\"type\":\"subscribe\",\"topics\":[…]} (or unsubscribe)"));
            return;
        }
        List<LiveTopic> topics = new ArrayList<>();
        for (JsonNode name : message.path("topics")) {
            Optional<LiveTopic> topic = name.isTextual() ? LiveTopic.parse(name.textValue()) : Optional.empty();
            if (topic.isEmpty()) {
                client.ctx().send(error("bad_topic", "unknown topic " + (name.isTextual() ? name.textValue() : name.toString())));
                return;
            }
            topics.add(topic.get());
        }
        if ("unsubscribe".equals(type)) {
            topics.forEach(client.topics()::remove);
            client.ctx().send(topicsMessage("unsubscribed", topics));
            return;
        }
        if (client.topics().size() + topics.size() > MAX_TOPICS) {
            client.ctx().send(error("too_many_topics", "at most " + MAX_TOPICS + " topics per connection"));
            return;
        }
        for (LiveTopic topic : topics) {
            if (topic.kind() == LiveTopic.Kind.COMMAND) {
                replays.subscribe(topic.id(), () -> client.topics().add(topic), missed -> client.ctx().send(encode(missed)));
            } else if (client.topics().add(topic)) {
                subscribed.forEach(listener -> listener.accept(topic));
            }
        }
        client.ctx().send(topicsMessage("subscribed", client.topics()));
    }

    /**
     * Closes the connections whose session or token has ended since they connected (sign-out,
     * expiry, password change, revoked token, deleted user): the hub runs this every few seconds.
     */
    public void revalidate() {
        replays.expire(); // and lets go of command replays past their time
        for (Map.Entry<String, Client> entry : clients.entrySet()) {
            Client client = entry.getValue();
            if (access.authenticate(client.cookie(), client.authorization(), client.queryToken()).isEmpty()) {
                clients.remove(entry.getKey());
                client.ctx().send(error("session_ended", "the session or token has ended; sign in again"));
                client.ctx().closeSession(CLOSE_POLICY, "session ended");
            }
        }
    }

    /** Tells {@code listener} of each topic a client subscribes to (commands' aside), on the client's thread. */
    public void whenSubscribed(Consumer<LiveTopic> listener) {
        subscribed.add(listener);
    }

    /** Every topic some client here follows now. */
    public Set<LiveTopic> topicsFollowed() {
        Set<LiveTopic> topics = new HashSet<>();
        clients.values().forEach(client -> topics.addAll(client.topics()));
        return topics;
    }

    /** Pushes {@code payload} (a JSON object with its {@code type}) to every client subscribed to {@code topic}. */
    @Override
    public void publish(LiveTopic topic, Map<String, Object> payload) {
        boolean replayed = topic.kind() == LiveTopic.Kind.COMMAND;
        if (clients.isEmpty() && !replayed) {
            return;
        }
        String frame = encode(payload);
        if (!replayed) {
            send(topic, frame);
            return;
        }
        replays.publish(topic.id(), payload, frame, () -> send(topic, frame));
    }

    private static String topicsMessage(String type, Collection<LiveTopic> topics) {
        return "{\"type\":\"" + type + "\",\"topics\":" + JSON.valueToTree(topics.stream().map(LiveTopic::wireName).toList()) + "}";
    }

    private void send(LiveTopic topic, String frame) {
        for (Client client : clients.values()) {
            if (client.topics().contains(topic)) {
                long bytes = frame.length(); // JSON escapes what is not ASCII: a char is a byte
                if (client.queuedBytes().addAndGet(bytes) > MAX_QUEUED_BYTES) {
                    client.queuedBytes().addAndGet(-bytes);
                    tooSlow(client);
                    continue;
                }
                Runnable dequeued = () -> client.queuedBytes().addAndGet(-bytes); // sent or failed: waiting no more
                try {
                    client.ctx().session.sendText(frame, Callback.from(dequeued, failed -> dequeued.run()));
                } catch (RuntimeException e) {
                    dequeued.run();
                    tooSlow(client); // over its queue of frames
                }
            }
        }
    }

    /** The browser is not keeping up: it is let go, and reconnects and reloads. */
    private void tooSlow(Client client) {
        if (clients.remove(client.ctx().sessionId()) != null) {
            client.ctx().closeSession(CLOSE_POLICY, "too slow");
        }
    }

    private static String encode(Map<String, Object> payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (Exception e) {
            // Maps of strings, numbers and lists built by the hub itself.
            throw new IllegalStateException("cannot encode a live message", e);
        }
    }

    private static String error(String code, String message) {
        try {
            return JSON.writeValueAsString(Map.of("type", "error", "code", code, "message", message));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
