package io.chatops.agent;

import io.chatops.protocol.Auth;
import io.chatops.protocol.AuthError;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.MetricsAck;
import io.chatops.protocol.ProtocolException;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A stand-in for the hub in the agent's tests: a real WebSocket server on loopback that speaks the
 * hub's side of the handshake, stores and acknowledges samples (its store survives a
 * {@link #restart()}, as a real hub's database would) and records everything else it receives.
 */
public final class FakeHub implements AutoCloseable {
    private final MessageCodec codec = new MessageCodec();
    private final int intervalSeconds;
    private Javalin app;
    private int port;

    /** Sequence numbers stored, across restarts. */
    public final Set<Long> stored = new ConcurrentSkipListSet<>();
    public final AtomicInteger duplicates = new AtomicInteger();
    public final AtomicInteger connections = new AtomicInteger();
    public final List<Message> received = new CopyOnWriteArrayList<>();
    public final List<Integer> closeCodes = new CopyOnWriteArrayList<>();
    public volatile String acceptedKey;
    /** When set, the hub stays connected but never sends anything again, like a hung process. */
    public volatile boolean frozen;
    private volatile WsContext current;

    public FakeHub(int intervalSeconds) {
        this.intervalSeconds = intervalSeconds;
    }

    public FakeHub start() {
        app = Javalin.create(config -> config.routes.ws("/api/v1/agents/ws", ws -> {
            ws.onConnect(ctx -> connections.incrementAndGet());
            ws.onMessage(ctx -> onText(ctx, ctx.message()));
            ws.onClose(ctx -> closeCodes.add(ctx.status()));
        })).start("127.0.0.1", port);
        port = app.port();
        return this;
    }

    /** Stops and starts again on the same port, keeping what was stored. */
    public void restart() {
        stop();
        start();
    }

    public void stop() {
        app.stop();
        current = null;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public void send(Message message) {
        sendRaw(codec.encode(message));
    }

    public void sendRaw(String frame) {
        WsContext ctx = current;
        if (ctx == null) {
            throw new IllegalStateException("no agent is connected");
        }
        ctx.send(frame);
    }

    /** Waits until something received matches, and returns it. */
    public Message await(Predicate<Message> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Message message : received) {
                if (condition.test(message)) {
                    return message;
                }
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new AssertionError("the hub did not receive the expected message within " + timeout + "; got " + received);
    }

    public void awaitStored(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stored.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + stored.size() + " of " + count + " samples stored within " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private void onText(WsContext ctx, String text) {
        Message message;
        try {
            message = codec.decode(text);
        } catch (ProtocolException e) {
            throw new AssertionError("the agent sent a bad frame: " + e.getMessage() + ": " + text);
        }
        received.add(message);
        if (frozen) {
            return;
        }
        if (message instanceof Auth) {
            Auth auth = (Auth) message;
            if (acceptedKey != null && !acceptedKey.equals(auth.apiKey())) {
                ctx.send(codec.encode(new AuthError(AuthError.Code.INVALID_KEY, "API key is unknown or revoked")));
                ctx.closeSession(1008, "invalid key");
                return;
            }
            current = ctx;
            long lastSeq = stored.isEmpty() ? 0 : ((ConcurrentSkipListSet<Long>) stored).last();
            ctx.send(codec.encode(new AuthSuccess("srv-1", auth.agent().hostname(), 1, intervalSeconds, lastSeq)));
        } else if (message instanceof Metrics) {
            long seq = ((Metrics) message).seq();
            if (!stored.add(seq)) {
                duplicates.incrementAndGet();
            }
            ctx.send(codec.encode(new MetricsAck(seq)));
        }
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
    }
}
