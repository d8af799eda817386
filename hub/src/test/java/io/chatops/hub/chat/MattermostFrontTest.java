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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mattermost against a stand-in server on loopback: slash commands with the command token, answers
 * to its response URL, buttons whose context the hub signed, identities linked through the hub.
 */
class MattermostFrontTest {
    static final String TOKEN = "mm-command-token-1234567890";

    @TempDir
    Path dataDir;

    HttpServer mattermost;
    final List<JsonNode> posted = new CopyOnWriteArrayList<>();
    Hub hub;
    Api api;
    String admin;
    final HttpClient http = HttpClient.newHttpClient();
    int sequence;

    @BeforeEach
    void start() throws Exception {
        mattermost = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mattermost.createContext("/", exchange -> {
            posted.add(Api.JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        mattermost.start();
        hub = TestHubs.start(dataDir, Clock.systemUTC());
        api = new Api(hub.port());
        admin = TestHubs.token(hub, Clock.systemUTC(), "ada", Role.ADMIN);
        Api.Response set = api.as(admin, "PUT", "/api/v1/integrations/mattermost",
                "{\"command_token\":\"" + TOKEN + "\",\"url\":\"" + mattermostUrl("") + "\"}");
        assertThat(set.status()).as(set.body().toString()).isEqualTo(200);
        assertThat(set.body().path("command_token").asText()).isEqualTo("mm-…7890");
    }

    @AfterEach
    void stop() {
        hub.close();
        mattermost.stop(0);
    }

    String mattermostUrl(String path) {
        return "http://127.0.0.1:" + mattermost.getAddress().getPort() + path;
    }

    HttpResponse<String> command(String user, String text, String token) throws Exception {
        String body = SlackFrontTest.form(Map.of("team_id", "team1", "user_id", user, "user_name", "ignored", "command", "/chatops",
                "text", text, "channel_id", "ch1", "response_url", mattermostUrl("/hooks/commands/" + (++sequence)), "token", token));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + "/api/v1/integrations/mattermost/commands"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> press(String user, JsonNode context) throws Exception {
        String body = Api.JSON.writeValueAsString(Map.of("user_id", user, "team_id", "team1", "channel_id", "ch1", "post_id", "p1",
                "context", context));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + "/api/v1/integrations/mattermost/actions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
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
        throw new AssertionError("no such post to Mattermost; got " + posted);
    }

    void link(String user, String hubUser, Role role) throws Exception {
        posted.clear();
        command(user, "link", TOKEN);
        JsonNode answer = awaitPost(post -> post.path("text").asText().contains("/#/chat/link/"));
        assertThat(answer.path("response_type").asText()).isEqualTo("ephemeral");
        String nonce = answer.path("text").asText().replaceAll("(?s).*/#/chat/link/([A-Za-z0-9_-]+).*", "$1");
        assertThat(api.as(TestHubs.token(hub, Clock.systemUTC(), hubUser, role), "POST", "/api/v1/chat/links/" + nonce, null).status())
                .isEqualTo(200);
    }

    @Test
    void a_wrong_token_or_a_forged_button_is_refused_and_a_request_is_approved_by_another_linked_operator() throws Exception {
        assertThat(command("u1", "status", "not-the-token").statusCode()).isEqualTo(401);
        String serverId = hub.servers().create("web-01", List.of()).id();
        String key = hub.servers().createKey(serverId, "k", null).key();
        link("u1", "otto", Role.OPERATOR);
        link("u2", "olga", Role.OPERATOR);
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            HttpResponse<String> ack = command("u1", "run web-01 -- systemctl restart nginx", TOKEN);
            assertThat(Api.JSON.readTree(ack.body()).path("response_type").asText()).isEqualTo("ephemeral");
            JsonNode request = awaitPost(post -> post.path("text").asText().contains("needs another operator"));
            JsonNode approve = request.path("attachments").get(0).path("actions").get(0);
            assertThat(approve.path("name").asText()).isEqualTo("Approve");
            assertThat(approve.path("integration").path("url").asText()).endsWith("/api/v1/integrations/mattermost/actions");
            JsonNode context = approve.path("integration").path("context");

            com.fasterxml.jackson.databind.node.ObjectNode forged = context.deepCopy();
            forged.put("command", "run web-01 -- rm -rf /");
            assertThat(press("u2", forged).statusCode()).as("a context the hub did not sign").isEqualTo(403);
            assertThat(Api.JSON.readTree(press("u1", context).body()).path("update").path("message").asText())
                    .contains("yourself; another operator must decide it");

            java.util.concurrent.CompletableFuture<HttpResponse<String>> approving = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return press("u2", context);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Command command = agent.await(Command.class);
            assertThat(command.command()).isEqualTo("systemctl restart nginx");
            agent.send(new CommandResponse(command.id(), 0, "restarted\n", "", 5, false, false, null));
            String updated = Api.JSON.readTree(approving.join().body()).path("update").path("message").asText();
            assertThat(updated).contains("@olga approved", "done, 1 succeeded", "restarted");
        }
        assertThat(api.as(admin, "GET", "/api/v1/audit?action=chat_approve", null).body().get(0).path("detail").asText())
                .contains("requested by otto (mattermost team1/u1), approved by olga (mattermost team1/u2)");
    }

    @Test
    void a_firing_alerts_mattermost_message_carries_signed_buttons() throws Exception {
        link("u1", "otto", Role.OPERATOR);
        FiringAlert.fire(hub, api, admin, "mattermost", mattermostUrl("/hooks/incoming"));

        JsonNode message = awaitPost(post -> post.path("text").asText().startsWith("Firing: cpu_percent on web-01"));
        JsonNode actions = message.path("attachments").get(0).path("actions");
        assertThat(actions.findValuesAsText("name")).containsExactly("Acknowledge", "Silence 1 h");
        JsonNode ack = actions.get(0).path("integration");
        assertThat(ack.path("url").asText()).endsWith("/api/v1/integrations/mattermost/actions");

        com.fasterxml.jackson.databind.node.ObjectNode forged = ack.path("context").deepCopy();
        forged.put("command", "silence all 1d");
        assertThat(press("u1", forged).statusCode()).isEqualTo(403);
        assertThat(Api.JSON.readTree(press("u1", ack.path("context")).body()).path("update").path("message").asText())
                .contains("acknowledged: cpu_percent on web-01");
        assertThat(api.as(admin, "GET", "/api/v1/alerts", null).body().get(0).path("acknowledged_by").asText()).isEqualTo("otto");
    }
}
