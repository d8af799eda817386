package io.chatops.agent.link;

import io.chatops.agent.config.AgentConfig;
import io.chatops.agent.log.Log;
import io.chatops.protocol.AgentEndpoint;
import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.Auth;
import io.chatops.protocol.AuthError;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.BadFrameLimit;
import io.chatops.protocol.Command;
import io.chatops.protocol.CommandCancel;
import io.chatops.protocol.DockerCommand;
import io.chatops.protocol.ErrorMessage;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.MetricsAck;
import io.chatops.protocol.ProcessesRequest;
import io.chatops.protocol.ProtocolException;
import io.chatops.protocol.Settings;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The agent's one connection to the hub, kept up forever. A state machine run on the
 * {@link Scheduler}'s single thread: transport callbacks and timers only enqueue work there, so
 * no state is shared between threads. It authenticates first, reconnects with {@link Backoff}
 * (slowly after the hub refused the key), drops a connection on which nothing arrived for a
 * minute ({@link LinkTimings}), and leaves taking, sending and resending samples to {@link Sampling}.
 */
public final class AgentLink implements Transport.Listener {
    enum State { NEW, CONNECTING, AUTHENTICATING, CONNECTED, WAITING, STOPPING, STOPPED }

    private static final Log LOG = Log.named("link");

    /** The hubs to try in turn; {@link #hub} indexes the one tried last. */
    private final List<URI> hubUris;
    private int hub;
    private final String apiKey;
    private final Supplier<AgentInfo> inventory;
    private final LinkTimings timings;
    private final Transport transport;
    private final Scheduler scheduler;
    private final Backoff backoff;
    private final Sampling sampling;
    private final Dispatcher dispatcher;
    private final Runnable onConnected;
    private final MessageCodec codec = new MessageCodec();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final BadFrameLimit badFrames = new BadFrameLimit();

    private State state = State.NEW;
    private Transport.Connection connection;
    private Instant connectedAt;
    private Instant lastFrameAt;
    private Scheduler.Cancellable retryTimer;
    private Scheduler.Cancellable deadlineTimer;

    AgentLink(List<URI> hubUris, String apiKey, Supplier<AgentInfo> inventory, Duration interval, LinkTimings timings,
            Transport transport, Scheduler scheduler, Backoff backoff, Outbox outbox, SeqCounter seq,
            SampleSource samples, Dispatcher dispatcher, Runnable onConnected) {
        this.hubUris = List.copyOf(hubUris);
        this.apiKey = apiKey;
        this.inventory = inventory;
        this.timings = timings;
        this.transport = transport;
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.sampling = new Sampling(interval, scheduler, outbox, seq, samples, new Sampling.Sender() {
            @Override
            public boolean sendIfConnected(Metrics sample) {
                return AgentLink.this.sendIfConnected(sample);
            }

            @Override
            public boolean isConnected() {
                return state == State.CONNECTED;
            }
        });
        this.dispatcher = dispatcher;
        this.onConnected = onConnected;
    }

    /**
     * The link for this agent's configuration, with production timings. {@code onConnected} runs
     * on the link thread after each successful handshake. (The backoff's {@code Random} is loaded
     * anyway; a {@code SplittableRandom} brings the JDK's generator framework along, classes the
     * agent would keep in memory for nothing.)
     */
    public static AgentLink create(AgentConfig config, Supplier<AgentInfo> inventory, SampleSource samples,
            Dispatcher dispatcher, Transport transport, Scheduler scheduler, Runnable onConnected) throws IOException {
        return new AgentLink(config.hubUris(), config.apiKey(), inventory, config.interval(), LinkTimings.DEFAULT,
                transport, scheduler, new Backoff(new Random()), new Outbox(config.bufferSamples()),
                SeqCounter.open(config.stateDir()), samples, dispatcher, onConnected);
    }

    /** Connects and starts sampling. */
    public void start() {
        scheduler.execute(() -> {
            sampling.start();
            connect();
        });
    }

    /** Closes the connection with 1000 and stops; completes when the hub saw the close, or after a grace period. */
    public CompletableFuture<Void> stop() {
        scheduler.execute(this::beginStop);
        return stopped;
    }

    /** Completes once {@link #stop()} has finished. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** Sends a message to the hub if connected, from any thread; drops it otherwise. */
    public void send(Message message) {
        scheduler.execute(() -> {
            if (state == State.CONNECTED) {
                write(message);
            } else {
                LOG.debug("not connected: dropping %s", message.getClass().getSimpleName());
            }
        });
    }

    State state() {
        return state;
    }

    // --- transport events, from any thread: hand them to the link thread ---------------------

    @Override
    public void onText(Transport.Connection from, String text) {
        scheduler.execute(() -> handleText(from, text));
    }

    @Override
    public void onBadFrame(Transport.Connection from, String problem) {
        scheduler.execute(() -> {
            if (from == connection) {
                lastFrameAt = scheduler.now();
                refuse(new ErrorMessage(null, ProtocolException.BAD_MESSAGE, problem));
            }
        });
    }

    @Override
    public void onActivity(Transport.Connection from) {
        scheduler.execute(() -> {
            if (from == connection) {
                lastFrameAt = scheduler.now();
            }
        });
    }

    @Override
    public void onClosed(Transport.Connection from, int code, String reason) {
        ended(from, "the hub closed the connection (" + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")",
                code == AgentEndpoint.CLOSE_REVOKED ? timings.keyRetry() : null);
    }

    @Override
    public void onFailed(Transport.Connection from, Throwable error) {
        ended(from, "the connection failed: " + describe(error), null);
    }

    /** The current connection is gone: the end of a stop, or a loss to recover from after {@code delay}. */
    private void ended(Transport.Connection from, String why, Duration delay) {
        scheduler.execute(() -> {
            if (from != connection) {
                return;
            }
            if (state == State.STOPPING) {
                finishStop();
            } else {
                lose(why, delay);
            }
        });
    }

    // --- the state machine, on the link thread ---------------------------------------------

    private void connect() {
        if (state == State.STOPPING || state == State.STOPPED) {
            return;
        }
        state = State.CONNECTING;
        URI hubUri = hubUris.get(hub);
        LOG.debug("connecting to %s", hubUri);
        transport.connect(hubUri, this).whenComplete((opened, error) -> scheduler.execute(() -> connected(opened, error)));
    }

    private void connected(Transport.Connection opened, Throwable error) {
        if (state != State.CONNECTING) {
            if (opened != null) {
                opened.abort(); // stopped meanwhile
            }
            return;
        }
        if (error != null) {
            Duration delay = rootCause(error) instanceof java.net.ConnectException ? backoff.nextAfterRefusal() : backoff.next();
            retryIn(delay, "cannot reach the hub at " + hubUris.get(hub) + ": " + describe(error));
            return;
        }
        connection = opened;
        state = State.AUTHENTICATING;
        lastFrameAt = scheduler.now();
        badFrames.reset();
        write(new Auth(apiKey, Message.PROTOCOL_VERSION, inventory.get()));
        armDeadline(timings.authDeadline());
    }

    private void handleText(Transport.Connection from, String text) {
        if (from != connection) {
            return;
        }
        lastFrameAt = scheduler.now();
        Message message;
        try {
            message = codec.decode(text);
        } catch (ProtocolException e) {
            refuse(ErrorMessage.of(e));
            return;
        }
        if (message instanceof ErrorMessage) {
            ErrorMessage error = (ErrorMessage) message;
            LOG.warn("the hub refused a frame (%s): %s", error.code(), error.message());
        } else if (state == State.AUTHENTICATING) {
            if (message instanceof AuthSuccess) {
                authenticated((AuthSuccess) message);
            } else if (message instanceof AuthError) {
                refused((AuthError) message);
            } else {
                refuse(new ErrorMessage(null, ProtocolException.BAD_MESSAGE, "expected auth_success or auth_error first"));
            }
        } else if (state == State.CONNECTED) {
            if (message instanceof MetricsAck) {
                sampling.acknowledge(((MetricsAck) message).seq());
            } else if (message instanceof Settings) {
                sampling.adopt(Duration.ofSeconds(((Settings) message).metricsIntervalSeconds()));
            } else if (message instanceof Command || message instanceof CommandCancel || message instanceof DockerCommand
                    || message instanceof ProcessesRequest) {
                dispatcher.dispatch(message, this::send);
            } else {
                refuse(new ErrorMessage(null, ProtocolException.BAD_MESSAGE,
                        "the agent does not accept " + message.getClass().getSimpleName() + " messages"));
            }
        }
    }

    private void authenticated(AuthSuccess success) {
        state = State.CONNECTED;
        connectedAt = scheduler.now();
        LOG.info("connected to %s as server %s (%s)", hubUris.get(hub), success.serverName(), success.serverId());
        sampling.connected(success.lastSeq(), Duration.ofSeconds(success.metricsIntervalSeconds()));
        armDeadline(timings.readDeadline());
        onConnected.run();
        sampling.sampleNowIfFirstConnection();
    }

    private boolean sendIfConnected(Metrics sample) {
        if (state != State.CONNECTED) {
            return false;
        }
        write(sample);
        return true;
    }

    private void refused(AuthError error) {
        Transport.Connection refusedConnection = connection;
        connection = null;
        refusedConnection.close(AgentEndpoint.CLOSE_NORMAL, "refused");
        if (error.code().isKeyProblem() || error.code() == AuthError.Code.UNSUPPORTED_PROTOCOL
                || error.code() == AuthError.Code.DUPLICATE_AGENT) {
            state = State.WAITING;
            cancel(deadlineTimer);
            LOG.error("the hub refused this agent (%s: %s); %s. Trying again in %s",
                    error.code().name().toLowerCase(Locale.ROOT), error.message(),
                    error.code() == AuthError.Code.DUPLICATE_AGENT ? "give this server its own key" : "check -api-key",
                    human(timings.keyRetry()));
            moveOn();
            retryTimer = scheduler.schedule(timings.keyRetry(), this::connect);
        } else {
            retryIn(backoff.next(), "the hub refused the handshake (" + error.message() + ")");
        }
    }

    private void lose(String why, Duration delay) {
        Transport.Connection lost = connection;
        connection = null;
        if (lost != null) {
            lost.abort();
        }
        if (state == State.CONNECTED && Duration.between(connectedAt, scheduler.now()).compareTo(Backoff.RESET_AFTER) >= 0) {
            backoff.reset();
        }
        retryIn(delay != null ? delay : backoff.next(), why);
    }

    private void retryIn(Duration delay, String why) {
        state = State.WAITING;
        cancel(deadlineTimer);
        moveOn();
        LOG.warn("%s; reconnecting in %s", why, human(delay));
        retryTimer = scheduler.schedule(delay, this::connect);
    }

    /** The next attempt goes to the next hub: a hub instance that died or left is not tried again first. */
    private void moveOn() {
        hub = (hub + 1) % hubUris.size();
    }

    private void armDeadline(Duration limit) {
        cancel(deadlineTimer);
        deadlineTimer = scheduler.schedule(limit, this::checkDeadline);
    }

    private void checkDeadline() {
        if (connection == null || (state != State.AUTHENTICATING && state != State.CONNECTED)) {
            return;
        }
        Duration limit = state == State.AUTHENTICATING ? timings.authDeadline() : timings.readDeadline();
        Duration silent = Duration.between(lastFrameAt, scheduler.now());
        if (silent.compareTo(limit) >= 0) {
            lose("nothing heard from the hub for " + silent.toSeconds() + " s", null);
        } else {
            armDeadline(limit.minus(silent));
        }
    }

    private void refuse(ErrorMessage answer) {
        LOG.debug("refusing a frame from the hub: %s", answer.message());
        write(answer);
        if (badFrames.exceededAfter(scheduler.now()) && connection != null) {
            connection.close(AgentEndpoint.CLOSE_POLICY, "too many bad frames");
            lose("the hub sent more than " + BadFrameLimit.MAX_BAD_FRAMES + " bad frames in a minute", null);
        }
    }

    private void write(Message message) {
        if (connection != null && !connection.send(codec.encodeUtf8(message))) {
            lose("the connection to the hub can no longer send", null);
        }
    }

    // --- stopping ------------------------------------------------------------------------

    private void beginStop() {
        if (state == State.STOPPING || state == State.STOPPED) {
            return;
        }
        cancel(retryTimer);
        cancel(deadlineTimer);
        sampling.stop();
        if (connection == null) {
            finishStop();
            return;
        }
        state = State.STOPPING;
        connection.close(AgentEndpoint.CLOSE_NORMAL, "agent stopping");
        scheduler.schedule(timings.closeGrace(), this::finishStop);
    }

    private void finishStop() {
        if (state == State.STOPPED) {
            return;
        }
        if (connection != null) {
            connection.abort();
            connection = null;
        }
        state = State.STOPPED;
        stopped.complete(null);
    }

    private static void cancel(Scheduler.Cancellable timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    private static String human(Duration delay) {
        return delay.toSeconds() >= 120
                ? delay.toMinutes() + " minutes"
                : String.format(Locale.ROOT, "%.1f s", delay.toMillis() / 1000.0);
    }

    /** The first exception that is not just a wrapper of another, e.g. {@code ConnectException: Connection refused}. */
    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The error as the log tells it: its root cause's type and message. */
    private static String describe(Throwable error) {
        Throwable cause = rootCause(error);
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
