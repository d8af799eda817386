package io.chatops.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.MetricsAck;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShutdownTest {
    @TempDir
    Path dataDir;

    @Test
    void stopping_the_hub_closes_agent_links_with_1001_and_keeps_what_was_acknowledged() throws Exception {
        HubOptions options = HubOptions.parse(new String[] {"--listen", "127.0.0.1:0", "--data-dir", dataDir.toString()}, Map.of());
        String serverId;
        Hub hub = Hub.start(options, Map.of("CHATOPS_ADMIN_PASSWORD", "admin password"), Clock.systemUTC());
        try (TestAgent agent = new TestAgent(hub.port())) {
            serverId = hub.servers().create("web-01", List.of()).id();
            agent.auth(hub.servers().createKey(serverId, "k", null).key()).await(AuthSuccess.class);
            agent.send(new Metrics(1, Instant.now(), 5, null, null, List.of(), List.of(), 1L, null, null));
            agent.await(MetricsAck.class);

            hub.close();

            assertThat(agent.awaitClose()).isEqualTo(1001);
        }
        try (Hub again = Hub.start(options, Map.of(), Clock.systemUTC())) {
            assertThat(again.metrics().count(serverId)).isEqualTo(1);
        }
    }
}
