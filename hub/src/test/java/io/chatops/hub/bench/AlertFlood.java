package io.chatops.hub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.chatops.hub.Hub;
import io.chatops.hub.HubOptions;
import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.Metrics;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A flood of alerts: N servers cross a threshold within one second, each firing an alert whose
 * webhook goes to a receiver on loopback. Prints how long until every alert was delivered, how
 * many arrived more than once per webhook-id, and the time from the breaching sample's storage to
 * its webhook (p50, p99). Runs the hub in this JVM on its embedded SQLite. Run with
 * {@code scripts/bench-hub alerts [SERVERS]}.
 */
public final class AlertFlood {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Actor OPERATOR = new Actor("bench", "bench", Role.ADMIN, Actor.Source.API, "127.0.0.1");

    private AlertFlood() {
    }

    public static void main(String[] args) throws Exception {
        int servers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        Path data = Files.createTempDirectory("chatops-alert-flood");
        Map<String, Long> storedAtNanos = new ConcurrentHashMap<>();
        Map<String, Long> deliveredAtNanos = new ConcurrentHashMap<>();
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        Map<String, Boolean> seenIds = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.ExecutorService handlers = java.util.concurrent.Executors.newFixedThreadPool(4);
        receiver.setExecutor(handlers);
        receiver.createContext("/", exchange -> {
            long at = System.nanoTime();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.incrementAndGet();
            if (seenIds.putIfAbsent(exchange.getRequestHeaders().getFirst("webhook-id"), true) != null) {
                duplicates.incrementAndGet();
            }
            JsonNode json = JSON.readTree(body);
            if (json.path("event").asText().equals("alert.firing")) {
                deliveredAtNanos.putIfAbsent(json.path("server").path("id").asText(), at);
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();

        try (Hub hub = Hub.start(HubOptions.parse(new String[] {"--listen", "127.0.0.1:0", "--data-dir", data.toString()}, Map.of()),
                Map.of("CHATOPS_ADMIN_PASSWORD", "alert flood admin password"), Clock.systemUTC())) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < servers; i++) {
                ids.add(hub.servers().create("flood-" + i, List.of()).id());
            }
            String channel = (String) hub.services().notifications().create(OPERATOR, JSON.readTree("""
                    {"name":"flood","type":"webhook","config":{"url":"http://127.0.0.1:%d/hook"}}""".formatted(receiver.getAddress().getPort())))
                    .get("id");
            hub.services().alerts().createRule(OPERATOR, JSON.readTree("""
                    {"name":"busy","kind":"metric","metric":"cpu_percent","op":">","threshold":90,"channel_ids":["%s"]}""".formatted(channel)));
            System.out.printf("%d servers cross the threshold within one second…%n", servers);

            long start = System.nanoTime();
            List<CompletableFuture<Boolean>> stored = new ArrayList<>();
            for (int i = 0; i < servers; i++) {
                String id = ids.get(i);
                Metrics sample = new Metrics(1, Instant.now(), 5, new CpuUsage(99, List.of(99.0), 1, 1, 1), null, List.of(), List.of(),
                        10L, null, null);
                storedAtNanos.put(id, System.nanoTime());
                stored.add(hub.metrics().storeAsync(id, sample));
                long due = start + (long) ((i + 1) * (1e9 / servers));
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
            }
            CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).join();
            System.out.printf("stored in %.2f s%n", (System.nanoTime() - start) / 1e9);
            long deadline = start + Duration.ofSeconds(120).toNanos();
            while (deliveredAtNanos.size() < servers && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            double allMillis = (deliveredAtNanos.values().stream().mapToLong(Long::longValue).max().orElse(start) - start) / 1e6;
            List<Double> latencies = new ArrayList<>();
            deliveredAtNanos.forEach((id, at) -> latencies.add((at - storedAtNanos.get(id)) / 1e6));
            latencies.sort(Double::compare);
            System.out.printf("delivered %d of %d firing alerts; all within %.1f s of the first breach%n", deliveredAtNanos.size(), servers,
                    allMillis / 1000);
            System.out.printf("webhook requests %d, repeated webhook-ids %d%n", requests.get(), duplicates.get());
            if (!latencies.isEmpty()) {
                System.out.printf("breaching sample stored -> webhook received: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                        latencies.get(latencies.size() / 2), latencies.get(Math.max(0, latencies.size() * 99 / 100 - 1)),
                        latencies.get(latencies.size() - 1));
            }
            Thread.sleep(1_000); // anything sent twice shows now
            System.out.printf("after one more second: repeated webhook-ids %d%n", duplicates.get());

            // One breach at a time, as in normal life: the latency a single alert sees.
            int single = 50;
            List<Double> trickle = new ArrayList<>();
            for (int i = 0; i < single; i++) {
                String id = hub.servers().create("single-" + i, List.of()).id();
                Metrics sample = new Metrics(1, Instant.now(), 5, new CpuUsage(99, List.of(99.0), 1, 1, 1), null, List.of(), List.of(),
                        10L, null, null);
                long at = System.nanoTime();
                hub.metrics().storeAsync(id, sample).join();
                long stored2 = System.nanoTime();
                long until = stored2 + Duration.ofSeconds(10).toNanos();
                while (!deliveredAtNanos.containsKey(id) && System.nanoTime() < until) {
                    Thread.sleep(1);
                }
                if (deliveredAtNanos.containsKey(id)) {
                    trickle.add((deliveredAtNanos.get(id) - at) / 1e6);
                }
                Thread.sleep(100);
            }
            trickle.sort(Double::compare);
            System.out.printf("single breaches (%d, one at a time): sample received -> webhook received p50 %.0f ms, p90 %.0f ms, max %.0f ms%n",
                    trickle.size(), trickle.get(trickle.size() / 2), trickle.get(trickle.size() * 9 / 10), trickle.get(trickle.size() - 1));
        } finally {
            receiver.stop(0);
            handlers.shutdownNow(); // its threads would keep this JVM alive
        }
    }
}
