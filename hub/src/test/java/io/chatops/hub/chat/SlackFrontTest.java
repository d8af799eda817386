package io.chatops.hub.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.TestAgent;
import io.chatops.hub.TestHubs;
import io.chatops.hub.actor.Role;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.Command;
import io.chatops.protocol.CommandResponse;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slack over HTTPS against a stand-in for Slack on loopback: signed slash commands and button
 * clicks in, answers out to the response URL, identities linked through the hub, approvals by
 * another linked operator.
 */
class SlackFrontTest {
    static final String SECRET = "d3b07384d113edec49eaa6238ad5ff00";

    @TempDir
    Path dataDir;

    HttpServer slack;
    final List<JsonNode> posted = new CopyOnWriteArrayList<>();
    Hub hub;
    Api api;
    String admin;
    final HttpClient http = HttpClient.newHttpClient();
    int sequence;

    @BeforeEach
    void start() throws Exception {
        slack = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slack.createContext("/", exchange -> {
            posted.add(Api.JSON.readTree(exchange.getRequestBody().readAllBytes()));
            byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        slack.start();
        hub = TestHubs.start(dataDir, Clock.systemUTC(), "--slack-api-url", slackUrl("/api"));
        api = new Api(hub.port());
        admin = TestHubs.token(hub, Clock.systemUTC(), "ada", Role.ADMIN);
        assertThat(api.as(admin, "PUT", "/api/v1/integrations/slack", "{\"signing_secret\":\"" + SECRET + "\"}").status()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        hub.close();
        slack.stop(0);
    }

    String slackUrl(String path) {
        return "http://127.0.0.1:" + slack.getAddress().getPort() + path;
    }

    HttpResponse<String> signed(String path, String body, long timestamp) throws Exception {
        String ts = String.valueOf(timestamp);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", SlackSignature.sign(SECRET, ts, body.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A slash command from this Slack user; its answers go to a response URL of its own. */
    HttpResponse<String> command(String user, String text) throws Exception {
        String responseUrl = slackUrl("/commands/" + (++sequence));
        String body = form(Map.of("team_id", "T0001", "user_id", user, "user_name", "ignored", "command", "/chatops", "text", text,
                "channel_id", "C0001", "response_url", responseUrl));
        return signed("/api/v1/integrations/slack/commands", body, Instant.now().getEpochSecond());
    }

    HttpResponse<String> click(String user, String value) throws Exception {
        String payload = Api.JSON.writeValueAsString(Map.of("type", "block_actions", "user", Map.of("id", user), "team", Map.of("id", "T0001"),
                "channel", Map.of("id", "C0001"), "response_url", slackUrl("/actions/" + (++sequence)),
                "actions", List.of(Map.of("action_id", "chatops-0", "value", value))));
        return signed("/api/v1/integrations/slack/interactions", form(Map.of("payload", payload)), Instant.now().getEpochSecond());
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    JsonNode awaitPost(Predicate<JsonNode> matching) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode post : posted) {
                if (matching.test(post)) {
                    return post;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no such post to Slack; got " + posted);
    }

    static Predicate<JsonNode> saying(String text) {
        return post -> post.toString().contains(text);
    }

    /** Links Slack user {@code user} to a new hub user with {@code role}, through the one-time link a {@code link} command gives. */
    String link(String user, String hubUser, Role role) throws Exception {
        posted.clear();
        command(user, "link");
        JsonNode answer = awaitPost(saying("/#/chat/link/"));
        assertThat(answer.path("response_type").asText()).as("a link is shown to its owner only").isEqualTo("ephemeral");
        String nonce = answer.toString().replaceAll("(?s).*/#/chat/link/([A-Za-z0-9_-]+).*", "$1");
        String token = TestHubs.token(hub, Clock.systemUTC(), hubUser, role);
        assertThat(api.as(token, "POST", "/api/v1/chat/links/" + nonce, null).status()).isEqualTo(200);
        assertThat(api.as(token, "POST", "/api/v1/chat/links/" + nonce, null).status()).as("used up").isEqualTo(404);
        return token;
    }

    @Test
    void a_request_that_is_not_slacks_is_refused_and_an_unlinked_user_may_only_link() throws Exception {
        String body = form(Map.of("team_id", "T0001", "user_id", "U0001", "text", "status", "response_url", slackUrl("/x")));
        long now = Instant.now().getEpochSecond();
        assertThat(signed("/api/v1/integrations/slack/commands", body, now - 301).statusCode()).isEqualTo(401);
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port()
                + "/api/v1/integrations/slack/commands")).header("X-Slack-Request-Timestamp", String.valueOf(now))
                .header("X-Slack-Signature", "v0=" + "0".repeat(64)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).contains("the request's signature does not match the signing secret");
        String evil = form(Map.of("team_id", "T0001", "user_id", "U0001", "text", "status", "response_url", "http://169.254.169.254/x"));
        assertThat(signed("/api/v1/integrations/slack/commands", evil, now).statusCode()).as("answers go to Slack only").isEqualTo(400);

        HttpResponse<String> ack = command("U0001", "status");
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(Api.JSON.readTree(ack.body()).path("response_type").asText()).isEqualTo("ephemeral");
        awaitPost(saying("is not linked to a hub user yet"));
        assertThat(posted).noneMatch(saying("servers:"));
    }

    @Test
    void linked_users_run_and_approve_each_others_requests_with_buttons() throws Exception {
        String serverId = hub.servers().create("web-01", List.of()).id();
        String key = hub.servers().createKey(serverId, "k", null).key();
        link("U0001", "otto", Role.OPERATOR);
        link("U0002", "olga", Role.OPERATOR);
        link("U0003", "vera", Role.VIEWER);
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            command("U0001", "whoami");
            awaitPost(saying("you are otto (operator) in slack as T0001/U0001"));

            command("U0003", "run web-01 -- uptime");
            awaitPost(saying("@vera this needs the operator role; you are viewer"));

            command("U0001", "run web-01 -- rm -rf /tmp/cache &amp;&amp; echo cleaned");
            JsonNode request = awaitPost(saying("needs another operator"));
            assertThat(request.path("response_type").asText()).isEqualTo("in_channel");
            JsonNode approve = request.path("blocks").findParents("action_id").get(0);
            assertThat(approve.path("confirm").path("title").path("text").asText()).isEqualTo("Approve?");
            String value = approve.path("value").asText();

            click("U0001", value);
            awaitPost(saying("yourself; another operator must decide it"));
            click("U0002", value);
            Command command = agent.await(Command.class);
            assertThat(command.command()).as("Slack's escaping undone").isEqualTo("rm -rf /tmp/cache && echo cleaned");
            agent.send(new CommandResponse(command.id(), 0, "cleaned\n", "", 5, false, false, null));
            JsonNode done = awaitPost(saying("done, 1 succeeded"));
            assertThat(done.path("replace_original").asBoolean()).isTrue();
            assertThat(done.toString()).contains("cleaned");
        }
        assertThat(api.as(admin, "GET", "/api/v1/audit?action=chat_approve", null).body().get(0).path("detail").asText())
                .contains("requested by otto (slack T0001/U0001), approved by olga (slack T0001/U0002)");
        assertThat(api.as(admin, "GET", "/api/v1/integrations/slack", null).body().path("signing_secret").asText()).isEqualTo("…ff00");
    }

    @Test
    void one_person_gets_at_most_thirty_commands_a_minute() throws Exception {
        for (int i = 0; i < ChatRoom.PER_MINUTE; i++) {
            assertThat(Api.JSON.readTree(command("U0009", "help").body()).path("text").asText()).startsWith("Working on");
        }
        assertThat(Api.JSON.readTree(command("U0009", "help").body()).path("text").asText())
                .isEqualTo("At most 30 commands a minute; wait a little.");
        assertThat(Api.JSON.readTree(command("U0010", "help").body()).path("text").asText()).as("someone else").startsWith("Working on");
    }

    @Test
    void a_firing_alerts_slack_message_carries_buttons_that_act_as_whoever_presses_them() throws Exception {
        link("U0001", "otto", Role.OPERATOR);
        FiringAlert.fire(hub, api, admin, "slack", slackUrl("/services/T0/B0/hook"));

        JsonNode message = awaitPost(post -> post.path("text").asText().startsWith("Firing: cpu_percent on web-01"));
        JsonNode buttons = message.path("blocks").get(message.path("blocks").size() - 1);
        assertThat(buttons.path("type").asText()).isEqualTo("actions");
        assertThat(buttons.path("elements").findValuesAsText("value")).hasSize(2).anyMatch(v -> v.startsWith("ack "))
                .contains("silence web-01 1h");
        String ack = buttons.path("elements").get(0).path("value").asText();

        assertThat(click("U0009", ack).statusCode()).isEqualTo(200);
        awaitPost(saying("is not linked to a hub user yet"));
        assertThat(click("U0001", ack).statusCode()).isEqualTo(200);
        awaitPost(saying("acknowledged: cpu_percent on web-01"));
        assertThat(api.as(admin, "GET", "/api/v1/alerts", null).body().get(0).path("acknowledged_by").asText()).isEqualTo("otto");
    }
}
