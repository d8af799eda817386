package io.chatops.hub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.chatops.hub.Hub;
import io.chatops.hub.HubOptions;
import io.chatops.hub.actor.Actor;
import io.chatops.hub.actor.Role;
import io.chatops.hub.auth.UserStore;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The 3-second rule of Slack and Mattermost under load: slash commands at a steady rate (default
 * 50 a second for 20 s) against the hub in this JVM with 200 servers, from 50 chat users linked to
 * a viewer (each within its 30 commands a minute), each answered by the engine and posted to a
 * stand-in response URL on loopback. {@code slack}: signed HTTPS requests; {@code socket}: Socket
 * Mode envelopes from a stand-in Slack WebSocket, timed to their ack; {@code mattermost}: requests
 * with the command token. Prints the acknowledgement's latency (p50, p99, max; the first second
 * apart, as warm-up) and how many answers arrived. Run with
 * {@code scripts/bench-hub slack|socket|mattermost [PER_SECOND] [SECONDS]}.
 */
public final class ChatBurst {
    static final String SECRET = "burst-signing-secret-0123456789";
    static final String APP_TOKEN = "xapp-1-burst";
    static final String MM_TOKEN = "burst-command-token";
    static final int USERS = 50;
    static final ObjectMapper JSON = new ObjectMapper();

    private ChatBurst() {
    }

    /** Sends command number {@code i} with {@code text}; completes with the nanoseconds until it was acknowledged. */
    private interface Sender {
        CompletableFuture<Long> send(int i, String text) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String platform = args.length > 0 ? args[0] : "slack";
        int perSecond = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        if (!List.of("slack", "socket", "mattermost").contains(platform)) {
            System.err.println("usage: ChatBurst slack|socket|mattermost [PER_SECOND] [SECONDS]");
            System.exit(2);
        }
        AtomicInteger answers = new AtomicInteger();
        HttpServer responses = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        responses.setExecutor(Executors.newFixedThreadPool(4));
        responses.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            answers.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        responses.start();
        SocketStandIn socket = platform.equals("socket") ? new SocketStandIn(answers) : null;
        // Answers go only to Slack's hosts: with Socket Mode, the stand-in that is Slack takes them.
        String responseBase = socket != null ? socket.base() : "http://127.0.0.1:" + responses.getAddress().getPort();
        Path data = Files.createTempDirectory("chatops-chat-burst");
        String slackApi = responseBase + "/api";
        try (Hub hub = Hub.start(HubOptions.parse(new String[] {"--listen", "127.0.0.1:0", "--data-dir", data.toString(), "--slack-api-url",
                slackApi}, Map.of()), Map.of("CHATOPS_ADMIN_PASSWORD", "chat burst admin password"), Clock.systemUTC())) {
            for (int i = 0; i < 200; i++) {
                hub.servers().create("burst-" + i, List.of(i % 2 == 0 ? "prod" : "dev"));
            }
            Actor admin = new Actor("bench", "bench", Role.ADMIN, Actor.Source.API, "127.0.0.1");
            if (platform.equals("mattermost")) {
                hub.services().mattermost().updateSettings(admin, JSON.readTree("{\"command_token\":\"" + MM_TOKEN + "\",\"url\":\""
                        + responseBase + "\"}"));
            } else {
                hub.services().slack().updateSettings(admin, JSON.readTree("{\"signing_secret\":\"" + SECRET + "\""
                        + (socket != null ? ",\"app_token\":\"" + APP_TOKEN + "\"" : "") + "}"));
            }
            String chat = platform.equals("mattermost") ? "mattermost" : "slack";
            UserStore users = new UserStore(hub.database().jdbi(), Clock.systemUTC());
            String viewer = users.create("burst-viewer", "burst viewer password", Role.VIEWER).id();
            ChatIdentities identities = new ChatIdentities(hub.database().jdbi(), users, Clock.systemUTC());
            for (int u = 0; u < USERS; u++) {
                identities.redeem(identities.newLink(new ChatIdentities.ChatUser(chat, "T0001", "U" + u)), viewer);
            }
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
            URI hubUrl = URI.create("http://127.0.0.1:" + hub.port());
            Sender sender = switch (platform) {
                case "slack" -> (i, text) -> {
                    String body = form(i, text, responseBase);
                    String ts = String.valueOf(Instant.now().getEpochSecond());
                    return timed(http, HttpRequest.newBuilder(hubUrl.resolve("/api/v1/integrations/slack/commands"))
                            .header("X-Slack-Request-Timestamp", ts)
                            .header("X-Slack-Signature", SlackSignature.sign(SECRET, ts, body.getBytes(StandardCharsets.UTF_8))), body);
                };
                case "mattermost" -> (i, text) -> timed(http, HttpRequest.newBuilder(hubUrl.resolve("/api/v1/integrations/mattermost/commands"))
                        .header("Authorization", "Token " + MM_TOKEN), form(i, text, responseBase) + "&token=" + MM_TOKEN);
                default -> {
                    socket.awaitConnected();
                    yield (i, text) -> socket.envelope(i, Map.of("team_id", "T0001", "user_id", "U" + (i % USERS), "command", "/chatops",
                            "text", text, "channel_id", "C0001", "response_url", responseBase + "/r/" + i));
                }
            };
            List<CompletableFuture<Long>> acks = new ArrayList<>();
            int total = perSecond * seconds;
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + (long) (i * (1e9 / perSecond));
                while (System.nanoTime() < due) {
                    Thread.sleep(0, 200_000);
                }
                acks.add(sender.send(i, i % 2 == 0 ? "status tag:prod" : "help"));
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
            System.out.printf("%s: %d slash commands at %d/s from %d linked users (status tag:prod over 200 servers, and help)%n", platform,
                    total, perSecond, USERS);
            System.out.printf("first second (warm-up): p50 %.1f ms, max %.1f ms%n", warmUp.get(warmUp.size() / 2) / 1e6,
                    warmUp.get(warmUp.size() - 1) / 1e6);
            System.out.printf("acknowledgement after it: p50 %.1f ms, p99 %.1f ms, max %.1f ms; answers posted to response_url: %d of %d%n",
                    nanos.get(nanos.size() / 2) / 1e6, nanos.get(nanos.size() * 99 / 100) / 1e6, nanos.get(nanos.size() - 1) / 1e6,
                    answers.get(), total);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        } finally {
            responses.stop(0);
            if (socket != null) {
                socket.stop();
            }
        }
        System.exit(0); // the stand-ins' and the client's threads would keep this JVM alive
    }

    private static String form(int i, String text, String responseBase) {
        return "team_id=T0001&user_id=U" + (i % USERS) + "&command=%2Fchatops&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8)
                + "&response_url=" + URLEncoder.encode(responseBase + "/r/" + i, StandardCharsets.UTF_8);
    }

    private static CompletableFuture<Long> timed(HttpClient http, HttpRequest.Builder request, String body) {
        long sent = System.nanoTime();
        return http.sendAsync(request.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.discarding()).thenApply(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + response.statusCode());
                    }
                    return System.nanoTime() - sent;
                });
    }

    /** Slack's side of Socket Mode: {@code apps.connections.open} and the WebSocket that sends envelopes and takes acks. */
    private static final class SocketStandIn {
        private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        private final Map<String, CompletableFuture<Long>> acked = new ConcurrentHashMap<>();
        private final AtomicReference<WsContext> link = new AtomicReference<>();
        private final Javalin slack;

        SocketStandIn(AtomicInteger answers) {
            AtomicReference<String> url = new AtomicReference<>();
            slack = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.routes.post("/r/{i}", ctx -> {
                    answers.incrementAndGet();
                    ctx.result("ok");
                });
                config.routes.post("/api/apps.connections.open", ctx -> ctx.json(Map.of("ok", true, "url", url.get())));
                config.routes.ws("/link", ws -> {
                    ws.onConnect(ctx -> {
                        ctx.session.setIdleTimeout(java.time.Duration.ofMinutes(10));
                        ctx.send("{\"type\":\"hello\",\"num_connections\":1}");
                        link.set(ctx);
                    });
                    ws.onMessage(ctx -> {
                        long now = System.nanoTime();
                        JsonNode ack = JSON.readTree(ctx.message());
                        String id = ack.path("envelope_id").asText();
                        CompletableFuture<Long> waiting = acked.remove(id);
                        if (waiting != null) {
                            waiting.complete(now - sentAt.remove(id));
                        }
                    });
                });
            }).start("127.0.0.1", 0);
            url.set("ws://127.0.0.1:" + slack.port() + "/link");
        }

        String base() {
            return "http://127.0.0.1:" + slack.port();
        }

        void awaitConnected() throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (link.get() == null && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (link.get() == null) {
                throw new IllegalStateException("the hub did not open Socket Mode");
            }
        }

        CompletableFuture<Long> envelope(int i, Map<String, String> payload) throws Exception {
            String id = "env-" + i;
            CompletableFuture<Long> ack = new CompletableFuture<>();
            acked.put(id, ack);
            String frame = JSON.writeValueAsString(Map.of("type", "slash_commands", "envelope_id", id, "accepts_response_payload", true,
                    "payload", payload));
            sentAt.put(id, System.nanoTime());
            link.get().send(frame);
            return ack.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS);
        }

        void stop() {
            slack.stop();
        }
    }
}
