package io.chatops.hub.chat;

import com.sun.net.httpserver.HttpServer;
import io.chatops.hub.Hub;
import io.chatops.hub.HubOptions;
import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.auth.UserStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slack's 3-second rule under load: signed slash commands at a steady rate (default 50 a second for
 * 20 s) against the hub in this JVM with 200 servers, each answered by the engine and posted to a
 * stand-in response URL on loopback, from Slack users linked to a viewer. Prints the
 * acknowledgement's latency (p50, p99, max; the first second apart, as warm-up) and how many
 * answers arrived. Run with {@code scripts/bench-hub slack [PER_SECOND] [SECONDS]}.
 */
public final class SlackBurst {
    static final String SECRET = "burst-signing-secret-0123456789";
    static final int USERS = 50;

    private SlackBurst() {
    }

    public static void main(String[] args) throws Exception {
        int perSecond = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        AtomicInteger answers = new AtomicInteger();
        HttpServer slack = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slack.setExecutor(Executors.newFixedThreadPool(4));
        slack.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            answers.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        slack.start();
        String slackUrl = "http://127.0.0.1:" + slack.getAddress().getPort();
        Path data = Files.createTempDirectory("chatops-slack-burst");
        try (Hub hub = Hub.start(HubOptions.parse(new String[] {"--listen", "127.0.0.1:0", "--data-dir", data.toString(), "--slack-api-url",
                slackUrl + "/api"}, Map.of()), Map.of("CHATOPS_ADMIN_PASSWORD", "slack burst admin password"), Clock.systemUTC())) {
            for (int i = 0; i < 200; i++) {
                hub.servers().create("burst-" + i, List.of(i % 2 == 0 ? "prod" : "dev"));
            }
            Actor admin = new Actor("bench", "bench", Role.ADMIN, Actor.Source.API, "127.0.0.1");
            hub.services().slack().updateSettings(admin, new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree("{\"signing_secret\":\"" + SECRET + "\"}"));
            // Slack users linked to a viewer, so that every command goes through the engine, each within its 30 a minute.
            UserStore users = new UserStore(hub.database().jdbi(), Clock.systemUTC());
            String viewer = users.create("burst-viewer", "burst viewer password", Role.VIEWER).id();
            ChatIdentities identities = new ChatIdentities(hub.database().jdbi(), users, Clock.systemUTC());
            for (int u = 0; u < USERS; u++) {
                identities.redeem(identities.newLink(new ChatIdentities.ChatUser("slack", "T0001", "U" + u)), viewer);
            }
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
            URI commands = URI.create("http://127.0.0.1:" + hub.port() + "/api/v1/integrations/slack/commands");
            List<CompletableFuture<Long>> acks = new ArrayList<>();
            int total = perSecond * seconds;
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + (long) (i * (1e9 / perSecond));
                while (System.nanoTime() < due) {
                    Thread.sleep(0, 200_000);
                }
                String body = "team_id=T0001&user_id=U" + (i % USERS) + "&command=%2Fchatops&text=" + URLEncoder.encode(i % 2 == 0 ? "status tag:prod"
                        : "help", StandardCharsets.UTF_8) + "&response_url=" + URLEncoder.encode(slackUrl + "/r/" + i, StandardCharsets.UTF_8);
                String ts = String.valueOf(Instant.now().getEpochSecond());
                long sent = System.nanoTime();
                acks.add(http.sendAsync(HttpRequest.newBuilder(commands).header("Content-Type", "application/x-www-form-urlencoded")
                        .header("X-Slack-Request-Timestamp", ts).header("X-Slack-Signature", SlackSignature.sign(SECRET, ts,
                                body.getBytes(StandardCharsets.UTF_8))).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.discarding()).thenApply(response -> {
                            if (response.statusCode() != 200) {
                                throw new IllegalStateException("HTTP " + response.statusCode());
                            }
                            return System.nanoTime() - sent;
                        }));
            }
            // The first second warms the JVM up (class loading, JIT): reported apart.
            List<Long> all = acks.stream().map(CompletableFuture::join).toList();
            List<Long> warmUp = new ArrayList<>(all.subList(0, perSecond));
            warmUp.sort(Long::compare);
            List<Long> nanos = new ArrayList<>(all.subList(perSecond, all.size()));
            nanos.sort(Long::compare);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (answers.get() < total && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            System.out.printf("%d signed slash commands at %d/s from " + USERS + " linked users (status tag:prod over 200 servers, and help)%n", total,
                    perSecond);
            System.out.printf("first second (warm-up): p50 %.1f ms, max %.1f ms%n", warmUp.get(warmUp.size() / 2) / 1e6,
                    warmUp.get(warmUp.size() - 1) / 1e6);
            System.out.printf("acknowledgement after it: p50 %.1f ms, p99 %.1f ms, max %.1f ms; answers posted to response_url: %d of %d%n",
                    nanos.get(nanos.size() / 2) / 1e6, nanos.get(nanos.size() * 99 / 100) / 1e6, nanos.get(nanos.size() - 1) / 1e6,
                    answers.get(), total);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        } finally {
            slack.stop(0);
        }
        System.exit(0); // the stand-in's and the client's threads would keep this JVM alive
    }
}
