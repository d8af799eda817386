package io.chatops.agent.link;

import io.chatops.protocol.MessageCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLParameters;

/**
 * {@link Transport} over the JDK's own WebSocket client, which answers the hub's pings by itself.
 * Frames arrive in parts and are joined here, refusing any that grows past the protocol's limit
 * without holding it in memory; sends are queued and written one at a time, as the JDK requires.
 */
public final class JdkWebSocketTransport implements Transport {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Queued output beyond this means the hub stopped reading: give up the connection. */
    static final long MAX_QUEUED_CHARS = 8L << 20;

    private final HttpClient client;
    private final String userAgent;

    /** A transport for the hubs at {@code hubs}; TLS is only set up when one of them is {@code wss://}. */
    public JdkWebSocketTransport(List<URI> hubs, Executor executor, String userAgent) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).executor(executor);
        if (hubs.stream().noneMatch(hub -> "wss".equalsIgnoreCase(hub.getScheme()))) {
            builder.sslContext(new PlainOnlySslContext()).sslParameters(new SSLParameters());
        }
        this.client = builder.build();
        this.userAgent = userAgent;
    }

    @Override
    public CompletableFuture<Connection> connect(URI uri, Listener listener) {
        JdkConnection connection = new JdkConnection();
        return client.newWebSocketBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .header("User-Agent", userAgent)
                .buildAsync(uri, new Frames(connection, listener))
                .thenApply(ws -> {
                    connection.open(ws);
                    return connection;
                });
    }

    /** One connection's send queue. */
    private static final class JdkConnection implements Connection {
        private final ArrayDeque<String> queue = new ArrayDeque<>();
        private WebSocket ws;
        private boolean sending;
        private long queuedChars;

        synchronized void open(WebSocket socket) {
            this.ws = socket;
            sendNext();
        }

        @Override
        public synchronized boolean send(String text) {
            if (queuedChars + text.length() > MAX_QUEUED_CHARS) {
                return false;
            }
            queue.addLast(text);
            queuedChars += text.length();
            sendNext();
            return true;
        }

        private void sendNext() {
            if (ws == null || sending || queue.isEmpty()) {
                return;
            }
            String text = queue.pollFirst();
            queuedChars -= text.length();
            sending = true;
            ws.sendText(text, true).whenComplete((ignored, error) -> {
                synchronized (this) {
                    sending = false;
                    if (error == null) {
                        sendNext();
                    } else {
                        queue.clear();
                        queuedChars = 0;
                    }
                }
            });
        }

        @Override
        public synchronized void close(int code, String reason) {
            queue.clear();
            if (ws != null && !ws.isOutputClosed()) {
                ws.sendClose(code, reason).exceptionally(error -> {
                    ws.abort();
                    return null;
                });
            }
        }

        @Override
        public synchronized void abort() {
            queue.clear();
            if (ws != null) {
                ws.abort();
            }
        }
    }

    /** Joins frame parts and turns the JDK's callbacks into {@link Listener} events. */
    private static final class Frames implements WebSocket.Listener {
        private final JdkConnection connection;
        private final Listener listener;
        private final StringBuilder text = new StringBuilder();
        private long droppedChars;

        Frames(JdkConnection connection, Listener listener) {
            this.connection = connection;
            this.listener = listener;
        }

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (droppedChars > 0 || text.length() + data.length() > MessageCodec.MAX_FRAME_BYTES) {
                droppedChars += text.length() + data.length();
                text.setLength(0);
            } else {
                text.append(data);
            }
            if (last) {
                if (droppedChars > 0) {
                    listener.onBadFrame(connection, "frame of at least " + droppedChars
                            + " characters exceeds the limit of " + MessageCodec.MAX_FRAME_BYTES + " bytes");
                    droppedChars = 0;
                } else {
                    String frame = text.toString();
                    text.setLength(0);
                    listener.onText(connection, frame);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            if (last) {
                listener.onBadFrame(connection, "binary frames are not part of the protocol");
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            listener.onActivity(connection);
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            listener.onActivity(connection);
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            listener.onClosed(connection, statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            listener.onFailed(connection, error);
        }
    }
}
