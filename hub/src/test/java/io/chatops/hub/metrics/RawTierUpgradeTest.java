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
 * A database made by the previous version (schema 10: every sample as its JSON text, rollups as a
 * row per minute and per hour) opened by this hub: every readable sample moves to the compact
 * tier, none twice, the rollups to blocks, the old tables go, the past hours become blocks, and
 * history and metrics/latest answer as before.
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

    /** A database as a hub of schema {@code version} left it. */
    Jdbi previousVersion(String version) throws Exception {
        db = TestDatabases.fresh(database);
        String url = db.url() != null ? db.url() : "jdbc:sqlite:" + dataDir.resolve("chatops.db");
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target(version).load().migrate();
        return Jdbi.create(url);
    }

    void startHub() throws Exception {
        List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:0", "--data-dir", dataDir.toString()));
        if (db.url() != null) {
            args.addAll(List.of("--db-url", db.url()));
        }
        hub = Hub.start(HubOptions.parse(args.toArray(String[]::new), Map.of()), Map.of("CHATOPS_ADMIN_PASSWORD", "admin password"),
                Clock.systemUTC());
    }

    String viewerToken() {
        Jdbi jdbi = hub.database().jdbi();
        return new TokenStore(jdbi, Clock.systemUTC()).create(
                new UserStore(jdbi, Clock.systemUTC()).create("vera", "viewer password", Role.VIEWER).id(), "t", null).token();
    }

    @Test
    void samples_stored_as_json_by_the_previous_version_move_to_blocks() throws Exception {
        Jdbi old = previousVersion("10");
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

        startHub();

        Jdbi jdbi = hub.database().jdbi();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM metrics_blocks").mapTo(Long.class).one()) < 3
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long blocks = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM metrics_blocks").mapTo(Long.class).one());
        assertThat(blocks).as("the three past hours as blocks").isEqualTo(3);
        assertThat(hub.metrics().count(serverId)).as("every readable sample, once").isEqualTo(samples.size());
        assertThat(tableGone(jdbi, "metrics_raw")).isTrue();
        assertThat(hub.metrics().newest(serverId, samples.size())).isEqualTo(samples.reversed());

        Api api = new Api(hub.port());
        String token = viewerToken();
        JsonNode latest = api.as(token, "GET", "/api/v1/servers/" + serverId + "/metrics/latest", null).body();
        assertThat(latest.path("seq").asLong()).isEqualTo(samples.size());
        JsonNode history = api.as(token, "GET", "/api/v1/servers/" + serverId + "/metrics?from=" + start + "&to="
                + start.plus(Duration.ofMinutes(30)) + "&resolution=raw", null).body();
        assertThat(history.path("timestamps").size()).isEqualTo(361);
        assertThat(history.path("cpu_percent").get(7).asDouble()).isEqualTo(samples.get(7).cpu().usagePercent());
        assertThat(tableGone(jdbi, "metrics_1m")).as("the rollup rows moved to blocks too").isTrue();
    }

    /**
     * The previous version's rollups (a row per server-minute and per server-hour, server-wide
     * figures) move into the minute and hour blocks, and the history answers from them.
     */
    @Test
    void rollups_of_the_previous_version_move_to_blocks() throws Exception {
        Jdbi old = previousVersion("10");
        String serverId = new ServerStore(old, Clock.systemUTC()).create("web-01", List.of()).id();
        Instant minute = Instant.ofEpochMilli(RawTier.hourOf(Instant.now().minus(Duration.ofDays(3)).toEpochMilli()));
        Instant hour = Instant.ofEpochMilli(RawTier.hourOf(Instant.now().minus(Duration.ofDays(10)).toEpochMilli()));
        old.useHandle(h -> {
            String figures = " (server_id, ts, samples, cpu_avg, cpu_max, mem_avg, mem_max, disk_avg, disk_max, load1_avg, load1_max,"
                    + " net_sent_avg, net_sent_max, net_recv_avg, net_recv_max) VALUES (?, ?, 12, ?, ?, 50, 60, 70, 70, 1.5, 2, 1000, 2000,"
                    + " NULL, NULL)";
            h.createUpdate("INSERT INTO metrics_1m" + figures).bind(0, serverId).bind(1, minute.toEpochMilli()).bind(2, 10.25).bind(3, 20)
                    .execute();
            h.createUpdate("INSERT INTO metrics_1m" + figures).bind(0, serverId).bind(1, minute.plusSeconds(60).toEpochMilli())
                    .bind(2, 30).bind(3, 40).execute();
            h.createUpdate("INSERT INTO metrics_1h" + figures).bind(0, serverId).bind(1, hour.toEpochMilli()).bind(2, 5).bind(3, 95).execute();
        });

        startHub();

        Jdbi jdbi = hub.database().jdbi();
        assertThat(tableGone(jdbi, "metrics_1m")).isTrue();
        assertThat(tableGone(jdbi, "metrics_1h")).isTrue();
        Api api = new Api(hub.port());
        String token = viewerToken();
        JsonNode minutes = api.as(token, "GET", "/api/v1/servers/" + serverId + "/metrics?from=" + minute + "&to="
                + minute.plus(Duration.ofMinutes(5)) + "&resolution=1m", null).body();
        assertThat(minutes.path("timestamps")).hasSize(2);
        assertThat(minutes.path("cpu_percent").toString()).isEqualTo("[10.25,30.0]");
        assertThat(minutes.path("cpu_percent_max").toString()).isEqualTo("[20.0,40.0]");
        assertThat(minutes.path("net_sent_bytes_per_second_max").get(0).asDouble()).isEqualTo(2000.0);
        assertThat(minutes.path("net_recv_bytes_per_second").get(0).isNull()).as("none before, none now").isTrue();
        JsonNode hours = api.as(token, "GET", "/api/v1/servers/" + serverId + "/metrics?from=" + hour + "&to="
                + hour.plus(Duration.ofHours(3)) + "&resolution=1h", null).body();
        assertThat(hours.path("cpu_percent_max").toString()).isEqualTo("[95.0]");
        assertThat(hours.path("load_1").toString()).isEqualTo("[1.5]");
    }

    /** Blocks written before the tables were partitioned by day (PostgreSQL) move into their day's partition, readable as before. */
    @Test
    void blocks_written_before_day_partitions_move_into_them() throws Exception {
        Jdbi old = previousVersion("12");
        String serverId = new ServerStore(old, Clock.systemUTC()).create("web-01", List.of()).id();
        Instant start = Instant.ofEpochMilli(RawTier.hourOf(Instant.now().minus(Duration.ofHours(5)).toEpochMilli()));
        List<Metrics> hour = BlockCodecTest.hour(3, 2, 1, 1).stream().map(s -> s.withTimestamp(start.plusSeconds(5 * (s.seq() - 1000))))
                .toList();
        old.useHandle(h -> h.createUpdate("INSERT INTO metrics_blocks (server_id, start, samples, data) VALUES (?, ?, ?, ?)")
                .bind(0, serverId).bind(1, start.toEpochMilli()).bind(2, hour.size())
                .bind(3, BlockCodec.encode(hour.stream().map(Sample::of).toList())).execute());

        startHub();

        assertThat(hub.metrics().newest(serverId, 1_000)).isEqualTo(hour.reversed());
        if (db.url() != null) {
            long partitions = hub.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM pg_inherits WHERE inhparent = CAST('metrics_blocks' AS regclass)").mapTo(Long.class).one());
            assertThat(partitions).isEqualTo(1);
        }
    }

    static boolean tableGone(Jdbi jdbi, String table) {
        return jdbi.withHandle(h -> !RawTierUpgrade.tableExists(h, table));
    }
}
