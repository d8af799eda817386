package io.chatops.hub.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.TestHubs;
import io.chatops.hub.actor.Role;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Socket Mode against a stand-in for Slack on loopback that speaks its endpoints: {@code
 * apps.connections.open} with the app-level token, then a WebSocket that says hello, delivers
 * envelopes, takes acknowledgements and may ask for a new connection; response URLs take the answers.
 */
class SlackSocketTest {
    static final String APP_TOKEN = "xapp-1-A0001-good";

    @TempDir
    Path dataDir;

    Javalin slack;
    final AtomicInteger opens = new AtomicInteger();
    final AtomicReference<String> socketUrl = new AtomicReference<>();
    final AtomicReference<WsContext> link = new AtomicReference<>();
    final List<JsonNode> acks = new CopyOnWriteArrayList<>();
    final List<JsonNode> posted = new CopyOnWriteArrayList<>();
    Hub hub;
    Api api;
    String admin;

    @BeforeEach
    void start() throws Exception {
        slack = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.post("/api/apps.connections.open", ctx -> {
                opens.incrementAndGet();
                boolean good = ("Bearer " + APP_TOKEN).equals(ctx.header("Authorization"));
                ctx.json(good ? Map.of("ok", true, "url", socketUrl.get()) : Map.of("ok", false, "error", "invalid_auth"));
            });
            config.routes.post("/answers/{n}", ctx -> {
                posted.add(Api.JSON.readTree(ctx.body()));
                ctx.result("ok");
            });
            config.routes.ws("/link", ws -> {
                ws.onConnect(ctx -> {
                    ctx.session.setIdleTimeout(Duration.ofMinutes(5));
                    link.set(ctx);
                    ctx.send("{\"type\":\"hello\",\"num_connections\":1,\"connection_info\":{\"app_id\":\"A0001\"}}");
                });
                ws.onMessage(ctx -> acks.add(Api.JSON.readTree(ctx.message())));
            });
        }).start("127.0.0.1", 0);
        socketUrl.set("ws://127.0.0.1:" + slack.port() + "/link");
        hub = TestHubs.start(dataDir, Clock.systemUTC(), "--slack-api-url", slackUrl("/api"));
        api = new Api(hub.port());
        admin = TestHubs.token(hub, Clock.systemUTC(), "ada", Role.ADMIN);
    }

    @AfterEach
    void stop() {
        hub.close();
        slack.stop();
    }

    String slackUrl(String path) {
        return "http://127.0.0.1:" + slack.port() + path;
    }

    void configure(String appToken) throws Exception {
        assertThat(api.as(admin, "PUT", "/api/v1/integrations/slack",
                "{\"signing_secret\":\"" + SlackFrontTest.SECRET + "\",\"app_token\":\"" + appToken + "\"}").status()).isEqualTo(200);
    }

    JsonNode socketMode() throws Exception {
        return api.as(admin, "GET", "/api/v1/integrations/slack", null).body().path("socket_mode");
    }

    void awaitState(String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!socketMode().path("state").asText().equals(state)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Socket Mode never became " + state + ": " + socketMode());
            }
            Thread.sleep(20);
        }
    }

    static JsonNode await(List<JsonNode> seen, Predicate<JsonNode> matching) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode one : seen) {
                if (matching.test(one)) {
                    return one;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("nothing matched; got " + seen);
    }

    void slashCommand(String envelope, String text, String answers) throws Exception {
        link.get().send(Api.JSON.writeValueAsString(Map.of("type", "slash_commands", "envelope_id", envelope,
                "accepts_response_payload", true, "retry_attempt", 0, "payload", Map.of("team_id", "T0001", "user_id", "U0001",
                        "command", "/chatops", "text", text, "channel_id", "C0001", "response_url", slackUrl("/answers/" + answers)))));
    }

    @Test
    void aSlashCommandIsAcknowledgedOnTheSocketAndAnsweredOnItsResponseUrl() throws Exception {
        configure(APP_TOKEN);
        awaitState("connected");

        slashCommand("env-1", "whoami", "1");
        JsonNode ack = await(acks, a -> a.path("envelope_id").asText().equals("env-1"));
        assertThat(ack.path("payload").path("response_type").asText()).isEqualTo("ephemeral");
        assertThat(ack.path("payload").path("text").asText()).startsWith("Working on `whoami`");
        await(posted, p -> p.path("text").asText().contains("not linked"));

        // Slack sends an envelope again when our ack got lost: acknowledged again, run once.
        slashCommand("env-1", "whoami", "2");
        await(acks, a -> a.path("envelope_id").asText().equals("env-1") && !a.has("payload"));
        slashCommand("env-2", "help", "3");
        await(acks, a -> a.path("envelope_id").asText().equals("env-2"));
        await(posted, p -> p.path("text").asText().contains("verbs"));
        assertThat(posted).filteredOn(p -> p.path("text").asText().contains("not linked")).hasSize(1);
    }

    @Test
    void aBrokenEnvelopeIsStillAcknowledgedWithWhatIsWrong() throws Exception {
        configure(APP_TOKEN);
        awaitState("connected");
        link.get().send("{\"type\":\"slash_commands\",\"envelope_id\":\"env-9\",\"payload\":{\"team_id\":\"T0001\",\"text\":\"status\"}}");
        JsonNode ack = await(acks, a -> a.path("envelope_id").asText().equals("env-9"));
        assertThat(ack.path("payload").path("text").asText()).contains("user_id");
        link.get().send("not json at all");
        link.get().send("{\"type\":\"events_api\",\"envelope_id\":\"env-10\",\"payload\":{}}");
        await(acks, a -> a.path("envelope_id").asText().equals("env-10"));
        assertThat(socketMode().path("state").asText()).isEqualTo("connected");
    }

    @Test
    void aButtonClickArrivesOverTheSocket() throws Exception {
        configure(APP_TOKEN);
        awaitState("connected");
        link.get().send(Api.JSON.writeValueAsString(Map.of("type", "interactive", "envelope_id", "env-3", "payload",
                Map.of("type", "block_actions", "user", Map.of("id", "U0001"), "team", Map.of("id", "T0001"), "channel", Map.of("id", "C0001"),
                        "response_url", slackUrl("/answers/4"), "actions", List.of(Map.of("action_id", "chatops-0", "value", "whoami"))))));
        await(acks, a -> a.path("envelope_id").asText().equals("env-3"));
        await(posted, p -> p.path("text").asText().contains("not linked"));
    }

    @Test
    void aDisconnectGetsANewConnectionAtOnce() throws Exception {
        configure(APP_TOKEN);
        awaitState("connected");
        WsContext first = link.get();
        first.send("{\"type\":\"disconnect\",\"reason\":\"refresh_requested\",\"debug_info\":{\"host\":\"stand-in\"}}");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (link.get() == first && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(link.get()).isNotSameAs(first);
        assertThat(opens.get()).isEqualTo(2);
        awaitState("connected");
        slashCommand("env-4", "whoami", "5");
        await(acks, a -> a.path("envelope_id").asText().equals("env-4"));
    }

    @Test
    void aRefusedTokenIsShownAndRemovingTheTokenTurnsSocketModeOff() throws Exception {
        configure("xapp-1-A0001-revoked");
        awaitState("refused");
        assertThat(socketMode().path("detail").asText()).contains("invalid_auth");
        assertThat(api.as(admin, "PUT", "/api/v1/integrations/slack", "{\"app_token\":null}").status()).isEqualTo(200);
        awaitState("off");
        int opened = opens.get();
        Thread.sleep(1_500); // past the first backoff: nothing more is asked of Slack
        assertThat(opens.get()).isEqualTo(opened);
    }

    /** A server that completes the handshake, says hello, and then never answers anything, pings included. */
    @Test
    void aSilentConnectionIsReplacedAfterThePingDeadline() throws Exception {
        try (ServerSocket mute = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger accepted = new AtomicInteger();
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                while (!mute.isClosed()) {
                    try {
                        Socket socket = mute.accept();
                        held.add(socket);
                        handshakeThenSilence(socket);
                        accepted.incrementAndGet();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            socketUrl.set("ws://127.0.0.1:" + mute.getLocalPort() + "/mute");
            // Written straight to the store: the hub's own connection stays off, this one has short deadlines.
            new ChatIntegrations(hub.database().jdbi()).writeSlack(Api.JSON.readTree(
                    "{\"signing_secret\":\"" + SlackFrontTest.SECRET + "\",\"app_token\":\"" + APP_TOKEN + "\"}"));
            try (SlackSocket socket = hub.services().slack().socketMode(Duration.ofMillis(200), Duration.ofSeconds(1))) {
                socket.reconfigure();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (accepted.get() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(accepted.get()).as("connections after the first fell silent").isGreaterThanOrEqualTo(2);
                assertThat(socket.status().state()).isIn("connecting", "connected", "retrying");
            }
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private static void handshakeThenSilence(Socket socket) throws Exception {
        InputStream in = socket.getInputStream();
        StringBuilder request = new StringBuilder();
        while (!request.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException();
            }
            request.append((char) b);
        }
        String key = request.toString().lines().filter(line -> line.toLowerCase().startsWith("sec-websocket-key:"))
                .map(line -> line.substring(line.indexOf(':') + 1).strip()).findFirst().orElseThrow();
        String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] hello = "{\"type\":\"hello\",\"num_connections\":1}".getBytes(StandardCharsets.UTF_8);
        out.write(new byte[] {(byte) 0x81, (byte) hello.length});
        out.write(hello);
        out.flush();
    }
}
