package io.chatops.e2e;

import static io.chatops.e2e.RealHub.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of secret the hub and the agent handle, used the ways that log something (sign-ins
 * right and wrong, an agent connecting, a wrong agent key, integrations and channels set up), and
 * then the logs of both processes searched for each of them: none may appear.
 */
class SecretsInLogsTest {
    @TempDir
    Path dir;

    @Test
    void no_secret_reaches_the_logs_of_the_hub_or_the_agent() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(RealHub.ADMIN_PASSWORD));
        try (RealHub hub = new RealHub(dir)) {
            secrets.add(hub.admin);
            String password = "user password " + UUID.randomUUID();
            String wrongPassword = "wrong password " + UUID.randomUUID();
            secrets.addAll(List.of(password, wrongPassword));
            hub.call("POST", "/api/v1/users", hub.admin, "{\"username\":\"olga\",\"password\":\"" + password + "\",\"role\":\"operator\"}", 201);
            hub.call("POST", "/api/v1/auth/login", null, "{\"username\":\"olga\",\"password\":\"" + password + "\"}", 200);
            hub.call("POST", "/api/v1/auth/login", null, "{\"username\":\"olga\",\"password\":\"" + wrongPassword + "\"}", 401);
            String token = hub.call("POST", "/api/v1/auth/tokens", hub.admin, "{\"name\":\"script\"}", 201).path("token").asText();
            secrets.add(token);
            hub.call("GET", "/api/v1/servers", "cot_" + "x".repeat(40), null, 401);
            secrets.add("cot_" + "x".repeat(40));

            JsonNode created = hub.call("POST", "/api/v1/servers", hub.admin, "{\"name\":\"web-01\"}", 201);
            String key = created.path("api_key").path("key").asText();
            secrets.add(key);
            hub.startAgent(key);
            String serverId = created.path("server").path("id").asText();
            eventually("the agent reports", () -> hub.server(serverId), server -> server.path("status").asText().equals("online"));

            String signingSecret = "signing" + UUID.randomUUID().toString().replace("-", "");
            String botToken = "xoxb-" + UUID.randomUUID();
            secrets.addAll(List.of(signingSecret, botToken)); // no app token: it would open Socket Mode towards Slack
            hub.call("PUT", "/api/v1/integrations/slack", hub.admin, "{\"signing_secret\":\"" + signingSecret + "\",\"bot_token\":\""
                    + botToken + "\"}", 200);
            String commandToken = "mm" + UUID.randomUUID().toString().replace("-", "");
            secrets.add(commandToken);
            hub.call("PUT", "/api/v1/integrations/mattermost", hub.admin, "{\"command_token\":\"" + commandToken + "\"}", 200);
            String webhookSecret = "whsec_" + java.util.Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes());
            String mailPassword = "mail password " + UUID.randomUUID();
            secrets.addAll(List.of(webhookSecret, mailPassword));
            hub.call("POST", "/api/v1/notification-channels", hub.admin, "{\"name\":\"hook\",\"type\":\"webhook\",\"config\":{\"url\":"
                    + "\"http://127.0.0.1:9/hook\",\"secret\":\"" + webhookSecret + "\"}}", 201);
            hub.call("POST", "/api/v1/notification-channels", hub.admin, "{\"name\":\"mail\",\"type\":\"email\",\"config\":{\"smtp_host\":"
                    + "\"127.0.0.1\",\"smtp_port\":9,\"username\":\"chatops\",\"password\":\"" + mailPassword
                    + "\",\"from\":\"chatops@example.com\",\"to\":[\"ops@example.com\"]}}", 201);
            for (JsonNode channel : hub.call("GET", "/api/v1/notification-channels", hub.admin, null, 200)) {
                hub.call("POST", "/api/v1/notification-channels/" + channel.path("id").asText() + "/test", hub.admin, null, 502); // nobody listens
            }
        } // both processes stopped: their logs are complete
        String logs = Files.readString(dir.resolve("hub.log")) + Files.readString(dir.resolve("agent.log"));
        assertThat(logs).as("the logs are there").contains("ChatOps hub listening");
        for (String secret : secrets) {
            assertThat(logs).as("a secret in the logs").doesNotContain(secret);
        }
    }
}
