package io.chatops.hub.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.TestAgent;
import io.chatops.hub.TestDatabases;
import io.chatops.hub.TestHubs;
import io.chatops.hub.actor.Role;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.Command;
import io.chatops.protocol.CommandResponse;
import io.chatops.protocol.ContainerInfo;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.DockerCommand;
import io.chatops.protocol.DockerResponse;
import io.chatops.protocol.DockerResult;
import io.chatops.protocol.Metrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The markers of a server's charts: what operators did to it, its agent's connections and its alerts, from the records kept. */
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class ServerEventsTest {
    static final ContainerInfo NGINX = new ContainerInfo("3f2a9c1b7d8e", "nginx", "nginx:1.27", "running", "Up 1 second",
            null, Instant.parse("2026-11-25T22:00:00Z"), 0, List.of(), 0.0, 1024L);

    @Parameter
    String database;

    @TempDir
    Path dataDir;

    TestDatabases.TestDatabase db;

    Hub hub;
    Api api;
    String operator;
    String viewer;
    String serverId;
    String key;

    @BeforeEach
    void start() throws Exception {
        db = TestDatabases.fresh(database);
        hub = db.url() == null ? TestHubs.start(dataDir, Clock.systemUTC()) : TestHubs.start(dataDir, Clock.systemUTC(), "--db-url", db.url());
        api = new Api(hub.port());
        operator = TestHubs.token(hub, Clock.systemUTC(), "otto", Role.OPERATOR);
        viewer = TestHubs.token(hub, Clock.systemUTC(), "vera", Role.VIEWER);
        serverId = hub.servers().create("web-01", List.of()).id();
        key = hub.servers().createKey(serverId, "k", null).key();
    }

    @AfterEach
    void stop() throws Exception {
        hub.close();
        db.close();
    }

    @Test
    void commands_container_actions_connections_and_alerts_are_events_of_the_server() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        String rule = api.as(operator, "POST", "/api/v1/alert-rules",
                "{\"name\":\"CPU busy\",\"kind\":\"metric\",\"metric\":\"cpu_percent\",\"op\":\">\",\"threshold\":90}").body().path("id").asText();
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            CompletableFuture<Api.Response> run = async(() -> api.as(operator, "POST",
                    "/api/v1/servers/" + serverId + "/commands?wait=true", "{\"command\":\"systemctl restart nginx\"}"));
            Command command = agent.await(Command.class);
            agent.send(new CommandResponse(command.id(), 0, "", "", 12, false, false, null));
            assertThat(run.join().status()).isEqualTo(200);

            CompletableFuture<Api.Response> restart = async(() -> api.as(operator, "POST",
                    "/api/v1/servers/" + serverId + "/containers/nginx/restart", null));
            DockerCommand docker = agent.await(DockerCommand.class);
            agent.send(DockerResponse.success(docker.id(), DockerResult.ofContainer(NGINX)));
            assertThat(restart.join().status()).isEqualTo(200);

            hub.metrics().store(serverId, new Metrics(1, Instant.now(), 5, new CpuUsage(99, List.of(99.0), 0.1, 0.1, 0.1), null,
                    List.of(), List.of(), 10L, null, null));
            hub.services().alerts().settle();
        }
        assertThat(rule).isNotEmpty();

        List<String> kinds = awaitKinds(before, 5);
        assertThat(kinds).containsExactly("agent_connected", "command", "container_restart", "alert_firing", "agent_disconnected");
        JsonNode events = events(before, Instant.now().plusSeconds(1));
        JsonNode commandEvent = events.get(1);
        assertThat(commandEvent.path("user").asText()).isEqualTo("otto");
        assertThat(commandEvent.path("summary").asText()).isEqualTo("systemctl restart nginx — succeeded (exit 0)");
        assertThat(commandEvent.path("ref").asText()).startsWith("c-");
        assertThat(events.get(2).path("summary").asText()).isEqualTo("restart nginx");
        assertThat(events.get(2).path("ref").asText()).isEqualTo("nginx");
        assertThat(events.get(0).path("summary").asText()).startsWith("agent connected: agent 1.0.0 on web-01 from 127.0.0.1:");
        assertThat(events.get(0).path("user").isNull()).isTrue();
        assertThat(events.get(3).path("summary").asText()).isEqualTo("CPU busy at 99.0 — firing");
        assertThat(Instant.parse(events.get(4).path("at").asText())).isAfterOrEqualTo(Instant.parse(events.get(3).path("at").asText()));

        assertThat(events(before, before.plusMillis(500))).as("nothing outside the range").isEmpty();
        assertThat(api.as(viewer, "GET", "/api/v1/servers/" + serverId + "/events?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", null)
                .body().path("error").path("message").asText()).isEqualTo("query parameter 'from' must be before 'to'");
        assertThat(api.as(viewer, "GET", "/api/v1/servers/" + serverId + "/events?from=yesterday", null).status()).isEqualTo(400);
        assertThat(api.as(viewer, "GET", "/api/v1/servers/nope/events", null).status()).isEqualTo(404);
    }

    JsonNode events(Instant from, Instant to) throws Exception {
        Api.Response response = api.as(viewer, "GET", "/api/v1/servers/" + serverId + "/events?from=" + from + "&to=" + to, null);
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        return response.body();
    }

    /** The connection log is written in batches: waits until {@code count} events are there. */
    List<String> awaitKinds(Instant from, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> kinds = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            kinds.clear();
            events(from, Instant.now().plusSeconds(1)).forEach(event -> kinds.add(event.path("kind").asText()));
            if (kinds.size() >= count) {
                break;
            }
            Thread.sleep(50);
        }
        return kinds;
    }

    interface Call {
        Api.Response call() throws Exception;
    }

    static CompletableFuture<Api.Response> async(Call call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
