package io.chatops.hub.servers;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.MutableClock;
import io.chatops.hub.TestAgent;
import io.chatops.hub.TestHubs;
import io.chatops.hub.actor.Role;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub's --metrics-interval, a server's own interval, and a connected agent told of a change. */
class MetricsIntervalTest {
    @TempDir
    Path dataDir;

    final MutableClock clock = new MutableClock();
    Hub hub;
    Api api;
    String admin;
    String serverId;
    String key;

    @BeforeEach
    void start() throws Exception {
        hub = TestHubs.start(dataDir, clock, "--metrics-interval", "10");
        api = new Api(hub.port());
        admin = TestHubs.token(hub, clock, "ada", Role.ADMIN);
        serverId = hub.servers().create("web-01", List.of()).id();
        key = hub.servers().createKey(serverId, "k", null).key();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    Api.Response patch(String body) throws Exception {
        return api.as(admin, "PATCH", "/api/v1/servers/" + serverId, body);
    }

    @Test
    void an_agent_gets_the_hub_s_interval_and_adopts_a_server_s_own_without_reconnecting() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            assertThat(agent.await(AuthSuccess.class).metricsIntervalSeconds()).isEqualTo(10);
            assertThat(api.as(admin, "GET", "/api/v1/servers/" + serverId, null).body().path("metrics_interval_seconds").isNull())
                    .isTrue();

            Api.Response changed = patch("{\"metrics_interval_seconds\":30}");
            assertThat(changed.status()).isEqualTo(200);
            assertThat(changed.body().path("metrics_interval_seconds").asInt()).isEqualTo(30);
            assertThat(changed.body().path("effective_metrics_interval_seconds").asInt()).isEqualTo(30);
            assertThat(agent.await(Settings.class, s -> s.metricsIntervalSeconds() == 30)).isNotNull();

            // Silent for longer than three of the hub's intervals, but not three of its own: still online.
            clock.advance(Duration.ofSeconds(60));
            assertThat(hub.agents().isOnline(serverId)).isTrue();
            clock.advance(Duration.ofSeconds(31));
            assertThat(hub.agents().isOnline(serverId)).isFalse();

            Api.Response back = patch("{\"metrics_interval_seconds\":null}");
            assertThat(back.body().path("metrics_interval_seconds").isNull()).isTrue();
            assertThat(back.body().path("effective_metrics_interval_seconds").asInt()).isEqualTo(10);
            assertThat(agent.await(Settings.class, s -> s.metricsIntervalSeconds() == 10)).isNotNull();
            assertThat(agent.closed).isNotDone();
        }
        assertThat(api.as(admin, "GET", "/api/v1/audit?action=server_update", null).body().findValuesAsText("detail"))
                .containsExactly("metrics interval default", "metrics interval 30 s");
    }

    @Test
    void a_server_s_own_interval_is_told_at_the_handshake_and_kept_across_restarts() throws Exception {
        patch("{\"metrics_interval_seconds\":60}");
        hub.close();
        hub = TestHubs.start(dataDir, clock, "--metrics-interval", "10");
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            assertThat(agent.await(AuthSuccess.class).metricsIntervalSeconds()).isEqualTo(60);
        }
    }

    @Test
    void a_bad_interval_is_refused_naming_the_field_and_changes_nothing() throws Exception {
        for (String bad : List.of("0", "3601", "\"5\"", "2.5")) {
            Api.Response refused = patch("{\"metrics_interval_seconds\":" + bad + ",\"name\":\"renamed\"}");
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.errorMessage()).isEqualTo("field 'metrics_interval_seconds' must be a whole number from 1 to 3600");
        }
        assertThat(api.as(admin, "GET", "/api/v1/servers/" + serverId, null).body().path("name").asText()).isEqualTo("web-01");
    }
}
