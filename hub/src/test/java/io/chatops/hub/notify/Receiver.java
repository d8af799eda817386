package io.chatops.hub.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A real HTTP receiver on loopback for notification tests: keeps every request and answers with
 * the statuses a test queued (then 200), like a webhook endpoint that is down for a while.
 */
final class Receiver implements AutoCloseable {
    record Request(String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    /** A queued answer: status and, for 429, the Retry-After seconds. */
    record Answer(int status, String retryAfter) {
    }

    final List<Request> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Answer> answers = new ConcurrentLinkedDeque<>();
    private final HttpServer server;

    Receiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            received.add(new Request(exchange.getRequestURI().getPath(), exchange.getRequestHeaders(), new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            Answer answer = answers.pollFirst();
            int status = answer == null ? 200 : answer.status();
            if (answer != null && answer.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
            }
            byte[] body = (status == 200 ? "ok" : "receiver says no (" + status + ")").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    void answer(int status, String retryAfter) {
        answers.add(new Answer(status, retryAfter));
    }

    Request await(Predicate<Request> condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (Request request : received) {
                if (condition.test(request)) {
                    return request;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching request within " + within + "; got " + received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
