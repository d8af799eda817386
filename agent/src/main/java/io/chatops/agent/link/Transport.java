package io.chatops.agent.link;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * How the link reaches the hub: one WebSocket connection at a time. The real transport is the
 * JDK's WebSocket client ({@link JdkWebSocketTransport}); tests can supply their own.
 */
public interface Transport {

    /** Opens a connection; events of that connection go to {@code listener} from any thread. */
    CompletableFuture<Connection> connect(URI uri, Listener listener);

    /** An open connection. Sends are queued and written one at a time, in order. */
    interface Connection {
        /** Queues a text frame; false when the queue is over its limit (the hub is not reading). */
        boolean send(String text);

        /** Starts a clean close with {@code code}; the listener hears {@link Listener#onClosed} later. */
        void close(int code, String reason);

        /** Drops the connection at once, without a close handshake. */
        void abort();
    }

    /** Events of one connection. Called from the transport's threads; implementations hand them over. */
    interface Listener {
        void onText(Connection connection, String text);

        /** A frame that was refused before it was read whole, with the reason. */
        void onBadFrame(Connection connection, String problem);

        /** A ping, pong or anything else that proves the hub is alive. */
        void onActivity(Connection connection);

        void onClosed(Connection connection, int code, String reason);

        void onFailed(Connection connection, Throwable error);
    }
}
