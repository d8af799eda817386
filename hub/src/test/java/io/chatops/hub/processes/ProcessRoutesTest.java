package io.chatops.hub.processes;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.TestAgent;
import io.chatops.hub.TestHubs;
import io.chatops.hub.actor.Role;
import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.ErrorMessage;
import io.chatops.protocol.ProcessList;
import io.chatops.protocol.ProcessesRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /servers/{id}/processes} through the hub to an agent and back. */
class ProcessRoutesTest {
    static final AgentInfo WITH_PROCESSES = new AgentInfo("1.1.0", "web-01", null, null, null, null, null, 2, 1L << 30, null, null,
            List.of("metrics", "docker", "processes"));

    @TempDir
    Path dataDir;

    Hub hub;
    Api api;
    String viewer;
    String serverId;
    String key;

    @BeforeEach
    void start() throws Exception {
        hub = TestHubs.start(dataDir, Clock.systemUTC());
        api = new Api(hub.port());
        viewer = TestHubs.token(hub, Clock.systemUTC(), "vera", Role.VIEWER);
        serverId = hub.servers().create("web-01", List.of()).id();
        key = hub.servers().createKey(serverId, "k", null).key();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    CompletableFuture<Api.Response> get(String query) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return api.as(viewer, "GET", "/api/v1/servers/" + serverId + "/processes" + query, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void a_viewer_gets_the_busiest_processes_and_askers_at_once_share_one_measurement() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key, WITH_PROCESSES)) {
            agent.await(AuthSuccess.class);
            CompletableFuture<Api.Response> first = get("?sort=memory&limit=2");
            ProcessesRequest request = agent.await(ProcessesRequest.class);
            CompletableFuture<Api.Response> second = get("?sort=memory&limit=3");
            Thread.sleep(200);
            agent.send(new ProcessList(request.id(), Instant.parse("2026-11-26T01:00:00.500Z"), 500, 212, List.of(
                    new ProcessList.ProcessInfo(4121, "postgres", "postgres: checkpointer", 1.5, 3L << 30),
                    new ProcessList.ProcessInfo(2211, "app", "java -jar app.jar", 12.0, 1L << 30),
                    new ProcessList.ProcessInfo(1, "root", "/sbin/init", 0.0, 12L << 20))));

            Api.Response answer = first.join();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(request.sort()).isEqualTo(ProcessesRequest.Sort.MEMORY);
            assertThat(answer.body().path("taken_at").asText()).isEqualTo("2026-11-26T01:00:00.500Z");
            assertThat(answer.body().path("sort").asText()).isEqualTo("memory");
            assertThat(answer.body().path("total").asInt()).isEqualTo(212);
            assertThat(answer.body().path("processes").findValuesAsText("command")).containsExactly("postgres: checkpointer",
                    "java -jar app.jar");
            assertThat(answer.body().path("processes").get(0).path("memory_bytes").asLong()).isEqualTo(3L << 30);
            assertThat(second.join().body().path("processes")).hasSize(3);
            assertThat(get("?sort=memory").join().body().path("processes")).as("within 2 s: the same measurement").hasSize(3);
            List<ProcessesRequest> asked = new ArrayList<>();
            agent.received.stream().filter(ProcessesRequest.class::isInstance).map(ProcessesRequest.class::cast).forEach(asked::add);
            assertThat(asked).as("the agent was asked once").hasSize(1);

            CompletableFuture<Api.Response> failing = get("?sort=cpu");
            ProcessesRequest byCpu = agent.await(ProcessesRequest.class, r -> r.sort() == ProcessesRequest.Sort.CPU);
            agent.send(new ErrorMessage(byCpu.id(), "processes_failed", "cannot list the processes: /proc is not mounted"));
            Api.Response refused = failing.join();
            assertThat(refused.status()).isEqualTo(502);
            assertThat(refused.body().path("error").path("message").asText()).contains("/proc is not mounted");
        }
    }

    @Test
    void bad_parameters_an_older_agent_and_no_agent_get_clear_errors() throws Exception {
        assertThat(get("?sort=disk").join().body().path("error").path("message").asText())
                .isEqualTo("query parameter 'sort' must be cpu or memory");
        assertThat(get("?limit=0").join().status()).isEqualTo(400);
        assertThat(get("?limit=101").join().status()).isEqualTo(400);
        assertThat(get("").join().body().path("error").path("code").asText()).isEqualTo("agent_offline");
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) { // an agent of the first release: no "processes"
            agent.await(AuthSuccess.class);
            Api.Response older = get("").join();
            assertThat(older.status()).isEqualTo(409);
            assertThat(older.body().path("error").path("message").asText()).contains("upgrade it");
        }
        assertThat(api.call("GET", "/api/v1/servers/" + serverId + "/processes", null).status()).isEqualTo(401);
    }
}
