package io.chatops.hub.agents;

import io.chatops.hub.actor.Actor;
import io.chatops.hub.audit.AuditEvent;
import io.chatops.hub.audit.AuditLog;
import io.chatops.hub.live.LivePublisher;
import io.chatops.hub.metrics.ContainerLoad;
import io.chatops.hub.metrics.MetricsStore;
import io.chatops.hub.servers.ServerStore;
import io.chatops.protocol.AgentEndpoint;
import io.chatops.protocol.Auth;
import io.chatops.protocol.AuthError;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.BadFrameLimit;
import io.chatops.protocol.CommandOutput;
import io.chatops.protocol.CommandResponse;
import io.chatops.protocol.Containers;
import io.chatops.protocol.DockerResponse;
import io.chatops.protocol.ErrorMessage;
import io.chatops.protocol.ProcessList;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.MetricsAck;
import io.chatops.protocol.ProtocolException;
import io.javalin.config.JavalinConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' WebSocket endpoint ({@link AgentEndpoint#PATH}, PROTOCOL.md): the handshake by API
 * key, then each frame handed to whom it concerns — samples to the metrics store (acknowledged
 * once durable, duplicates ignored), container lists to {@link ContainerReports}, command output
 * to the live publisher, answers to {@link AgentRequests}. Bad frames are answered with
 * {@code error}; too many end the connection with 1008 ({@link BadFrameLimit}).
 */
public final class AgentGateway {
    static final Duration AUTH_TIMEOUT = Duration.ofSeconds(10);
    static final Duration PING_EVERY = Duration.ofSeconds(20);
    /**
     * Handshakes that do their database work at once; the others wait their turn. Without a bound,
     * thousands of agents reconnecting together (another hub instance died, this one restarted)
     * held every connection of the pool, so that samples, the API and {@code /readyz} waited up to
     * its 30 s timeout, the load balancer took this instance for dead too, and handshakes failed
     * into the agents' backoff: 5 000 agents took 101 s to come back instead of about 20.
     */
    static final int HANDSHAKES_AT_ONCE = 4;
    /** How long an agent's handshake waits for its turn before it is told to come back later: within the 30 s the agent waits. */
    static final Duration HANDSHAKE_WAIT_LIMIT = Duration.ofSeconds(20);
    /**
     * How long a link's samples may be held back after one could not be stored before the link is
     * closed: an agent sends its unacknowledged samples again when nothing was acknowledged for 30 s,
     * one that does not (an older version) after it reconnects.
     */
    static final Duration HOLD_LIMIT = Duration.ofMinutes(2);
    /**
     * The largest frame a connection may send before its handshake: an {@code auth} frame is well
     * under a kilobyte, and a stranger's frame is buffered whole before it can be refused.
     */
    static final int FRAME_LIMIT_BEFORE_AUTH = 16 * 1024;
    /**
     * The largest frame an agent's link reads: twice the protocol's limit, so that a frame a little
     * over it is answered with {@code error} as PROTOCOL.md says, and a larger one closes the link
     * with 1009 before it is read whole. (The web server's default, 64 KiB, closed the link of an
     * agent that streamed a command's output in its 256 KiB chunks.)
     */
    static final int FRAME_LIMIT = 2 * MessageCodec.MAX_FRAME_BYTES;
    /** WebSocket's "try again later". */
    static final int CLOSE_TRY_AGAIN_LATER = 1013;

    private static final Logger LOG = LoggerFactory.getLogger(AgentGateway.class);

    private final ServerStore servers;
    private final MetricsStore metrics;
    private final AgentSessions sessions;
    private final AgentRequests requests;
    private final ContainerReports containers;
    private final ConnectionLog connections;
    private final LivePublisher live;
    private final AuditLog audit;
    private final Clock clock;
    private final MessageCodec codec = new MessageCodec();
    /** Every open connection, authenticated or not, by the WebSocket's id. */
    private final Map<String, AgentSession> byConnection = new ConcurrentHashMap<>();
    private final AtomicLong samplesStored = new AtomicLong();
    private final AtomicLong badFrames = new AtomicLong();
    private final AtomicLong refusedHandshakes = new AtomicLong();
    /** Each server's frame budget, kept across its links: at most one per server that connected since the start. */
    private final Map<String, FrameBudget> budgets = new ConcurrentHashMap<>();
    private final Semaphore handshakes = new Semaphore(HANDSHAKES_AT_ONCE, true);
    private volatile boolean closing;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());

    public AgentGateway(ServerStore servers, MetricsStore metrics, AgentSessions sessions, AgentRequests requests,
            ContainerReports containers, ConnectionLog connections, LivePublisher live, AuditLog audit, Clock clock) {
        this.audit = audit;
        this.connections = connections;
        this.servers = servers;
        this.metrics = metrics;
        this.sessions = sessions;
        this.requests = requests;
        this.containers = containers;
        this.live = live;
        this.clock = clock;
    }

    public void register(JavalinConfig config) {
        config.routes.ws(AgentEndpoint.PATH, ws -> {
            ws.onConnect(ctx -> {
                AgentSession session = new AgentSession(ctx, clock.millis());
                byConnection.put(ctx.sessionId(), session);
                ctx.session.setMaxTextMessageSize(FRAME_LIMIT_BEFORE_AUTH);
                ctx.enableAutomaticPings(PING_EVERY.toSeconds(), TimeUnit.SECONDS);
                try {
                    timers.schedule(() -> {
                        if (!session.hasAuthArrived() && ctx.session.isOpen()) {
                            refuse(session, AuthError.Code.AUTH_TIMEOUT, "no auth frame within " + AUTH_TIMEOUT.toSeconds() + " s");
                        }
                    }, AUTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopping) {
                    // the hub is shutting down: a connection that arrives now is told so, not logged as a failure
                    session.close(AgentEndpoint.CLOSE_GOING_AWAY, "hub shutting down");
                }
            });
            ws.onMessage(ctx -> onFrame(byConnection.get(ctx.sessionId()), ctx.message()));
            ws.onClose(ctx -> {
                AgentSession session = byConnection.remove(ctx.sessionId());
                if (session != null && session.isAuthenticated()) {
                    sessions.ended(session);
                    LOG.info("agent of server {} disconnected ({} {})", session.serverId(), ctx.status(), ctx.reason());
                    connections.disconnected(session.serverId(), ctx.reason() == null || ctx.reason().isBlank()
                            ? "closed (" + ctx.status() + ")" : "closed (" + ctx.status() + " " + ctx.reason() + ")");
                }
            });
        });
    }

    /** Closes every agent link with 1001 ("going away") and waits up to {@code grace} for the close handshakes. */
    public void closeAll(Duration grace) throws InterruptedException {
        closing = true;
        for (AgentSession session : byConnection.values()) {
            session.close(AgentEndpoint.CLOSE_GOING_AWAY, "hub shutting down");
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (!byConnection.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        timers.shutdownNow();
    }

    private void onFrame(AgentSession session, String text) {
        if (session == null) {
            return;
        }
        if (closing) { // an agent that reconnected at once while the hub stops: its database is about to close
            session.close(AgentEndpoint.CLOSE_GOING_AWAY, "hub shutting down");
            return;
        }
        if (!waitForBudget(session, text)) {
            return;
        }
        session.heard(clock.millis());
        Message message;
        try {
            message = codec.decode(text);
        } catch (ProtocolException e) {
            badFrame(session, ErrorMessage.of(e));
            return;
        }
        if (!session.isAuthenticated()) {
            if (message instanceof Auth auth) {
                authenticateInTurn(session, auth);
            } else {
                refuse(session, AuthError.Code.BAD_MESSAGE, "the first frame must be auth");
            }
            return;
        }
        String serverId = session.serverId();
        switch (message) {
            case Metrics sample -> store(session, sample);
            case Containers list -> {
                containers.reported(serverId, list);
                live.containers(serverId, list);
            }
            case CommandOutput output -> live.commandOutput(output);
            case CommandResponse response -> requests.answered(serverId, response.id(), response);
            case DockerResponse response -> requests.answered(serverId, response.id(), response);
            case ProcessList list -> requests.answered(serverId, list.id(), list);
            case ErrorMessage error -> {
                LOG.warn("agent of server {} refused a frame: {}", serverId, error.message());
                if (error.id() != null) {
                    requests.answered(serverId, error.id(), error);
                }
            }
            default -> badFrame(session, new ErrorMessage(null, ProtocolException.BAD_MESSAGE,
                    "the hub does not accept " + message.getClass().getSimpleName() + " messages here"));
        }
    }

    /**
     * Waits until the server's {@link FrameBudget} allows this frame; the next one is read only after,
     * which is what slows a flooding agent. False when interrupted (the hub is stopping).
     */
    private boolean waitForBudget(AgentSession session, String text) {
        long wait = session.frames.spend(System.nanoTime(), text.length());
        if (wait == 0) {
            return true;
        }
        if (!session.throttled) {
            session.throttled = true; // told once per link
            LOG.warn("agent link from {} sends more than {} frames a second; its frames are read at that pace", session.address(),
                    FrameBudget.PER_SECOND);
        }
        try {
            TimeUnit.NANOSECONDS.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void store(AgentSession session, Metrics sample) {
        String serverId = session.serverId();
        Instant now = clock.instant();
        Containers report = containers.latest(serverId).orElse(null);
        // Taken and queued under the link's lock, which a failure of its samples also takes: a sample either is in
        // the writer's queue before the failure is known (and fails with it), or sees the failure and waits.
        synchronized (session.acks) {
            if (!session.acks.take(sample.seq(), now)) {
                Instant since = session.acks.holdingSince();
                if (since != null && Duration.between(since, now).compareTo(HOLD_LIMIT) > 0) {
                    session.close(CLOSE_TRY_AGAIN_LATER, "samples could not be stored for " + HOLD_LIMIT.toMinutes()
                            + " minutes; reconnect and send the unacknowledged ones again");
                }
                return;
            }
            metrics.storeAsync(serverId, sample, ContainerLoad.of(report, sample.timestamp())).whenComplete((stored, error) -> {
                // Not stored: the metrics store reports it (once per outage, not per sample); the agent keeps the sample.
                long acknowledge = error != null ? session.acks.failed(sample.seq(), clock.instant()) : session.acks.stored(sample.seq());
                if (error == null && stored) {
                    samplesStored.incrementAndGet();
                    live.sample(serverId, sample);
                }
                // Acknowledged only once durable, and only with every sample before it: the agent drops what the hub acknowledged.
                if (acknowledge != 0) {
                    session.send(new MetricsAck(acknowledge));
                }
            });
        }
    }

    private void authenticateInTurn(AgentSession session, Auth auth) {
        session.authArrived();
        try {
            if (!handshakes.tryAcquire(HANDSHAKE_WAIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                refusedHandshakes.incrementAndGet();
                session.close(CLOSE_TRY_AGAIN_LATER, "the hub is busy with other agents' handshakes; try again later");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (session.isOpen()) { // an agent that gave up meanwhile is not registered
                authenticate(session, auth);
            }
        } finally {
            handshakes.release();
        }
    }

    private void authenticate(AgentSession session, Auth auth) {
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
        Optional<String> holder = sessions.heldByAnotherHost(serverId, auth.agent());
        if (holder.isPresent()) {
            refuseDuplicate(session, owner.get(), auth, holder.get());
            return;
        }
        int interval = sessions.intervalFor(owner.get().metricsIntervalSeconds());
        String agentJson = codec.encode(auth.agent());
        session.authenticated(serverId, owner.get().keyId(), auth.agent(), agentJson, clock.instant(), interval);
        session.ctx.session.setMaxTextMessageSize(FRAME_LIMIT);
        session.frames = budgets.computeIfAbsent(serverId, id -> new FrameBudget());
        sessions.register(session);
        session.send(new AuthSuccess(serverId, owner.get().serverName(), Message.PROTOCOL_VERSION, interval, owner.get().lastSeq()));
        LOG.info("agent {} {} connected as server {}", auth.agent().hostname(), auth.agent().version(), serverId);
        connections.connected(serverId, owner.get().keyId(), agentJson, "agent " + auth.agent().version() + " on " + auth.agent().hostname() + " from "
                + session.address());
    }

    /**
     * A second agent with the key of a server whose agent reports from another host: refused (it
     * retries slowly), instead of the two replacing each other every few seconds, and recorded.
     */
    private void refuseDuplicate(AgentSession session, ServerStore.KeyOwner owner, Auth auth, String holder) {
        String newcomer = AgentSessions.host(auth.agent());
        String address = session.address();
        LOG.warn("agent on {} from {} refused: server {} already reports from {} with the same key", newcomer, address,
                owner.serverName(), holder);
        audit.record(new AuditEvent(Actor.anonymous(auth.agent().hostname(), Actor.Source.AGENT, address), "agent_duplicate",
                AuditEvent.server(owner.serverId()), "refused", "agent on " + newcomer + " refused: the agent on " + holder
                        + " reports with the same key"));
        refuse(session, AuthError.Code.DUPLICATE_AGENT, "server " + owner.serverName() + " already has an agent connected from "
                + holder + " with this key; a cloned machine or a copied key? Give each server its own key");
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

    private void refuse(AgentSession session, AuthError.Code code, String why) {
        refusedHandshakes.incrementAndGet();
        session.send(new AuthError(code, why));
        session.close(AgentEndpoint.CLOSE_POLICY, code.name().toLowerCase(Locale.ROOT));
    }

    private void badFrame(AgentSession session, ErrorMessage answer) {
        badFrames.incrementAndGet();
        session.send(answer);
        if (session.badFrames.exceededAfter(clock.instant())) {
            session.close(AgentEndpoint.CLOSE_POLICY, "too many bad frames");
        }
    }
}
