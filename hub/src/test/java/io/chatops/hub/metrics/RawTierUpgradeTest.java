package io.chatops.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.HubOptions;
import io.chatops.hub.TestDatabases;
import io.chatops.hub.actor.Role;
import io.chatops.hub.auth.TokenStore;
import io.chatops.hub.auth.UserStore;
import io.chatops.hub.servers.ServerStore;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Metrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A database made by the previous version (schema 10: every sample as its JSON text) opened by
 * this hub: every readable sample moves to the compact tier, none twice, the old table goes, the
 * past hours become blocks, and history and metrics/latest answer as before.
 */
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class RawTierUpgradeTest {
    @Parameter
    String database;

    @TempDir
    Path dataDir;

    TestDatabases.TestDatabase db;
    Hub hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        db.close();
    }

    @Test
    void samples_stored_as_json_by_the_previous_version_move_to_blocks() throws Exception {
        db = TestDatabases.fresh(database);
        String url = db.url() != null ? db.url() : "jdbc:sqlite:" + dataDir.resolve("chatops.db");
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("10").load().migrate();
        Jdbi old = Jdbi.create(url);
        String serverId = new ServerStore(old, Clock.systemUTC()).create("web-01", List.of()).id();
        // Three hours that ended an hour ago, as the previous version stored them.
        Instant start = Instant.ofEpochMilli(RawTier.hourOf(Instant.now().minus(Duration.ofHours(4)).toEpochMilli()));
        MessageCodec codec = new MessageCodec();
        List<Metrics> samples = new ArrayList<>();
        for (int h = 0; h < 3; h++) {
            for (Metrics sample : BlockCodecTest.hour(h, 2, 1, 2)) {
                samples.add(sample.withSeq(samples.size() + 1).withTimestamp(start.plusSeconds(5L * samples.size())));
            }
        }
        old.useHandle(h -> {
            var insert = h.prepareBatch("INSERT INTO metrics_raw (server_id, seq, ts, sample, cpu, mem, disk, load1, net_sent, net_recv)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            Metrics previous = null;
            for (Metrics sample : samples) {
                Summary s = Summary.of(sample, previous);
                insert.bind(0, serverId).bind(1, sample.seq()).bind(2, sample.timestamp().toEpochMilli()).bind(3, codec.encode(sample))
                        .bind(4, s.cpu()).bind(5, s.memory()).bind(6, s.disk()).bind(7, s.load1()).bind(8, s.sentPerSecond())
                        .bind(9, s.recvPerSecond()).add();
                previous = sample;
            }
            insert.execute();
            h.createUpdate("INSERT INTO metrics_raw (server_id, seq, ts, sample) VALUES (?, 99999, ?, '{damaged')").bind(0, serverId)
                    .bind(1, start.toEpochMilli()).execute();
            h.createUpdate("UPDATE servers SET last_seq = ? WHERE id = ?").bind(0, (long) samples.size()).bind(1, serverId).execute();
        });

        List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:0", "--data-dir", dataDir.toString()));
        if (db.url() != null) {
            args.addAll(List.of("--db-url", db.url()));
        }
        hub = Hub.start(HubOptions.parse(args.toArray(String[]::new), Map.of()), Map.of("CHATOPS_ADMIN_PASSWORD", "admin password"),
                Clock.systemUTC());

        Jdbi jdbi = hub.database().jdbi();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM metrics_blocks").mapTo(Long.class).one()) < 3
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long blocks = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM metrics_blocks").mapTo(Long.class).one());
        assertThat(blocks).as("the three past hours as blocks").isEqualTo(3);
        assertThat(hub.metrics().count(serverId)).as("every readable sample, once").isEqualTo(samples.size());
        boolean oldTableGone = jdbi.withHandle(h -> {
            try (var tables = h.getConnection().getMetaData().getTables(null, h.getConnection().getSchema(), "metrics_raw", null)) {
                return !tables.next();
            }
        });
        assertThat(oldTableGone).isTrue();
        assertThat(hub.metrics().newest(serverId, samples.size())).isEqualTo(samples.reversed());

        Api api = new Api(hub.port());
        String token = new TokenStore(jdbi, Clock.systemUTC()).create(
                new UserStore(jdbi, Clock.systemUTC()).create("vera", "viewer password", Role.VIEWER).id(), "t", null).token();
        JsonNode latest = api.as(token, "GET", "/api/v1/servers/" + serverId + "/metrics/latest", null).body();
        assertThat(latest.path("seq").asLong()).isEqualTo(samples.size());
        JsonNode history = api.as(token, "GET", "/api/v1/servers/" + serverId + "/metrics?from=" + start + "&to="
                + start.plus(Duration.ofMinutes(30)) + "&resolution=raw", null).body();
        assertThat(history.path("timestamps").size()).isEqualTo(361);
        assertThat(history.path("cpu_percent").get(7).asDouble()).isEqualTo(samples.get(7).cpu().usagePercent());
    }
}
