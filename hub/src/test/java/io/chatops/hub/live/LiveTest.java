package io.chatops.hub.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.TestAgent;
import io.chatops.hub.TestHubs;
import io.chatops.hub.TestSocket;
import io.chatops.hub.actor.Role;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.Command;
import io.chatops.protocol.CommandOutput;
import io.chatops.protocol.CommandResponse;
import io.chatops.protocol.ContainerInfo;
import io.chatops.protocol.Containers;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.OutputStreamName;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The browsers' live WebSocket: subscriptions, pushes, and refusals. */
class LiveTest {
    @TempDir
    Path dataDir;

    Hub hub;
    String token;
    String operator;
    String serverId;
    String key;

    /** A browser-like client of /api/v1/live. */
    static final class LiveClient implements AutoCloseable {
        private final TestSocket<JsonNode> socket;
        final List<JsonNode> received;
        final CompletableFuture<Integer> closed;

        LiveClient(int port, String query) {
            socket = new TestSocket<>(HttpClient.newHttpClient(), URI.create("ws://127.0.0.1:" + port + "/api/v1/live" + query),
                    Api.JSON::readTree);
            received = socket.received;
            closed = socket.closed;
        }

        void send(String text) {
            socket.send(text);
        }

        JsonNode await(Predicate<JsonNode> condition) throws InterruptedException {
            return socket.await(condition, "live message");
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        hub = TestHubs.start(dataDir, Clock.systemUTC());
        token = TestHubs.token(hub, Clock.systemUTC(), "vera", Role.VIEWER);
        operator = TestHubs.token(hub, Clock.systemUTC(), "otto", Role.OPERATOR);
        serverId = hub.servers().create("web-01", List.of()).id();
        key = hub.servers().createKey(serverId, "k", null).key();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void subscribers_see_status_metrics_and_command_output_as_they_happen() throws Exception {
        try (LiveClient live = new LiveClient(hub.port(), "?token=" + token)) {
            live.send("{\"type\":\"subscribe\",\"topics\":[\"servers\",\"server:" + serverId + ":metrics\"]}");
            live.await(m -> m.path("type").asText().equals("subscribed"));

            try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
                agent.await(AuthSuccess.class);
                assertThat(live.await(m -> m.path("type").asText().equals("server_status")).path("status").asText()).isEqualTo("online");
                agent.send(new Metrics(1, Instant.now(), 5, null, null, List.of(), List.of(), 42L, null, null));
                JsonNode metrics = live.await(m -> m.path("type").asText().equals("metrics"));
                assertThat(metrics.path("server_id").asText()).isEqualTo(serverId);
                assertThat(metrics.path("uptime_seconds").asLong()).isEqualTo(42);

                String id = new Api(hub.port()).as(operator, "POST", "/api/v1/servers/" + serverId + "/commands",
                        "{\"command\":\"echo hi\"}").body().path("id").asText();
                live.send("{\"type\":\"subscribe\",\"topics\":[\"command:" + id + "\"]}");
                live.await(m -> m.path("type").asText().equals("subscribed") && m.path("topics").toString().contains(id));
                Command command = agent.await(Command.class);
                agent.send(new CommandOutput(command.id(), OutputStreamName.STDOUT, "hi\n"));
                agent.send(new CommandResponse(command.id(), 0, "hi\n", "", 1, false, false, null));

                assertThat(live.await(m -> m.path("type").asText().equals("command_output")).path("data").asText()).isEqualTo("hi\n");
                assertThat(live.await(m -> m.path("type").asText().equals("command_finished")).path("status").asText())
                        .isEqualTo("succeeded");
            }
            assertThat(live.await(m -> m.path("status").asText().equals("offline")).path("server_id").asText()).isEqualTo(serverId);
        }
    }

    @Test
    void a_command_subscribed_late_gets_what_it_missed_once_and_in_order() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            String id = new Api(hub.port()).as(operator, "POST", "/api/v1/servers/" + serverId + "/commands",
                    "{\"command\":\"seq 3\"}").body().path("id").asText();
            Command command = agent.await(Command.class);
            agent.send(new CommandOutput(command.id(), OutputStreamName.STDOUT, "1\n"));
            agent.send(new CommandOutput(command.id(), OutputStreamName.STDOUT, "2\n"));
            agent.send(new CommandOutput(command.id(), OutputStreamName.STDERR, "warning\n"));
            // The hub reads a link's frames in order: once this sample is acknowledged, the output is in.
            agent.send(new Metrics(1, Instant.now(), 5, null, null, List.of(), List.of(), 42L, null, null));
            agent.await(io.chatops.protocol.MetricsAck.class);

            try (LiveClient early = new LiveClient(hub.port(), "?token=" + token)) {
                early.send("{\"type\":\"subscribe\",\"topics\":[\"command:" + id + "\"]}");
                early.await(m -> m.path("type").asText().equals("subscribed"));
                agent.send(new CommandOutput(command.id(), OutputStreamName.STDOUT, "3\n"));
                agent.send(new CommandResponse(command.id(), 0, "1\n2\n3\n", "warning\n", 1, false, false, null));
                early.await(m -> m.path("type").asText().equals("command_finished"));

                assertThat(early.received.stream().filter(m -> m.path("type").asText().equals("command_output"))
                        .map(m -> m.path("stream").asText() + ":" + m.path("data").asText()).toList())
                        .containsExactly("stdout:1\n2\n", "stderr:warning\n", "stdout:3\n");
            }
            try (LiveClient late = new LiveClient(hub.port(), "?token=" + token)) {
                late.send("{\"type\":\"subscribe\",\"topics\":[\"command:" + id + "\"]}");
                assertThat(late.await(m -> m.path("type").asText().equals("command_finished")).path("stdout").asText())
                        .as("a finished command is replayed to the end").isEqualTo("1\n2\n3\n");
            }
        }
    }

    @Test
    void every_change_of_an_alert_s_state_is_pushed_on_the_alerts_topic() throws Exception {
        Api api = new Api(hub.port());
        assertThat(api.as(operator, "POST", "/api/v1/alert-rules", """
                {"name":"busy","kind":"metric","metric":"cpu_percent","op":">","threshold":90}""").status()).isEqualTo(201);
        try (LiveClient live = new LiveClient(hub.port(), "?token=" + token);
                TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            live.send("{\"type\":\"subscribe\",\"topics\":[\"alerts\"]}");
            live.await(m -> m.path("type").asText().equals("subscribed"));

            Instant now = Instant.now();
            agent.send(new Metrics(1, now, 5, new CpuUsage(99, List.of(99.0), 1, 1, 1), null, List.of(), List.of(), 42L, null, null));
            JsonNode firing = live.await(m -> m.path("type").asText().equals("alert") && m.path("state").asText().equals("firing"));
            agent.send(new Metrics(2, now.plusSeconds(5), 5, new CpuUsage(5, List.of(5.0), 1, 1, 1), null, List.of(), List.of(), 42L,
                    null, null));
            JsonNode resolved = live.await(m -> m.path("type").asText().equals("alert") && m.path("state").asText().equals("resolved"));

            assertThat(firing.path("rule_name").asText()).isEqualTo("busy");
            assertThat(firing.path("server_name").asText()).isEqualTo("web-01");
            assertThat(resolved.path("id").asText()).isEqualTo(firing.path("id").asText());
        }
    }

    @Test
    void an_unsubscribed_topic_is_no_longer_pushed() throws Exception {
        try (LiveClient live = new LiveClient(hub.port(), "?token=" + token);
                TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            live.send("{\"type\":\"subscribe\",\"topics\":[\"server:" + serverId + ":metrics\"]}");
            live.await(m -> m.path("type").asText().equals("subscribed"));
            live.send("{\"type\":\"unsubscribe\",\"topics\":[\"server:" + serverId + ":metrics\"]}");
            live.await(m -> m.path("type").asText().equals("unsubscribed"));

            agent.send(new Metrics(1, Instant.now(), 5, null, null, List.of(), List.of(), 42L, null, null));
            agent.await(io.chatops.protocol.MetricsAck.class);
            // Published before the ack was sent, so on this socket before the answer to this subscription.
            live.send("{\"type\":\"subscribe\",\"topics\":[\"servers\"]}");
            live.await(m -> m.path("type").asText().equals("subscribed") && m.path("topics").toString().contains("servers"));

            assertThat(live.received).noneMatch(m -> m.path("type").asText().equals("metrics"));
        }
    }

    @Test
    void a_browser_that_does_not_read_is_closed_before_it_holds_more_than_its_share_of_memory() throws Exception {
        CompletableFuture<String> closed = new CompletableFuture<>();
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        WebSocket.Listener stopsReading = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                if (data.toString().contains("\"subscribed\"")) {
                    subscribed.complete(null); // and asks for nothing more: the hub's frames pile up
                } else {
                    ws.request(1);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                closed.complete(code + " " + reason);
                return null;
            }
        };
        WebSocket browser = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + hub.port() + "/api/v1/live?token=" + token), stopsReading).join();
        browser.sendText("{\"type\":\"subscribe\",\"topics\":[\"server:" + serverId + ":containers\"]}", true).join();
        subscribed.get(10, TimeUnit.SECONDS);
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            List<ContainerInfo> many = new ArrayList<>();
            for (int i = 0; i < 800; i++) {
                many.add(new ContainerInfo("c" + i, "c" + i, "registry.example/" + "x".repeat(1_000), "running", "Up", null,
                        Instant.parse("2026-12-01T00:00:00Z"), 0, List.of(), null, null));
            }
            // About 850 KB each: 60 of them are far more than the socket buffers and the hub's 16 MiB for one browser.
            for (int i = 0; i < 60; i++) {
                agent.send(new Containers(Instant.now(), many));
            }
            browser.request(Long.MAX_VALUE); // reads at last: what was queued, then the hub's close
            assertThat(closed.get(30, TimeUnit.SECONDS)).isEqualTo("1008 too slow");
        }
    }

    @Test
    void a_connection_is_closed_once_its_token_is_revoked() throws Exception {
        try (LiveClient live = new LiveClient(hub.port(), "?token=" + token)) {
            live.send("{\"type\":\"subscribe\",\"topics\":[\"servers\"]}");
            live.await(m -> m.path("type").asText().equals("subscribed"));
            hub.revalidateLiveClients();
            assertThat(live.closed).as("still valid: kept").isNotDone();

            String id = new Api(hub.port()).as(token, "GET", "/api/v1/auth/tokens", null).body().get(0).path("id").asText();
            assertThat(new Api(hub.port()).as(token, "DELETE", "/api/v1/auth/tokens/" + id, null).status()).isEqualTo(204);
            hub.revalidateLiveClients();

            assertThat(live.await(m -> m.path("type").asText().equals("error")).path("code").asText()).isEqualTo("session_ended");
            assertThat(live.closed.get(15, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1008);
        }
    }

    @Test
    void strangers_are_turned_away_and_bad_subscriptions_are_answered() throws Exception {
        try (LiveClient stranger = new LiveClient(hub.port(), "")) {
            assertThat(stranger.await(m -> m.path("type").asText().equals("error")).path("code").asText()).isEqualTo("unauthorized");
            assertThat(stranger.closed.get(15, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1008);
        }
        try (LiveClient live = new LiveClient(hub.port(), "?token=" + token)) {
            live.send("{\"type\":\"subscribe\",\"topics\":[\"server:../../etc:metrics\"]}");
            assertThat(live.await(m -> m.path("type").asText().equals("error")).path("code").asText()).isEqualTo("bad_topic");
            live.send("hello");
            assertThat(live.await(m -> m.path("code").asText().equals("bad_message"))).isNotNull();
        }
    }
}
