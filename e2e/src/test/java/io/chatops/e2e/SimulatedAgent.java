package io.chatops.e2e;

import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.Auth;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.Command;
import io.chatops.protocol.CommandResponse;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.MetricsAck;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * An agent as the hub sees it, without a machine behind it: authenticates, sends a sample when told
 * to, keeps every sample until the hub acknowledges it and sends the unacknowledged ones again after
 * a reconnect and backs off before reconnecting, sends the oldest again when nothing was acknowledged
 * for 30 s and the rest once that one is (as the real agent does), and
 * answers commands ("sleep N" after N seconds). It records what was acknowledged, so that a test can check that
 * nothing acknowledged was lost.
 */
final class SimulatedAgent implements WebSocket.Listener {
    private static final MessageCodec CODEC = new MessageCodec();
    private static final long MAX_BACKOFF_MILLIS = 60_000;
    private static final long RESEND_AFTER_NANOS = 30_000_000_000L;

    final String key;
    final String name;
    private final URI uri;
    private final HttpClient client;
    private final ScheduledExecutorService timers;
    private final LongConsumer ackLatencyNanos;
    /** Sent or waiting to be sent, until acknowledged, by sequence number. */
    final NavigableMap<Long, Metrics> unacked = new ConcurrentSkipListMap<>();
    private final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    final Set<Long> acked = ConcurrentHashMap.newKeySet();
    /** When each sample was taken, in epoch milliseconds, by sequence number. */
    final Map<Long, Long> takenAt = new ConcurrentHashMap<>();
    final AtomicInteger handshakes = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final StringBuilder text = new StringBuilder();
    private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);
    private volatile WebSocket socket;
    private volatile boolean authenticated;
    private volatile boolean stopped;
    private long seq;
    /** As the real agent's Sampling: since when the hub owes an acknowledgement, and whether the oldest was sent again. */
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean oldestSentAgain;

    SimulatedAgent(String key, String name, URI uri, HttpClient client, ScheduledExecutorService timers, LongConsumer ackLatencyNanos) {
        this.key = key;
        this.name = name;
        this.uri = uri;
        this.client = client;
        this.timers = timers;
        this.ackLatencyNanos = ackLatencyNanos;
    }

    void connect() {
        if (stopped) {
            return;
        }
        client.newWebSocketBuilder().buildAsync(uri, this).whenComplete((ws, error) -> {
            if (error != null) {
                reconnectSoon(error instanceof java.net.ConnectException || error.getCause() instanceof java.net.ConnectException);
            }
        });
    }

    boolean authenticated() {
        return authenticated;
    }

    /** Takes the next sample and sends it if connected; it waits for the next connection otherwise. */
    synchronized void sample() {
        long next = ++seq;
        if (unacked.isEmpty()) {
            lastProgress = System.nanoTime();
        }
        Metrics sample = new Metrics(next, Instant.now(), 5, new CpuUsage(next % 100, List.of((double) (next % 100)), 0.1, 0.1, 0.1),
                null, List.of(), List.of(), next, null, null);
        unacked.put(next, sample);
        takenAt.put(next, sample.timestamp().toEpochMilli());
        if (authenticated) {
            send(sample);
            if (System.nanoTime() - lastProgress >= RESEND_AFTER_NANOS) {
                send(unacked.firstEntry().getValue());
                lastProgress = System.nanoTime();
                oldestSentAgain = true;
            }
        }
    }

    synchronized long lastSeq() {
        return seq;
    }

    @Override
    public void onOpen(WebSocket ws) {
        socket = ws;
        synchronized (this) {
            sending = CompletableFuture.completedFuture(ws);
        }
        sendFrame(CODEC.encode(new Auth(key, Message.PROTOCOL_VERSION, new AgentInfo("1.0.0", name, name, null, null, null, null, 1,
                1_073_741_824L, null, null, List.of("metrics", "exec")))));
        ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            String frame = text.toString();
            text.setLength(0);
            try {
                handle(CODEC.decode(frame));
            } catch (Exception e) {
                ws.abort();
            }
        }
        ws.request(1);
        return null;
    }

    private void handle(Message message) {
        if (message instanceof AuthSuccess) {
            handshakes.incrementAndGet();
            failures.set(0);
            synchronized (this) {
                authenticated = true;
                unacked.values().forEach(this::send); // what the last link left unacknowledged, oldest first
                lastProgress = System.nanoTime();
                oldestSentAgain = false;
            }
        } else if (message instanceof MetricsAck ack) {
            // Cumulative, as PROTOCOL.md says: every sample up to this one is stored.
            NavigableMap<Long, Metrics> covered = unacked.headMap(ack.seq(), true);
            Long sent = sentAt.get(ack.seq());
            if (!covered.isEmpty()) {
                acked.addAll(covered.keySet());
                covered.keySet().forEach(sentAt::remove);
                covered.clear();
                lastProgress = System.nanoTime();
                if (oldestSentAgain) {
                    synchronized (this) {
                        oldestSentAgain = false;
                        unacked.values().forEach(this::send);
                    }
                }
            }
            acked.add(ack.seq());
            if (sent != null) {
                ackLatencyNanos.accept(System.nanoTime() - sent);
            }
        } else if (message instanceof Command command) {
            // "sleep N" answers after N seconds, as a shell would; anything else at once.
            long delay = command.command().startsWith("sleep ") ? Long.parseLong(command.command().substring(6).strip()) : 0;
            timers.schedule(() -> sendFrame(CODEC.encode(new CommandResponse(command.id(), 0, "hello from " + name + "\n", "", 1, false,
                    false, null))), delay, TimeUnit.SECONDS);
        }
    }

    private void send(Metrics sample) {
        sentAt.put(sample.seq(), System.nanoTime());
        sendFrame(CODEC.encode(sample));
    }

    private synchronized void sendFrame(String frame) {
        WebSocket ws = socket;
        if (ws != null) {
            sending = sending.thenCompose(previous -> ws.sendText(frame, true)).exceptionally(error -> null);
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        lost();
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        lost();
    }

    private void lost() {
        authenticated = false;
        socket = null;
        reconnectSoon(false);
    }

    /**
     * As the real agent's backoff: a random delay up to 1 s, 2 s, 4 s … 60 s ("full jitter"), so that
     * a fleet that lost its hub does not come back in one burst, but within 4 s for the first 30 times
     * the connection was refused (the hub is restarting); a successful handshake starts over.
     */
    private void reconnectSoon(boolean refused) {
        if (!stopped) {
            int failed = failures.getAndIncrement();
            long cap = Math.min(refused && failed < 30 ? 4_000 : MAX_BACKOFF_MILLIS, 1_000L << Math.min(failed, 6));
            timers.schedule(this::connect, ThreadLocalRandom.current().nextLong(cap + 1), TimeUnit.MILLISECONDS);
        }
    }

    void stop() {
        stopped = true;
        WebSocket ws = socket;
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }
}
