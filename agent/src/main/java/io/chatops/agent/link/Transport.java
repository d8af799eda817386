package io.chatops.agent.link;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * How the link reaches the hub: one WebSocket connection at a time. The real transport is
 * {@link SocketTransport}; tests can supply their own.
 */
public interface Transport {

    /** Opens a connection; events of that connection go to {@code listener} from any thread. */
    CompletableFuture<Connection> connect(URI uri, Listener listener);

    /** An open connection. Frames are written whole and in order. */
    interface Connection {
        /** Writes a text frame of this UTF-8; false when the connection cannot take it (the hub is not reading, or it is closing). */
        boolean send(byte[] utf8);

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
