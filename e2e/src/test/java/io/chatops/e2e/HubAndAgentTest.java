package io.chatops.e2e;

import static io.chatops.e2e.RealHub.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real hub jar and the real packaged agent, as processes on loopback, with the real Docker
 * engine: enrol a server through the API, see its metrics, run a command, restart a container,
 * restart the hub, revoke the key.
 */
class HubAndAgentTest {
    @TempDir
    Path dir;

    RealHub hub;

    @BeforeEach
    void startHub() throws Exception {
        hub = new RealHub(dir);
    }

    @AfterEach
    void stopAll() throws Exception {
        hub.close();
    }

    @Test
    void enrol_watch_command_docker_restart_the_hub_and_revoke() throws Exception {
        String admin = hub.admin;
        JsonNode created = hub.call("POST", "/api/v1/servers", admin, "{\"name\":\"e2e-host\",\"tags\":[\"e2e\"]}", 201);
        String serverId = created.path("server").path("id").asText();
        String key = created.path("api_key").path("key").asText();
        String keyId = created.path("api_key").path("id").asText();

        long start = System.nanoTime();
        hub.startAgent(key);

        JsonNode online = eventually("the server reports metrics", () -> hub.server(serverId),
                s -> s.path("status").asText().equals("online") && !s.path("latest").isNull());
        System.out.printf("metrics visible %d ms after the agent started%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        assertThat(online.path("agent").path("capabilities").toString()).contains("exec", "docker_control");
        assertThat(online.path("latest").path("memory_percent").asDouble()).isPositive();

        JsonNode command = hub.call("POST", "/api/v1/servers/" + serverId + "/commands?wait=true", admin,
                "{\"command\":\"echo hello from $(hostname)\",\"timeout_seconds\":10}", 200);
        assertThat(command.path("status").asText()).isEqualTo("succeeded");
        assertThat(command.path("stdout").asText()).startsWith("hello from ");

        String name = hub.startContainer("chatops-e2e");
        eventually("the agent reports the container", () -> hub.call("GET", "/api/v1/servers/" + serverId + "/containers", admin,
                null, 200), list -> list.path("containers").toString().contains(name));
        String before = TestMachineTest.run(TestMachineTest.DOCKER, "inspect", "-f", "{{.State.StartedAt}}", name).trim();
        JsonNode restarted = hub.call("POST", "/api/v1/servers/" + serverId + "/containers/" + name + "/restart", admin, null, 200);
        assertThat(restarted.path("container").path("state").asText()).isEqualTo("running");
        assertThat(TestMachineTest.run(TestMachineTest.DOCKER, "inspect", "-f", "{{.State.StartedAt}}", name).trim())
                .isNotEqualTo(before);

        hub.restartHub();
        eventually("the agent reconnects after the hub restart", () -> hub.server(serverId),
                s -> s.path("status").asText().equals("online"));
        java.time.Instant hubBack = java.time.Instant.now();
        JsonNode history = eventually("samples continue after the restart",
                () -> hub.call("GET", "/api/v1/servers/" + serverId + "/metrics?resolution=raw", admin, null, 200),
                h -> h.path("timestamps").size() > 0 && java.time.Instant.parse(
                        h.path("timestamps").get(h.path("timestamps").size() - 1).asText()).isAfter(hubBack.plusSeconds(5)));
        assertThat(history.path("cpu_percent").toString()).as("no gap across the hub restart").doesNotContain("null");

        hub.call("DELETE", "/api/v1/api-keys/" + keyId, admin, null, 204);
        eventually("the revoked agent is disconnected", () -> hub.server(serverId), s -> !s.path("status").asText().equals("online"));
        assertThat(hub.call("GET", "/api/v1/audit?server_id=" + serverId, admin, null, 200).findValuesAsText("action"))
                .contains("server_create", "command", "docker_restart", "api_key_revoke");
    }
}
