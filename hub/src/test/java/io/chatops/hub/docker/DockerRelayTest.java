package io.chatops.hub.docker;

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

/** Docker actions from REST through the hub to an agent and back. */
class DockerRelayTest {
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
    void docker_actions_are_relayed_and_the_container_list_is_the_last_reported() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            agent.send(new Containers(Instant.parse("2026-11-26T01:00:00Z"), List.of(NGINX)));
            long deadline = System.nanoTime() + 10_000_000_000L;
            Api.Response list;
            do {
                list = api.as(viewer, "GET", "/api/v1/servers/" + serverId + "/containers", null);
            } while (list.body().path("containers").isEmpty() && System.nanoTime() < deadline);
            assertThat(list.body().path("reported_at").asText()).isEqualTo("2026-11-26T01:00:00Z");
            assertThat(list.body().path("containers").get(0).path("name").asText()).isEqualTo("nginx");

            CompletableFuture<Api.Response> restart = CompletableFuture.supplyAsync(() -> {
                try {
                    return api.as(operator, "POST", "/api/v1/servers/" + serverId + "/containers/nginx/restart", null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            DockerCommand command = agent.await(DockerCommand.class);
            assertThat(command.action()).isEqualTo(DockerCommand.Action.RESTART);
            assertThat(command.container()).isEqualTo("nginx");
            agent.send(DockerResponse.success(command.id(), DockerResult.ofContainer(NGINX)));
            Api.Response restarted = restart.join();
            assertThat(restarted.status()).isEqualTo(200);
            assertThat(restarted.body().path("container").path("state").asText()).isEqualTo("running");

            CompletableFuture<Api.Response> missing = CompletableFuture.supplyAsync(() -> {
                try {
                    return api.as(viewer, "GET", "/api/v1/servers/" + serverId + "/containers/ghost/logs?tail=10", null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            DockerCommand logs = agent.await(DockerCommand.class, c -> c.action() == DockerCommand.Action.LOGS);
            assertThat(logs.tail()).isEqualTo(10);
            agent.send(DockerResponse.failure(logs.id(), DockerResponse.ErrorCode.NOT_FOUND, "no container named or with id 'ghost'"));
            assertThat(missing.join().status()).isEqualTo(404);
            assertThat(api.as(viewer, "POST", "/api/v1/servers/" + serverId + "/containers/nginx/stop", null).status())
                    .as("viewers may not act").isEqualTo(403);
        }
    }
}
