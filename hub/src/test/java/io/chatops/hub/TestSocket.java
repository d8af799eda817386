package io.chatops.hub;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client for tests: each text message, joined from its fragments, is decoded and kept
 * in order; the close code (-1 for a broken connection) completes {@link #closed}.
 */
public final class TestSocket<T> implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(15);

    public interface Decoder<T> {
        T decode(String text) throws Exception;
    }

    public final List<T> received = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private final StringBuilder partial = new StringBuilder();

    public TestSocket(HttpClient client, URI uri, Decoder<T> decoder) {
        this(client, uri, java.util.Map.of(), decoder);
    }

    /** With these handshake headers (a browser's Cookie and Origin, say). */
    public TestSocket(HttpClient client, URI uri, java.util.Map<String, String> headers, Decoder<T> decoder) {
        WebSocket.Builder builder = client.newWebSocketBuilder();
        headers.forEach(builder::header);
        socket = builder.buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        received.add(decoder.decode(partial.toString()));
                    } catch (Exception e) {
                        throw new AssertionError("the hub sent a bad message: " + partial, e);
                    }
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                closed.complete(code);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(-1);
            }
        }).join();
    }

    public synchronized void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends without waiting: a failure to send (the peer closed meanwhile) shows in {@link #closed}. */
    public synchronized void sendAndGo(String text) {
        socket.sendText(text, true);
    }

    /** Waits for the first received message that matches, and returns it; {@code what} names it in the failure. */
    public T await(Predicate<T> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (T message : received) {
                if (condition.test(message)) {
                    return message;
                }
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        throw new AssertionError("no matching " + what + " within " + WAIT + "; got " + received);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
