package io.chatops.hub.servers;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.MutableClock;
import io.chatops.hub.TestAgent;
import io.chatops.hub.TestHubs;
import io.chatops.hub.actor.Role;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.MetricsAck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerStatusTest {
    @TempDir
    Path dataDir;

    @Test
    void a_server_is_offline_when_its_agent_is_silent_for_three_intervals_even_if_connected() throws Exception {
        MutableClock clock = new MutableClock();
        try (Hub hub = TestHubs.start(dataDir, clock)) {
            String token = TestHubs.token(hub, clock, "vera", Role.VIEWER);
            String id = hub.servers().create("web-01", List.of()).id();
            Api api = new Api(hub.port());
            assertThat(api.as(token, "GET", "/api/v1/servers/" + id, null).body().path("status").asText()).isEqualTo("never_connected");

            assertThat(api.as(token, "GET", "/api/v1/servers/" + id, null).body().path("online_since").isNull()).isTrue();

            try (TestAgent agent = new TestAgent(hub.port()).auth(hub.servers().createKey(id, "k", null).key())) {
                agent.await(AuthSuccess.class);
                String connectedAt = clock.instant().toString();
                clock.advance(Duration.ofSeconds(5));
                assertThat(api.as(token, "GET", "/api/v1/servers/" + id, null).body().path("status").asText()).isEqualTo("online");
                assertThat(api.as(token, "GET", "/api/v1/servers/" + id, null).body().path("online_since").asText())
                        .as("since the link came up").isEqualTo(connectedAt);

                clock.advance(Duration.ofSeconds(11));
                assertThat(api.as(token, "GET", "/api/v1/servers/" + id, null).body().path("status").asText()).isEqualTo("offline");
                assertThat(api.as(token, "GET", "/api/v1/servers/" + id, null).body().path("online_since").isNull()).isTrue();

                agent.send(new Metrics(1, clock.instant(), 5, null, null, List.of(), List.of(), 1L, null, null));
                agent.await(MetricsAck.class);
                assertThat(api.as(token, "GET", "/api/v1/servers/" + id, null).body().path("status").asText()).isEqualTo("online");
            }
        }
    }
}
