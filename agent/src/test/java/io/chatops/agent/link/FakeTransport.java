package io.chatops.agent.link;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A {@link Transport} whose connections a test opens, feeds and breaks by hand. */
final class FakeTransport implements Transport {
    final Deque<CompletableFuture<Connection>> attempts = new ArrayDeque<>();
    final List<FakeConnection> connections = new ArrayList<>();
    final List<URI> dialled = new ArrayList<>();
    Listener listener;
    int connectCalls;

    @Override
    public CompletableFuture<Connection> connect(URI uri, Listener listener) {
        this.listener = listener;
        connectCalls++;
        dialled.add(uri);
        CompletableFuture<Connection> attempt = new CompletableFuture<>();
        attempts.add(attempt);
        return attempt;
    }

    FakeConnection accept() {
        FakeConnection connection = new FakeConnection();
        connections.add(connection);
        attempts.removeFirst().complete(connection);
        return connection;
    }

    void refuse() {
        attempts.removeFirst().completeExceptionally(new java.net.ConnectException("Connection refused"));
    }

    /** The hub's host did not answer at all (a dead machine, a dropped route). */
    void timeOut() {
        attempts.removeFirst().completeExceptionally(new java.net.http.HttpConnectTimeoutException("HTTP connect timed out"));
    }

    static final class FakeConnection implements Connection {
        final List<String> sent = new ArrayList<>();
        Integer closeCode;
        boolean aborted;
        boolean full;

        @Override
        public boolean send(byte[] utf8) {
            if (full) {
                return false;
            }
            sent.add(new String(utf8, java.nio.charset.StandardCharsets.UTF_8));
            return true;
        }

        @Override
        public void close(int code, String reason) {
            closeCode = code;
        }

        @Override
        public void abort() {
            aborted = true;
        }
    }
}
