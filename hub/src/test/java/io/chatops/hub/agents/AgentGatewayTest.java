package io.chatops.hub.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.Hub;
import io.chatops.hub.HubOptions;
import io.chatops.hub.TestAgent;
import io.chatops.hub.TestDatabases;
import io.chatops.hub.audit.AuditLog;
import io.chatops.hub.events.ServerEvents;
import io.chatops.hub.servers.ServerStore;
import io.chatops.protocol.AgentEndpoint;
import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.AuthError;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.CommandOutput;
import io.chatops.protocol.ErrorMessage;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.MetricsAck;
import io.chatops.protocol.OutputStreamName;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The agents' endpoint of the real hub on port 0, on SQLite and on PostgreSQL. */
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class AgentGatewayTest {
    @Parameter
    String database;

    @TempDir
    Path dataDir;

    TestDatabases.TestDatabase db;
    Hub hub;
    ServerStore.Server server;
    String key;

    @BeforeEach
    void startHub() throws Exception {
        db = TestDatabases.fresh(database);
        hub = start();
        server = hub.servers().create("web-01", List.of("prod"));
        key = hub.servers().createKey(server.id(), "default", null).key();
    }

    Hub start() throws Exception {
        HubOptions options = HubOptions.parse(db.url() == null
                ? new String[] {"--listen", "127.0.0.1:0", "--data-dir", dataDir.toString()}
                : new String[] {"--listen", "127.0.0.1:0", "--data-dir", dataDir.toString(), "--db-url", db.url()}, Map.of());
        return Hub.start(options, Map.of("CHATOPS_ADMIN_PASSWORD", "correct horse battery staple"), Clock.systemUTC());
    }

    @AfterEach
    void stopHub() throws Exception {
        hub.close();
        db.close();
    }

    static Metrics sample(long seq) {
        return new Metrics(seq, Instant.parse("2026-11-26T01:00:00Z").plusSeconds(5 * seq), 5, null, null, List.of(),
                List.of(), 100L, null, null);
    }

    @Test
    void a_valid_key_gets_auth_success_with_the_last_stored_sample() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            AuthSuccess success = agent.await(AuthSuccess.class);

            assertThat(success.serverId()).isEqualTo(server.id());
            assertThat(success.serverName()).isEqualTo("web-01");
            assertThat(success.metricsIntervalSeconds()).isEqualTo(5);
            assertThat(success.lastSeq()).isZero();
            assertThat(hub.agents().isOnline(server.id())).isTrue();
        }
    }

    @Test
    void samples_are_acknowledged_once_stored_and_a_replay_stores_nothing_twice() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            agent.send(sample(1)).send(sample(2)).send(sample(2)).send(sample(3));
            agent.await(MetricsAck.class, ack -> ack.seq() == 3);
        }

        assertThat(hub.metrics().count(server.id())).isEqualTo(3);
        assertThat(hub.servers().lastSeq(server.id())).isEqualTo(3);
    }

    @Test
    void after_a_hub_restart_the_agent_learns_what_was_stored() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            agent.send(sample(1)).send(sample(2));
            agent.await(MetricsAck.class, ack -> ack.seq() == 2);
        }
        hub.close();
        hub = start();

        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            assertThat(agent.await(AuthSuccess.class).lastSeq()).isEqualTo(2);
        }
    }

    @Test
    void an_unknown_or_revoked_key_is_refused_and_the_link_closed_with_1008() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth("cok_not_a_key")) {
            assertThat(agent.await(AuthError.class).code()).isEqualTo(AuthError.Code.INVALID_KEY);
            assertThat(agent.awaitClose()).isEqualTo(1008);
        }
        ServerStore.NewKey revoked = hub.servers().createKey(server.id(), "old", null);
        hub.servers().revokeKey(revoked.id());
        try (TestAgent agent = new TestAgent(hub.port()).auth(revoked.key())) {
            assertThat(agent.await(AuthError.class).code()).isEqualTo(AuthError.Code.INVALID_KEY);
        }
    }

    @Test
    void an_expired_key_is_refused_as_expired() throws Exception {
        String expired = hub.servers().createKey(server.id(), "temp", Instant.now().minusSeconds(1)).key();

        try (TestAgent agent = new TestAgent(hub.port()).auth(expired)) {
            assertThat(agent.await(AuthError.class).code()).isEqualTo(AuthError.Code.EXPIRED_KEY);
        }
    }

    @Test
    void the_first_frame_must_be_auth() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).send(sample(1))) {
            assertThat(agent.await(AuthError.class).code()).isEqualTo(AuthError.Code.BAD_MESSAGE);
            assertThat(agent.awaitClose()).isEqualTo(1008);
        }
        assertThat(hub.metrics().count(server.id())).isZero();
    }

    @Test
    void bad_frames_are_answered_with_error_and_too_many_close_the_link() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            agent.sendRaw("{\"type\":\"metrics_ack\",\"seq\":-1}");
            agent.sendRaw("{\"type\":\"teleport\",\"id\":\"t-1\"}");

            assertThat(agent.await(ErrorMessage.class, e -> e.code().equals("bad_message")).message())
                    .isEqualTo("field 'seq' must be a positive integer");
            assertThat(agent.await(ErrorMessage.class, e -> e.code().equals("unknown_type")).id()).isEqualTo("t-1");
            for (int i = 0; i < 20; i++) {
                agent.sendRaw("not json " + i);
            }
            assertThat(agent.awaitClose()).isEqualTo(1008);
        }
    }

    @Test
    void frames_up_to_the_protocol_s_limit_are_taken_and_larger_ones_answered_with_error() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            // An agent streams command output in chunks of up to 256 KiB and sends final answers close to 1 MiB.
            agent.send(new CommandOutput("c-1", OutputStreamName.STDOUT, "y".repeat(MessageCodec.MAX_FRAME_BYTES - 100)));
            agent.sendRaw("{\"type\":\"command_output\",\"id\":\"c-2\",\"stream\":\"stdout\",\"data\":\""
                    + "y".repeat(MessageCodec.MAX_FRAME_BYTES + 1) + "\"}");
            assertThat(agent.await(ErrorMessage.class).message()).contains("exceeds the limit of " + MessageCodec.MAX_FRAME_BYTES);
            agent.send(sample(1));
            assertThat(agent.await(MetricsAck.class).seq()).isEqualTo(1); // the link goes on
            assertThat(agent.received).filteredOn(ErrorMessage.class::isInstance).hasSize(1); // the first frame was taken
        }
    }

    @Test
    void a_frame_far_beyond_the_limit_closes_the_link_before_it_is_read_whole() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port()).auth(key)) {
            agent.await(AuthSuccess.class);
            agent.sendRawAndGo("y".repeat(64 * 1024 * 1024));
            // 1009, or a broken connection when the hub's close overtakes the rest of the frame; the hub says which
            assertThat(agent.awaitClose()).isIn(1009, -1);
        }
        ServerEvents events = new ServerEvents(hub.database().jdbi());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (events.between(server.id(), 0, Long.MAX_VALUE).stream().noneMatch(e -> e.summary().contains("1009"))) {
            assertThat(System.nanoTime()).as("the disconnection recorded with 1009").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void before_its_handshake_a_connection_may_send_only_a_small_frame() throws Exception {
        try (TestAgent agent = new TestAgent(hub.port())) {
            // over the limit before auth, well under the one after it; small enough to be written whole
            // before the hub closes (a larger one can lose the close frame to a broken connection)
            agent.sendRawAndGo("y".repeat(AgentGateway.FRAME_LIMIT_BEFORE_AUTH + 4096));
            assertThat(agent.awaitClose()).isEqualTo(1009);
        }
    }

    @Test
    void a_second_connection_with_the_same_key_replaces_the_first() throws Exception {
        try (TestAgent first = new TestAgent(hub.port()).auth(key)) {
            first.await(AuthSuccess.class);
            try (TestAgent second = new TestAgent(hub.port()).auth(key)) {
                second.await(AuthSuccess.class);

                assertThat(first.awaitClose()).isEqualTo(4000);
                second.send(sample(1));
                second.await(MetricsAck.class);
            }
        }
    }

    @Test
    void a_second_agent_with_the_same_key_on_another_host_is_refused_and_recorded() throws Exception {
        AgentInfo clone = new AgentInfo("1.0.0", "web-02", "9d9d9d9d", null, null, null, null, 1, 1, null, null, List.of("metrics"));
        try (TestAgent first = new TestAgent(hub.port()).auth(key)) {
            first.await(AuthSuccess.class);
            first.send(sample(1));
            first.await(MetricsAck.class);
            try (TestAgent second = new TestAgent(hub.port()).auth(key, clone)) {
                AuthError refused = second.await(AuthError.class);
                assertThat(refused.code()).isEqualTo(AuthError.Code.DUPLICATE_AGENT);
                assertThat(refused.message()).contains("web-01 (machine id 4c4c4544)");
                assertThat(second.awaitClose()).isEqualTo(AgentEndpoint.CLOSE_POLICY);
            }
            first.send(sample(2));
            assertThat(first.await(MetricsAck.class, ack -> ack.seq() == 2).seq()).as("the first keeps reporting").isEqualTo(2);
            List<Map<String, Object>> records = new AuditLog(hub.database().jdbi(), Clock.systemUTC())
                    .query(null, null, "agent_duplicate", 10);
            assertThat(records).singleElement().satisfies(event -> {
                assertThat(event.get("outcome")).isEqualTo("refused");
                assertThat(String.valueOf(event.get("detail"))).contains("web-02");
                assertThat(event.get("source")).isEqualTo("agent");
            });
        }
    }

    @Test
    void health_and_readiness_answer() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/healthz", "/readyz")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
        }
    }
}
