package io.chatops.hub.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.TestAgent;
import io.chatops.hub.TestHubs;
import io.chatops.hub.actor.Role;
import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.Command;
import io.chatops.protocol.CommandOutput;
import io.chatops.protocol.CommandResponse;
import io.chatops.protocol.ContainerInfo;
import io.chatops.protocol.Containers;
import io.chatops.protocol.DockerCommand;
import io.chatops.protocol.DockerResponse;
import io.chatops.protocol.DockerResult;
import io.chatops.protocol.OutputStreamName;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands from REST through the hub to an agent and back. */
class CommandRelayTest {
    static final ContainerInfo NGINX = new ContainerInfo("3f2a9c1b7d8e", "nginx", "nginx:1.27", "running", "Up 1 second",
            null, Instant.parse("2026-11-25T22:00:00Z"), 0, List.of(), 0.0, 1024L);

    @TempDir
    Path dataDir;

    Hub hub;
    Api api;
    String operator;
    String viewer;
    String serverId;
    String key;

    @BeforeEach
    void start() throws Exception {
        hub = TestHubs.start(dataDir, Clock.systemUTC());
        api = new Api(hub.port());
        operator = TestHubs.token(hub, Clock.systemUTC(), "otto", Role.OPERATOR);
        viewer = TestHubs.token(hub, Clock.systemUTC(), "vera", Role.VIEWER);
        serverId = hub.servers().create("web-01", List.of()).id();
        key = hub.servers().createKey(serverId, "k", null).key();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void a_command_runs_on_the_agent_and_its_result_is_answered_and_kept() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            CompletableFuture<Api.Response> call = CompletableFuture.supplyAsync(() -> {
                try {
                    return api.as(operator, "POST", "/api/v1/servers/" + serverId + "/commands?wait=true",
                            "{\"command\":\"echo hello\",\"timeout_seconds\":10}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Command command = agent.await(Command.class);
            assertThat(command.command()).isEqualTo("echo hello");
            assertThat(command.timeoutSeconds()).isEqualTo(10);
            agent.send(new CommandOutput(command.id(), OutputStreamName.STDOUT, "hello\n"));
            agent.send(new CommandResponse(command.id(), 0, "hello\n", "", 3, false, false, null));

            Api.Response response = call.join();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body().path("status").asText()).isEqualTo("succeeded");
            assertThat(response.body().path("stdout").asText()).isEqualTo("hello\n");
            assertThat(response.body().path("user").asText()).isEqualTo("otto");
            assertThat(response.body().path("exit_code").asInt()).isZero();
            String id = response.body().path("id").asText();
            assertThat(api.as(viewer, "GET", "/api/v1/commands/" + id, null).body().path("command").asText()).isEqualTo("echo hello");
            assertThat(api.as(viewer, "GET", "/api/v1/servers/" + serverId + "/commands", null).body().findValuesAsText("id"))
                    .containsExactly(id);
        }
    }

    @Test
    void a_command_answers_202_at_once_and_can_be_cancelled() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            Api.Response started = api.as(operator, "POST", "/api/v1/servers/" + serverId + "/commands", "{\"command\":\"sleep 100\"}");
            assertThat(started.status()).isEqualTo(202);
            assertThat(started.body().path("status").asText()).isEqualTo("running");
            String id = started.body().path("id").asText();
            agent.await(Command.class);

            assertThat(api.as(operator, "POST", "/api/v1/commands/" + id + "/cancel", null).status()).isEqualTo(202);
            agent.await(io.chatops.protocol.CommandCancel.class, c -> c.id().equals(id));
            agent.send(CommandResponse.failed(id, CommandResponse.ErrorCode.CANCELLED, "cancelled", "", "", 50, false));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!"cancelled".equals(api.as(viewer, "GET", "/api/v1/commands/" + id, null).body().path("status").asText())
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(api.as(viewer, "GET", "/api/v1/commands/" + id, null).body().path("status").asText()).isEqualTo("cancelled");
        }
    }

    @Test
    void commands_need_a_connected_agent_that_allows_them() throws Exception {
        Api.Response offline = api.as(operator, "POST", "/api/v1/servers/" + serverId + "/commands", "{\"command\":\"uptime\"}");
        assertThat(offline.status()).isEqualTo(503);
        assertThat(offline.errorCode()).isEqualTo("agent_offline");

        AgentInfo noExec = new AgentInfo("1.0.0", "web-01", null, null, null, null, null, 1, 1, null, null,
                List.of("metrics", "docker"));
        try (TestAgent agent = new TestAgent(hub.port()).auth(key, noExec)) {
            agent.await(AuthSuccess.class);
            Api.Response disabled = api.as(operator, "POST", "/api/v1/servers/" + serverId + "/commands", "{\"command\":\"uptime\"}");
            assertThat(disabled.status()).isEqualTo(409);
            assertThat(disabled.errorCode()).isEqualTo("capability_disabled");
            Api.Response restart = api.as(operator, "POST", "/api/v1/servers/" + serverId + "/containers/nginx/restart", null);
            assertThat(restart.status()).isEqualTo(409);
        }
        Api.Response badTimeout = api.as(operator, "POST", "/api/v1/servers/" + serverId + "/commands",
                "{\"command\":\"uptime\",\"timeout_seconds\":0}");
        assertThat(badTimeout.status()).isEqualTo(400);
        assertThat(badTimeout.errorMessage()).isEqualTo("field 'timeout_seconds' must be a whole number from 1 to 86400");
    }
}
