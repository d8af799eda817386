package io.chatops.hub;

import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.Auth;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.ProtocolException;
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

/** A bare protocol client standing in for an agent: sends what a test says, records what the hub answers. */
final class TestAgent implements AutoCloseable {
    static final AgentInfo INFO = new AgentInfo("1.0.0", "web-01", "4c4c4544", "Debian GNU/Linux 12", "6.1.0",
            "amd64", "AMD EPYC", 2, 1_073_741_824L, null, null, List.of("metrics", "docker", "docker_control", "exec"));
    static final Duration WAIT = Duration.ofSeconds(15);

    private final MessageCodec codec = new MessageCodec();
    final List<Message> received = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private final StringBuilder partial = new StringBuilder();

    TestAgent(int port) {
        this(HttpClient.newHttpClient(), URI.create("ws://127.0.0.1:" + port + "/api/v1/agents/ws"));
    }

    TestAgent(HttpClient client, URI uri) {
        socket = client.newWebSocketBuilder()
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                received.add(codec.decode(partial.toString()));
                            } catch (ProtocolException e) {
                                throw new AssertionError("the hub sent a bad frame: " + partial, e);
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

    TestAgent auth(String key) {
        return send(new Auth(key, 1, INFO));
    }

    TestAgent auth(String key, AgentInfo info) {
        return send(new Auth(key, 1, info));
    }

    TestAgent send(Message message) {
        return sendRaw(codec.encode(message));
    }

    synchronized TestAgent sendRaw(String frame) {
        socket.sendText(frame, true).join();
        return this;
    }

    /** Waits for the first received message that matches, and returns it. */
    @SuppressWarnings("unchecked")
    <T extends Message> T await(Class<T> type, Predicate<T> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (Message message : received) {
                if (type.isInstance(message) && condition.test((T) message)) {
                    return (T) message;
                }
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        throw new AssertionError("no matching " + type.getSimpleName() + " within " + WAIT + "; got " + received);
    }

    <T extends Message> T await(Class<T> type) throws InterruptedException {
        return await(type, m -> true);
    }

    int awaitClose() throws Exception {
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
