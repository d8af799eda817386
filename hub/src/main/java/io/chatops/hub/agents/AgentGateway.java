package io.chatops.hub.agents;

import io.chatops.hub.metrics.MetricsStore;
import io.chatops.hub.servers.ServerStore;
import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.Auth;
import io.chatops.protocol.AuthError;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.CommandCancel;
import io.chatops.protocol.CommandOutput;
import io.chatops.protocol.CommandResponse;
import io.chatops.protocol.Containers;
import io.chatops.protocol.DockerResponse;
import io.chatops.protocol.ErrorMessage;
import io.chatops.protocol.JsonTree;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.MetricsAck;
import io.chatops.protocol.ProtocolException;
import io.javalin.config.JavalinConfig;
import io.javalin.websocket.WsContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' WebSocket endpoint ({@code /api/v1/agents/ws}, PROTOCOL.md): the handshake by API
 * key, one live connection per server (a new one replaces the old with 4000), samples stored
 * before they are acknowledged, duplicates ignored, bad frames answered with {@code error} and
 * more than 20 in a minute ending the connection with 1008.
 */
public final class AgentGateway {
    public static final String PATH = "/api/v1/agents/ws";
    static final Duration AUTH_TIMEOUT = Duration.ofSeconds(10);
    static final Duration PING_EVERY = Duration.ofSeconds(20);
    static final int MAX_BAD_FRAMES_PER_MINUTE = 20;
    static final int CLOSE_GOING_AWAY = 1001;
    static final int CLOSE_POLICY = 1008;
    static final int CLOSE_REPLACED = 4000;
    static final int CLOSE_REVOKED = 4001;

    private static final Logger LOG = LoggerFactory.getLogger(AgentGateway.class);

    private final ServerStore servers;
    private final MetricsStore metrics;
    private final Clock clock;
    private final int intervalSeconds;
    private final MessageCodec codec = new MessageCodec();
    private final Map<String, Session> byConnection = new ConcurrentHashMap<>();
    private final Map<String, Session> byServer = new ConcurrentHashMap<>();
    /** Requests sent to agents, by id, until their final answer arrives or the caller gives up. */
    private final Map<String, CompletableFuture<Message>> pending = new ConcurrentHashMap<>();
    /** The latest container list each server's agent reported; bounded by the number of servers. */
    private final Map<String, Containers> containers = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, Map<String, Object>> live = (topic, payload) -> { };
    private final AtomicLong samplesStored = new AtomicLong();
    private final AtomicLong badFrames = new AtomicLong();
    private final AtomicLong refusedHandshakes = new AtomicLong();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());

    /** One agent connection. */
    private static final class Session {
        final WsContext ctx;
        final ArrayDeque<Instant> badFrames = new ArrayDeque<>();
        volatile String serverId;
        volatile String keyId;
        volatile AgentInfo agent;
        volatile long lastFrameMillis;
        volatile Instant connectedAt;

        Session(WsContext ctx) {
            this.ctx = ctx;
        }
    }

    public AgentGateway(ServerStore servers, MetricsStore metrics, Clock clock, int intervalSeconds) {
        this.servers = servers;
        this.metrics = metrics;
        this.clock = clock;
        this.intervalSeconds = intervalSeconds;
    }

    public void register(JavalinConfig config) {
        config.routes.ws(PATH, ws -> {
            ws.onConnect(ctx -> {
                Session session = new Session(ctx);
                byConnection.put(ctx.sessionId(), session);
                ctx.enableAutomaticPings(PING_EVERY.toSeconds(), TimeUnit.SECONDS);
                timers.schedule(() -> {
                    if (session.serverId == null && ctx.session.isOpen()) {
                        refuse(session, AuthError.Code.AUTH_TIMEOUT, "no auth frame within " + AUTH_TIMEOUT.toSeconds() + " s");
                    }
                }, AUTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            });
            ws.onMessage(ctx -> onFrame(byConnection.get(ctx.sessionId()), ctx.message()));
            ws.onClose(ctx -> {
                Session session = byConnection.remove(ctx.sessionId());
                if (session != null && session.serverId != null) {
                    if (byServer.remove(session.serverId, session)) {
                        status(session.serverId, "offline");
                    }
                    LOG.info("agent of server {} disconnected ({} {})", session.serverId, ctx.status(), ctx.reason());
                }
            });
        });
    }

    /** Closes every agent link with 1001 ("going away") and waits up to {@code grace} for the close handshakes. */
    public void closeAll(Duration grace) throws InterruptedException {
        for (Session session : byConnection.values()) {
            session.ctx.closeSession(CLOSE_GOING_AWAY, "hub shutting down");
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (!byConnection.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        timers.shutdownNow();
    }

    /** Closes the agent link of a server that was deleted. */
    public void disconnectServer(String serverId) {
        containers.remove(serverId);
        Session session = byServer.remove(serverId);
        if (session != null) {
            session.ctx.closeSession(CLOSE_REVOKED, "server deleted");
            status(serverId, "deleted");
        }
    }

    /** Closes the agent link that authenticated with a key that was just revoked. */
    public void disconnectKey(String keyId) {
        for (Session session : byServer.values()) {
            if (keyId.equals(session.keyId) && byServer.remove(session.serverId, session)) {
                session.ctx.closeSession(CLOSE_REVOKED, "revoked");
                status(session.serverId, "offline");
            }
        }
    }

    /**
     * Sends a request ({@code command} or {@code docker_command}) to the server's agent; the future
     * completes with its final answer ({@code command_response}, {@code docker_response} or an
     * {@code error} about it). Empty when no agent of the server is connected.
     */
    public Optional<CompletableFuture<Message>> request(String serverId, String id, Message request) {
        Session session = byServer.get(serverId);
        if (session == null) {
            return Optional.empty();
        }
        CompletableFuture<Message> answer = new CompletableFuture<>();
        pending.put(id, answer);
        answer.whenComplete((message, error) -> pending.remove(id));
        send(session, request);
        return Optional.of(answer);
    }

    /** Asks the agent to cancel a running command; false when the agent is not connected. */
    public boolean cancel(String serverId, String commandId) {
        Session session = byServer.get(serverId);
        if (session == null) {
            return false;
        }
        send(session, new CommandCancel(commandId));
        return true;
    }

    /** Where samples, container lists, status changes and command output are pushed (the browsers' live WebSocket). */
    public void publishTo(BiConsumer<String, Map<String, Object>> publisher) {
        live = publisher;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> tree(Message message) {
        try {
            return new LinkedHashMap<>((Map<String, Object>) JsonTree.parse(codec.encode(message)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read a frame this hub encoded", e);
        }
    }

    private void status(String serverId, String status) {
        live.accept("servers", new LinkedHashMap<>(Map.of("type", "server_status", "server_id", serverId, "status", status)));
    }

    /** The latest container list of the server, or empty when its agent never reported one. */
    public Optional<Containers> containers(String serverId) {
        return Optional.ofNullable(containers.get(serverId));
    }

    /** Since when the server's agent has been connected, while it is online. */
    public Optional<Instant> onlineSince(String serverId) {
        Session session = byServer.get(serverId);
        return session != null && isConnected(serverId) ? Optional.ofNullable(session.connectedAt) : Optional.empty();
    }

    /** The inventory of the connected agent, for its capabilities; empty when none is connected. */
    public Optional<AgentInfo> agent(String serverId) {
        Session session = byServer.get(serverId);
        return session == null ? Optional.empty() : Optional.ofNullable(session.agent);
    }

    private void complete(String id, Message answer) {
        CompletableFuture<Message> waiting = pending.get(id);
        if (waiting != null) {
            waiting.complete(answer);
        }
    }

    /**
     * Whether the server is online: its agent is connected and has sent something within three
     * sample intervals (a connection that only stays open is not an agent that reports).
     */
    public boolean isConnected(String serverId) {
        Session session = byServer.get(serverId);
        return session != null && clock.millis() - session.lastFrameMillis <= 3_000L * intervalSeconds;
    }

    private void onFrame(Session session, String text) {
        if (session == null) {
            return;
        }
        session.lastFrameMillis = clock.millis();
        Message message;
        try {
            message = codec.decode(text);
        } catch (ProtocolException e) {
            badFrame(session, ErrorMessage.of(e));
            return;
        }
        if (session.serverId == null) {
            if (message instanceof Auth auth) {
                authenticate(session, auth);
            } else {
                refuse(session, AuthError.Code.BAD_MESSAGE, "the first frame must be auth");
            }
            return;
        }
        switch (message) {
            case Metrics sample -> metrics.storeAsync(session.serverId, sample, text).whenComplete((stored, error) -> {
                if (error != null) {
                    // Not acknowledged: the agent keeps the sample and sends it again after a reconnect.
                    LOG.warn("sample #{} of server {} not stored: {}", sample.seq(), session.serverId, error.getMessage());
                    return;
                }
                if (stored) {
                    samplesStored.incrementAndGet();
                    Map<String, Object> payload = tree(sample);
                    payload.put("server_id", session.serverId);
                    live.accept("server:" + session.serverId + ":metrics", payload);
                }
                // Acknowledged only once durable: the agent drops what the hub acknowledged.
                send(session, new MetricsAck(sample.seq()));
            });
            case Containers list -> {
                containers.put(session.serverId, list);
                Map<String, Object> payload = tree(list);
                payload.put("type", "containers");
                payload.put("server_id", session.serverId);
                live.accept("server:" + session.serverId + ":containers", payload);
            }
            case CommandOutput output -> live.accept("command:" + output.id(), new LinkedHashMap<>(Map.of("type", "command_output",
                    "command_id", output.id(), "stream", output.stream().name().toLowerCase(java.util.Locale.ROOT),
                    "data", output.data())));
            case CommandResponse response -> complete(response.id(), response);
            case DockerResponse response -> complete(response.id(), response);
            case ErrorMessage error -> {
                LOG.warn("agent of server {} refused a frame: {}", session.serverId, error.message());
                if (error.id() != null) {
                    complete(error.id(), error);
                }
            }
            default -> badFrame(session, new ErrorMessage(null, ProtocolException.BAD_MESSAGE,
                    "the hub does not accept " + message.getClass().getSimpleName() + " messages here"));
        }
    }

    private void authenticate(Session session, Auth auth) {
        if (auth.protocol() != Message.PROTOCOL_VERSION) {
            refuse(session, AuthError.Code.UNSUPPORTED_PROTOCOL, "this hub speaks protocol " + Message.PROTOCOL_VERSION);
            return;
        }
        Optional<ServerStore.KeyOwner> owner = servers.findKey(auth.apiKey());
        if (owner.isEmpty() || owner.get().revoked()) {
            LOG.warn("agent at {} presented an unknown or revoked key", session.ctx.session.getRemoteSocketAddress());
            refuse(session, AuthError.Code.INVALID_KEY, "API key is unknown or revoked");
            return;
        }
        if (owner.get().expiredAt(clock.instant())) {
            refuse(session, AuthError.Code.EXPIRED_KEY, "API key has expired");
            return;
        }
        String serverId = owner.get().serverId();
        session.keyId = owner.get().keyId();
        session.agent = auth.agent();
        session.connectedAt = clock.instant();
        session.serverId = serverId;
        Session previous = byServer.put(serverId, session);
        if (previous != null && previous != session) {
            previous.ctx.closeSession(CLOSE_REPLACED, "replaced");
        }
        servers.recordConnection(serverId, owner.get().keyId(), codec.encode(auth.agent()));
        status(serverId, "online");
        send(session, new AuthSuccess(serverId, owner.get().serverName(), Message.PROTOCOL_VERSION, intervalSeconds,
                metrics.lastSeq(serverId)));
        LOG.info("agent {} {} connected as server {}", auth.agent().hostname(), auth.agent().version(), serverId);
    }

    /** Counters for {@code /metrics}: samples stored, bad frames answered, handshakes refused. */
    public long samplesStored() {
        return samplesStored.get();
    }

    public long badFrames() {
        return badFrames.get();
    }

    public long refusedHandshakes() {
        return refusedHandshakes.get();
    }

    public int connectedAgents() {
        return byServer.size();
    }

    private void refuse(Session session, AuthError.Code code, String why) {
        refusedHandshakes.incrementAndGet();
        send(session, new AuthError(code, why));
        session.ctx.closeSession(CLOSE_POLICY, code.name().toLowerCase(java.util.Locale.ROOT));
    }

    private void badFrame(Session session, ErrorMessage answer) {
        badFrames.incrementAndGet();
        send(session, answer);
        Instant now = clock.instant();
        synchronized (session.badFrames) {
            session.badFrames.addLast(now);
            while (Duration.between(session.badFrames.peekFirst(), now).toSeconds() >= 60) {
                session.badFrames.removeFirst();
            }
            if (session.badFrames.size() > MAX_BAD_FRAMES_PER_MINUTE) {
                session.ctx.closeSession(CLOSE_POLICY, "too many bad frames");
            }
        }
    }

    private void send(Session session, Message message) {
        session.ctx.send(codec.encode(message));
    }
}
