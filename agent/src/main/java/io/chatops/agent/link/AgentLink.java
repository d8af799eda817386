package io.chatops.agent.link;

import io.chatops.agent.config.AgentConfig;
import io.chatops.agent.log.Log;
import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.Auth;
import io.chatops.protocol.AuthError;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.Command;
import io.chatops.protocol.CommandCancel;
import io.chatops.protocol.DockerCommand;
import io.chatops.protocol.ErrorMessage;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.MetricsAck;
import io.chatops.protocol.ProtocolException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The agent's one connection to the hub, kept up forever. A state machine run on the
 * {@link Scheduler}'s single thread: transport callbacks and timers only enqueue work there, so
 * no state is shared between threads. It authenticates first, reconnects with {@link Backoff}
 * (slowly after the hub refused the key), drops a connection on which nothing arrived for a
 * minute ({@link LinkTimings}), takes a sample every interval into the {@link Outbox} and sends it, and
 * resends what the hub has not stored after every reconnect.
 */
public final class AgentLink implements Transport.Listener {
    /** PROTOCOL.md: more bad frames than this in a minute end the connection with 1008. */
    static final int MAX_BAD_FRAMES_PER_MINUTE = 20;

    static final int CLOSE_NORMAL = 1000;
    static final int CLOSE_POLICY = 1008;
    static final int CLOSE_REVOKED = 4001;

    enum State { NEW, CONNECTING, AUTHENTICATING, CONNECTED, WAITING, STOPPING, STOPPED }

    private static final Log LOG = Log.named("link");

    private final URI hubUri;
    private final String apiKey;
    private final Supplier<AgentInfo> inventory;
    private final LinkTimings timings;
    private final Transport transport;
    private final Scheduler scheduler;
    private final Backoff backoff;
    private final Outbox outbox;
    private final SeqCounter seq;
    private final SampleSource samples;
    private final Dispatcher dispatcher;
    private final Runnable onConnected;
    private final MessageCodec codec = new MessageCodec();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final ArrayDeque<Instant> badFrames = new ArrayDeque<>();

    private State state = State.NEW;
    private Transport.Connection connection;
    private Duration interval;
    private Instant connectedAt;
    private Instant lastFrameAt;
    private Instant nextSampleAt;
    private boolean firstSampleSent;
    private Scheduler.Cancellable retryTimer;
    private Scheduler.Cancellable deadlineTimer;
    private Scheduler.Cancellable sampleTimer;

    AgentLink(URI hubUri, String apiKey, Supplier<AgentInfo> inventory, Duration interval, LinkTimings timings,
            Transport transport, Scheduler scheduler, Backoff backoff, Outbox outbox, SeqCounter seq,
            SampleSource samples, Dispatcher dispatcher, Runnable onConnected) {
        this.hubUri = hubUri;
        this.apiKey = apiKey;
        this.inventory = inventory;
        this.timings = timings;
        this.interval = interval;
        this.transport = transport;
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.outbox = outbox;
        this.seq = seq;
        this.samples = samples;
        this.dispatcher = dispatcher;
        this.onConnected = onConnected;
    }

    /**
     * The link for this agent's configuration, with production timings. {@code onConnected} runs
     * on the link thread after each successful handshake.
     */
    public static AgentLink create(AgentConfig config, Supplier<AgentInfo> inventory, SampleSource samples,
            Dispatcher dispatcher, Transport transport, Scheduler scheduler, Runnable onConnected) throws IOException {
        return new AgentLink(config.hubUri(), config.apiKey(), inventory, config.interval(), LinkTimings.DEFAULT,
                transport, scheduler, new Backoff(new SplittableRandom()), new Outbox(config.bufferSamples()),
                SeqCounter.open(config.stateDir()), samples, dispatcher, onConnected);
    }

    /** Connects and starts sampling. */
    public void start() {
        scheduler.execute(() -> {
            nextSampleAt = scheduler.now().plus(interval);
            sampleTimer = scheduler.schedule(interval, this::sampleTick);
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
                code == CLOSE_REVOKED ? timings.keyRetry() : null);
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
            retryIn(backoff.next(), "cannot reach the hub at " + hubUri + ": " + describe(error));
            return;
        }
        connection = opened;
        state = State.AUTHENTICATING;
        lastFrameAt = scheduler.now();
        badFrames.clear();
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
                outbox.acknowledge(((MetricsAck) message).seq());
            } else if (message instanceof Command || message instanceof CommandCancel || message instanceof DockerCommand) {
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
        LOG.info("connected to %s as server %s (%s)", hubUri, success.serverName(), success.serverId());
        adoptInterval(Duration.ofSeconds(success.metricsIntervalSeconds()));
        try {
            catchUp(success.lastSeq());
        } catch (IOException e) {
            LOG.error("cannot write the sample counter: %s", e.getMessage());
        }
        for (Metrics pending : outbox.pending()) {
            write(pending);
        }
        armDeadline(timings.readDeadline());
        onConnected.run();
        if (!firstSampleSent) {
            // The first sample goes out right away instead of an interval later; the rest follow from now.
            sampleTimer.cancel();
            nextSampleAt = null;
            sampleTick();
        }
    }

    /** Continues numbering after the hub's last sample when the hub knows more than this agent. */
    private void catchUp(long hubLastSeq) throws IOException {
        if (hubLastSeq <= seq.last()) {
            outbox.acknowledge(hubLastSeq);
            return;
        }
        LOG.warn("the hub holds samples up to #%d, beyond this agent's #%d (was the state directory lost?): "
                + "numbering continues after it", hubLastSeq, seq.last());
        outbox.renumberFrom(hubLastSeq + 1);
        seq.skipPast(hubLastSeq + outbox.size());
    }

    private void refused(AuthError error) {
        Transport.Connection refusedConnection = connection;
        connection = null;
        refusedConnection.close(CLOSE_NORMAL, "refused");
        if (error.code().isKeyProblem() || error.code() == AuthError.Code.UNSUPPORTED_PROTOCOL) {
            state = State.WAITING;
            cancel(deadlineTimer);
            LOG.error("the hub refused this agent (%s: %s); check -api-key. Trying again in %s",
                    error.code().name().toLowerCase(Locale.ROOT), error.message(), human(timings.keyRetry()));
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
        LOG.warn("%s; reconnecting in %s", why, human(delay));
        retryTimer = scheduler.schedule(delay, this::connect);
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
        Instant now = scheduler.now();
        badFrames.addLast(now);
        while (!badFrames.isEmpty() && Duration.between(badFrames.peekFirst(), now).toSeconds() >= 60) {
            badFrames.removeFirst();
        }
        if (badFrames.size() > MAX_BAD_FRAMES_PER_MINUTE && connection != null) {
            connection.close(CLOSE_POLICY, "too many bad frames");
            lose("the hub sent more than " + MAX_BAD_FRAMES_PER_MINUTE + " bad frames in a minute", null);
        }
    }

    private void write(Message message) {
        if (connection != null && !connection.send(codec.encode(message))) {
            lose("the hub is not reading what the agent sends", null);
        }
    }

    // --- sampling ------------------------------------------------------------------------

    private void sampleTick() {
        if (state == State.STOPPING || state == State.STOPPED) {
            return;
        }
        try {
            Metrics sample = samples.sample(seq.next(), interval);
            if (outbox.add(sample) && (outbox.dropped() == 1 || outbox.dropped() % 100 == 0)) {
                LOG.warn("the outbox is full: %d oldest samples dropped so far", outbox.dropped());
            }
            if (state == State.CONNECTED) {
                write(sample);
                firstSampleSent = true;
            }
        } catch (IOException e) {
            LOG.error("cannot write the sample counter, skipping this sample: %s", e.getMessage());
        }
        // Fixed rate from the planned time, not from now, so that samples do not drift.
        Instant now = scheduler.now();
        nextSampleAt = nextSampleAt == null || nextSampleAt.isBefore(now) ? now.plus(interval) : nextSampleAt.plus(interval);
        while (!nextSampleAt.isAfter(now)) {
            nextSampleAt = nextSampleAt.plus(interval);
        }
        sampleTimer = scheduler.schedule(Duration.between(now, nextSampleAt), this::sampleTick);
    }

    private void adoptInterval(Duration fromHub) {
        if (!fromHub.equals(interval)) {
            LOG.info("the hub asks for a sample every %d s (was %d s)", fromHub.toSeconds(), interval.toSeconds());
            interval = fromHub;
            nextSampleAt = null;
        }
    }

    // --- stopping ------------------------------------------------------------------------

    private void beginStop() {
        if (state == State.STOPPING || state == State.STOPPED) {
            return;
        }
        cancel(retryTimer);
        cancel(deadlineTimer);
        cancel(sampleTimer);
        if (connection == null) {
            finishStop();
            return;
        }
        state = State.STOPPING;
        connection.close(CLOSE_NORMAL, "agent stopping");
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
    private static String describe(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
