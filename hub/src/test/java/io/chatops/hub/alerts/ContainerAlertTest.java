package io.chatops.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.MutableClock;
import io.chatops.hub.TestAgent;
import io.chatops.hub.TestHubs;
import io.chatops.hub.actor.Role;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.ContainerInfo;
import io.chatops.protocol.Containers;
import io.chatops.protocol.DockerCommand;
import io.chatops.protocol.DockerResponse;
import io.chatops.protocol.DockerResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container rules: a dead or unhealthy container fires, one an operator stopped through the hub does not. */
class ContainerAlertTest {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dataDir;

    final MutableClock clock = new MutableClock();
    Hub hub;
    Api api;
    String operator;
    String key;

    @BeforeEach
    void start() throws Exception {
        hub = TestHubs.start(dataDir, clock);
        api = new Api(hub.port());
        operator = TestHubs.token(hub, clock, "otto", Role.OPERATOR);
        String serverId = hub.servers().create("web-01", List.of()).id();
        key = hub.servers().createKey(serverId, "k", null).key();
        assertThat(api.as(operator, "POST", "/api/v1/alert-rules",
                "{\"name\":\"web containers\",\"kind\":\"container\",\"container\":\"web-*\"}").status()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    static ContainerInfo container(String name, String state, String health) {
        return new ContainerInfo("3f2a9c1b7d8e" + Math.abs(name.hashCode()), name, "nginx:1.27", state, state, health,
                T0.minusSeconds(3600), 0, List.of(), null, null);
    }

    void report(TestAgent agent, int second, ContainerInfo... containers) throws InterruptedException {
        agent.send(new Containers(T0.plusSeconds(second), List.of(containers)));
        long deadline = System.nanoTime() + 10_000_000_000L;
        // The report reaches the evaluator through the gateway; wait until the hub holds it.
        while (hub.services().docker().containers(AlertServiceActors.VIEWER, hub.servers().byName("web-01").orElseThrow().id())
                .map(c -> !c.timestamp().equals(T0.plusSeconds(second))).orElse(true) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        hub.services().alerts().settle();
    }

    JsonNode alerts(String state) throws Exception {
        return api.as(operator, "GET", "/api/v1/alerts?state=" + state, null).body();
    }

    @Test
    void an_exited_or_unhealthy_container_fires_and_running_again_resolves() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            report(agent, 0, container("web-1", "running", "healthy"), container("db", "exited", null));
            assertThat(alerts("all")).isEmpty(); // db does not match web-*

            report(agent, 5, container("web-1", "exited", null), container("web-2", "running", "unhealthy"));
            assertThat(alerts("firing").findValuesAsText("subject")).containsExactlyInAnyOrder("web-1", "web-2");
            assertThat(alerts("firing").findValuesAsText("summary"))
                    .contains("container web-1 on web-01 is not running or unhealthy");

            report(agent, 10, container("web-1", "running", null));
            assertThat(alerts("firing")).isEmpty(); // web-1 runs again, web-2 is gone
            assertThat(alerts("resolved")).hasSize(2);
        }
    }

    @Test
    void a_container_an_operator_stopped_through_the_hub_does_not_fire_until_it_ran_again() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            String serverId = hub.servers().byName("web-01").orElseThrow().id();
            report(agent, 0, container("web-1", "running", null));

            CompletableFuture<Api.Response> stop = CompletableFuture.supplyAsync(() -> {
                try {
                    return api.as(operator, "POST", "/api/v1/servers/" + serverId + "/containers/web-1/stop", null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            DockerCommand command = agent.await(DockerCommand.class);
            report(agent, 3, container("web-1", "running", null)); // sent before the stop ran
            report(agent, 5, container("web-1", "exited", null)); // the real agent reports the exit before it answers
            agent.send(DockerResponse.success(command.id(), DockerResult.ofContainer(container("web-1", "exited", null))));
            assertThat(stop.join().status()).isEqualTo(200);
            report(agent, 6, container("web-1", "running", null)); // listed before the stop ran, sent after its answer
            report(agent, 7, container("web-1", "exited", null));
            assertThat(alerts("all")).isEmpty();

            clock.advance(Duration.ofSeconds(11));
            report(agent, 10, container("web-1", "running", null)); // started again, outside the hub
            report(agent, 15, container("web-1", "exited", null)); // and then it died: that is an incident
            assertThat(alerts("firing").findValuesAsText("subject")).containsExactly("web-1");
        }
    }
}
