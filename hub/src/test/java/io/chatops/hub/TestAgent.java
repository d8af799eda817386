package io.chatops.hub;

import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.Auth;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A bare protocol client standing in for an agent: sends what a test says, records what the hub answers. */
public final class TestAgent implements AutoCloseable {
    public static final AgentInfo INFO = new AgentInfo("1.0.0", "web-01", "4c4c4544", "Debian GNU/Linux 12", "6.1.0",
            "amd64", "AMD EPYC", 2, 1_073_741_824L, null, null, List.of("metrics", "docker", "docker_control", "exec"));

    private final MessageCodec codec = new MessageCodec();
    private final TestSocket<Message> socket;
    public final List<Message> received;
    public final CompletableFuture<Integer> closed;

    public TestAgent(int port) {
        this(HttpClient.newHttpClient(), URI.create("ws://127.0.0.1:" + port + "/api/v1/agents/ws"));
    }

    public TestAgent(HttpClient client, URI uri) {
        socket = new TestSocket<>(client, uri, codec::decode);
        received = socket.received;
        closed = socket.closed;
    }

    public TestAgent auth(String key) {
        return send(new Auth(key, 1, INFO));
    }

    public TestAgent auth(String key, AgentInfo info) {
        return send(new Auth(key, 1, info));
    }

    public TestAgent send(Message message) {
        return sendRaw(codec.encode(message));
    }

    public TestAgent sendRaw(String frame) {
        socket.send(frame);
        return this;
    }

    /** Sends without waiting for the frame to be written: for frames the hub may refuse while they arrive. */
    public TestAgent sendRawAndGo(String frame) {
        socket.sendAndGo(frame);
        return this;
    }

    /** Waits for the first received message that matches, and returns it. */
    public <T extends Message> T await(Class<T> type, Predicate<T> condition) throws InterruptedException {
        return type.cast(socket.await(m -> type.isInstance(m) && condition.test(type.cast(m)), type.getSimpleName()));
    }

    public <T extends Message> T await(Class<T> type) throws InterruptedException {
        return await(type, m -> true);
    }

    public int awaitClose() throws Exception {
        return closed.get(TestSocket.WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        socket.close();
    }
}
