package io.chatops.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.HubOptions;
import io.chatops.hub.MutableClock;
import io.chatops.hub.TestDatabases;
import io.chatops.hub.actor.Role;
import io.chatops.hub.auth.TokenStore;
import io.chatops.hub.auth.UserStore;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.DiskIo;
import io.chatops.protocol.DiskUsage;
import io.chatops.protocol.InterfaceCounters;
import io.chatops.protocol.MemoryUsage;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.Pressure;
import io.chatops.protocol.ServiceStates;
import io.chatops.protocol.TcpStats;
import io.chatops.protocol.Temperature;
import java.nio.file.Path;
import java.time.Duration;
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

/** History for charts: raw samples, minute and hour rollups, gaps and retention, on SQLite and PostgreSQL. */
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class MetricsHistoryTest {
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @Parameter
    String database;

    @TempDir
    Path dataDir;

    TestDatabases.TestDatabase db;
    MutableClock clock;
    Hub hub;
    Api api;
    String token;
    String serverId;

    @BeforeEach
    void start() throws Exception {
        db = TestDatabases.fresh(database);
        clock = new MutableClock();
        clock.set(T0.plus(Duration.ofMinutes(10)));
        String[] args = db.url() == null
                ? new String[] {"--listen", "127.0.0.1:0", "--data-dir", dataDir.toString(), "--keep-raw", "36h"}
                : new String[] {"--listen", "127.0.0.1:0", "--data-dir", dataDir.toString(), "--keep-raw", "36h", "--db-url", db.url()};
        hub = Hub.start(HubOptions.parse(args, Map.of()), Map.of("CHATOPS_ADMIN_PASSWORD", "admin password"), clock);
        api = new Api(hub.port());
        token = new TokenStore(hub.database().jdbi(), clock).create(
                new UserStore(hub.database().jdbi(), clock).create("vera", "viewer password", Role.VIEWER).id(), "t", null).token();
        serverId = hub.servers().create("web-01", List.of()).id();
    }

    @AfterEach
    void stop() throws Exception {
        hub.close();
        db.close();
    }

    void store(long seq, Instant at, double cpu, long bytesSent) {
        Metrics sample = new Metrics(seq, at, 5, new CpuUsage(cpu, List.of(cpu, cpu), 1.0, 0.5, 0.25),
                new MemoryUsage(1000, 500, 500, 50.0, 200, 50), List.of(new DiskUsage("/", "/dev/vda", "ext4", 100, 40, 60, 40.0)),
                List.of(new InterfaceCounters("eth0", bytesSent, 0, 0, 0, 0, 0), new InterfaceCounters("lo", 5, 5, 1, 1, 0, 0)),
                100L, null, null);
        hub.metrics().store(serverId, sample);
    }

    /** Minute 0: 12 samples at 10 % CPU, sending 1000 B/s; nothing in minutes 1 and 2; minute 3: 12 samples at 40 %. */
    void storeTwoMinutesWithAnOutage() {
        for (int i = 0; i < 12; i++) {
            store(1 + i, T0.plusSeconds(5L * i), 10.0, 1000L * 5 * i);
        }
        for (int i = 0; i < 12; i++) {
            store(13 + i, T0.plus(Duration.ofMinutes(3)).plusSeconds(5L * i), 40.0, 200_000 + 1000L * 5 * i);
        }
        hub.pruneNow();
    }

    JsonNode history(String query) throws Exception {
        Api.Response response = api.as(token, "GET", "/api/v1/servers/" + serverId + "/metrics?" + query, null);
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        return response.body();
    }

    @Test
    void raw_history_has_every_sample_rates_and_a_null_where_the_agent_was_silent() throws Exception {
        storeTwoMinutesWithAnOutage();

        JsonNode raw = history("from=2026-11-26T10:00:00Z&to=2026-11-26T10:05:00Z&resolution=raw");

        assertThat(raw.path("resolution").asText()).isEqualTo("raw");
        assertThat(raw.path("timestamps")).hasSize(25); // 24 samples and one gap
        assertThat(raw.path("cpu_percent").get(12).isNull()).as("the gap").isTrue();
        assertThat(raw.path("timestamps").get(12).asText()).isEqualTo("2026-11-26T10:01:00Z");
        assertThat(raw.path("cpu_percent").get(13).asDouble()).isEqualTo(40.0);
        assertThat(raw.path("net_sent_bytes_per_second").get(0).isNull()).as("no rate without a previous sample").isTrue();
        assertThat(raw.path("net_sent_bytes_per_second").get(5).asDouble()).isEqualTo(1000.0);
        assertThat(raw.path("interfaces").path("eth0").path("sent").get(5).asDouble()).isEqualTo(1000.0);
        assertThat(raw.path("disks").path("/").get(0).asDouble()).isEqualTo(40.0);
        assertThat(raw.path("per_core_percent")).hasSize(2);
        assertThat(raw.path("swap_percent").get(0).asDouble()).isEqualTo(25.0);
        assertThat(raw.path("swap_percent").get(12).isNull()).isTrue();
        assertThat(raw.path("per_core_percent").get(0)).hasSize(25);
    }

    @Test
    void minute_and_hour_rollups_carry_averages_and_maxima_and_keep_gaps() throws Exception {
        storeTwoMinutesWithAnOutage();

        JsonNode minutes = history("from=2026-11-26T10:00:00Z&to=2026-11-26T10:05:00Z&resolution=1m");
        JsonNode hours = history("from=2026-11-26T10:00:00Z&to=2026-11-26T11:00:00Z&resolution=1h");

        assertThat(minutes.path("timestamps").toString())
                .isEqualTo("[\"2026-11-26T10:00:00Z\",\"2026-11-26T10:01:00Z\",\"2026-11-26T10:03:00Z\"]");
        assertThat(minutes.path("cpu_percent").get(0).asDouble()).isEqualTo(10.0);
        assertThat(minutes.path("cpu_percent").get(1).isNull()).isTrue();
        assertThat(minutes.path("cpu_percent_max").get(2).asDouble()).isEqualTo(40.0);
        assertThat(minutes.path("net_sent_bytes_per_second").get(0).asDouble()).isCloseTo(1000.0, within(0.001));
        assertThat(hours.path("timestamps")).hasSize(1);
        assertThat(hours.path("cpu_percent").get(0).asDouble()).isCloseTo(25.0, within(0.001));
        assertThat(hours.path("cpu_percent_max").get(0).asDouble()).isEqualTo(40.0);
        assertThat(hours.path("per_core_percent").get(1).get(0).asDouble()).isCloseTo(25.0, within(0.001));
        assertThat(hours.path("per_core_percent_max").get(1).get(0).asDouble()).isEqualTo(40.0);
        assertThat(minutes.path("swap_percent").toString()).isEqualTo("[25.0,null,25.0]");
        assertThat(minutes.path("interfaces").path("eth0").path("sent").get(0).asDouble()).isCloseTo(1000.0, within(0.001));
        assertThat(minutes.path("disks_max").path("/").get(2).asDouble()).isEqualTo(40.0);
    }

    /**
     * Every series — per core, filesystem, interface and container, and swap — in the minute and
     * hour tiers, for an hour already closed into blocks and for the hour still open.
     */
    @Test
    void every_series_is_kept_in_the_minute_and_hour_tiers_before_and_after_its_hour_closes() throws Exception {
        Instant closedHour = T0.minus(Duration.ofHours(2));
        for (int i = 0; i < 24; i++) { // two minutes of the closed hour; a container that grows, another that stops
            long seq = 1 + i;
            Instant at = closedHour.plusSeconds(5L * i);
            List<ContainerLoad> loads = i < 12
                    ? List.of(new ContainerLoad("db", 50.0, 1000L + i), new ContainerLoad("web", 1.0, 200L))
                    : List.of(new ContainerLoad("db", 150.0, 2000L));
            hub.metrics().storeAsync(serverId, sample(seq, at, 10.0 * (i / 12 + 1), 2000L * 5 * i, 30.0 + i / 12), loads).join();
        }
        for (int i = 0; i < 12; i++) {
            hub.metrics().storeAsync(serverId, sample(100 + i, T0.plusSeconds(5L * i), 70.0, 500L * 5 * i, 60.0),
                    List.of(new ContainerLoad("db", 5.0, 3000L))).join();
        }
        awaitBlocks(1);
        hub.pruneNow();

        JsonNode minutes = history("from=2026-11-26T08:00:00Z&to=2026-11-26T08:05:00Z&resolution=1m");
        assertThat(minutes.path("timestamps")).hasSize(2);
        assertThat(minutes.path("per_core_percent").get(0).toString()).isEqualTo("[10.0,20.0]");
        assertThat(minutes.path("per_core_percent").get(1).toString()).isEqualTo("[20.0,40.0]");
        assertThat(minutes.path("disks").path("/data").toString()).isEqualTo("[30.0,31.0]");
        assertThat(minutes.path("interfaces").path("eth0").path("sent").get(1).asDouble()).isCloseTo(2000.0, within(0.001));
        assertThat(minutes.path("containers").path("db").path("cpu_percent").toString()).isEqualTo("[50.0,150.0]");
        assertThat(minutes.path("containers").path("db").path("memory_bytes").get(0).asDouble()).as("bytes are whole").isEqualTo(1006.0);
        assertThat(minutes.path("containers_max").path("db").path("memory_bytes").get(0).asDouble()).isEqualTo(1011.0);
        assertThat(minutes.path("containers").path("web").path("cpu_percent").toString()).as("gone in the second minute").isEqualTo("[1.0,null]");

        JsonNode hours = history("from=2026-11-26T08:00:00Z&to=2026-11-26T10:10:00Z&resolution=1h");
        assertThat(hours.path("timestamps").toString()).as("the closed hour, a gap, the open hour")
                .isEqualTo("[\"2026-11-26T08:00:00Z\",\"2026-11-26T09:00:00Z\",\"2026-11-26T10:00:00Z\"]");
        assertThat(hours.path("per_core_percent").get(0).get(0).asDouble()).isEqualTo(15.0);
        assertThat(hours.path("per_core_percent").get(0).get(1).isNull()).isTrue();
        assertThat(hours.path("per_core_percent").get(0).get(2).asDouble()).as("the open hour, from its samples").isEqualTo(70.0);
        assertThat(hours.path("containers").path("db").path("cpu_percent").toString()).isEqualTo("[100.0,null,5.0]");
        assertThat(hours.path("containers_max").path("db").path("cpu_percent").get(0).asDouble()).isEqualTo(150.0);
        assertThat(hours.path("disks_max").path("/data").get(2).asDouble()).isEqualTo(60.0);

        JsonNode raw = history("from=2026-11-26T08:00:00Z&to=2026-11-26T08:01:00Z&resolution=raw");
        assertThat(raw.path("containers").path("db").path("cpu_percent").get(0).asDouble()).isEqualTo(50.0);
        assertThat(raw.path("containers").path("web").path("memory_bytes").get(11).asDouble()).isEqualTo(200.0);
    }

    /** Disk I/O, temperatures, pressure and TCP figures, in every tier, before and after their hour closes. */
    @Test
    void the_parts_added_to_samples_later_are_kept_in_every_tier() throws Exception {
        Instant closedHour = T0.minus(Duration.ofHours(2));
        for (int i = 0; i < 24; i++) { // two minutes of the closed hour: busier in the second one
            int minute = i / 12;
            hub.metrics().storeAsync(serverId, withLaterParts(sample(1 + i, closedHour.plusSeconds(5L * i), 10, 0, 30), minute, i),
                    List.of()).join();
        }
        for (int i = 0; i < 12; i++) {
            hub.metrics().storeAsync(serverId, withLaterParts(sample(100 + i, T0.plusSeconds(5L * i), 70, 0, 60), 2, i), List.of()).join();
        }
        awaitBlocks(1);

        JsonNode minutes = history("from=2026-11-26T08:00:00Z&to=2026-11-26T08:05:00Z&resolution=1m");
        assertThat(minutes.path("disk_io").path("vda").path("read_bytes_per_second").toString()).isEqualTo("[1000.0,2000.0]");
        assertThat(minutes.path("disk_io").path("vda").path("busy_percent").toString()).isEqualTo("[10.0,20.0]");
        assertThat(minutes.path("disk_io_max").path("vda").path("writes_per_second").toString()).isEqualTo("[21.0,31.0]");
        assertThat(minutes.path("temperatures").path("coretemp Package id 0").toString()).isEqualTo("[40.0,50.0]");
        assertThat(minutes.path("pressure").path("cpu_some_avg10").toString()).isEqualTo("[1.0,2.0]");
        assertThat(minutes.path("pressure").has("memory_full_avg10")).as("a figure the kernel did not give").isFalse();
        assertThat(minutes.path("tcp").path("established").toString()).isEqualTo("[100.0,200.0]");
        assertThat(minutes.path("tcp_max").path("retransmits_per_second").toString()).isEqualTo("[0.5,1.5]");
        assertThat(minutes.path("services_max").path("failed").toString()).isEqualTo("[0.0,1.0]");
        assertThat(minutes.path("services").path("active").toString()).isEqualTo("[40.0,40.0]");

        JsonNode hours = history("from=2026-11-26T08:00:00Z&to=2026-11-26T10:10:00Z&resolution=1h");
        assertThat(hours.path("disk_io").path("vda").path("read_bytes_per_second").toString()).isEqualTo("[1500.0,null,3000.0]");
        assertThat(hours.path("temperatures_max").path("coretemp Package id 0").toString()).isEqualTo("[50.0,null,60.0]");

        JsonNode raw = history("from=2026-11-26T08:00:00Z&to=2026-11-26T08:01:00Z&resolution=raw");
        assertThat(raw.path("disk_io").path("vda").path("writes_per_second").get(11).asDouble()).isEqualTo(21.0);
        assertThat(raw.path("tcp").path("time_wait").get(0).asDouble()).isEqualTo(7.0);
        JsonNode latest = api.as(token, "GET", "/api/v1/servers/" + serverId + "/metrics/latest", null).body();
        assertThat(latest.path("disk_io").get(0).path("mounts").toString()).isEqualTo("[\"/\"]");
        assertThat(latest.path("temperatures").get(0).path("critical_celsius").asDouble()).isEqualTo(100.0);
        assertThat(latest.path("pressure").path("io_some_avg10").asDouble()).isEqualTo(3.0);
        assertThat(latest.path("tcp").path("established").asLong()).isEqualTo(300);
        assertThat(latest.path("services").path("inactive").asInt()).isEqualTo(60);
    }

    /** {@code sample} with figures of level {@code level} (0, 1, 2): each {@code i}-th sample's write count and retransmits grow by a step. */
    static Metrics withLaterParts(Metrics s, int level, int i) {
        double step = level + 1;
        return new Metrics(s.seq(), s.timestamp(), s.intervalSeconds(), s.cpu(), s.memory(), s.disks(), s.network(), s.uptimeSeconds(),
                s.containers(), s.errors(), List.of(new DiskIo("vda", List.of("/"), 1000 * step, 500 * step, 5 * step, 10 * step + i % 12,
                        10 * step)), List.of(new Temperature("coretemp Package id 0", 30 + 10 * step, 80.0, 100.0)),
                new Pressure(step, 0.0, null, step, 0.0), new TcpStats(100L * (long) step, 120, 7, 0, 1.0, 2.0, (i % 12 == 11 ? 0.5 : 0) + level),
                new ServiceStates(40, 0, 0, 0, 60, i % 12 == 0 ? level : 0, 0, i % 12 == 0 && level > 0 ? List.of("backup.service") : List.of()));
    }

    /** A sample of two cores at {@code cpu} and {@code cpu * 2}... capped at 100, and a second filesystem at {@code data} %. */
    static Metrics sample(long seq, Instant at, double cpu, long bytesSent, double data) {
        return new Metrics(seq, at, 5, new CpuUsage(cpu, List.of(cpu, Math.min(100, cpu * 2)), 1.0, 0.5, 0.25),
                new MemoryUsage(1000, 500, 500, 50.0, 200, 50), List.of(new DiskUsage("/", "/dev/vda", "ext4", 100, 40, 60, 40.0),
                        new DiskUsage("/data", "/dev/vdb", "ext4", 100, (long) data, 100 - (long) data, data)),
                List.of(new InterfaceCounters("eth0", bytesSent, 0, 0, 0, 0, 0)), 100L, null, null);
    }

    void awaitBlocks(long count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (hub.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM metrics_blocks").mapTo(Long.class).one()) < count
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Test
    void a_late_replayed_sample_updates_its_minute() throws Exception {
        storeTwoMinutesWithAnOutage();
        store(100, T0.plusSeconds(59), 100.0, 60_000);
        hub.pruneNow();

        JsonNode minutes = history("from=2026-11-26T10:00:00Z&to=2026-11-26T10:05:00Z&resolution=1m");

        assertThat(minutes.path("cpu_percent_max").get(0).asDouble()).isEqualTo(100.0);
    }

    @Test
    void auto_picks_the_finest_tier_within_1500_points() throws Exception {
        assertThat(history("from=2026-11-26T09:10:00Z&to=2026-11-26T10:10:00Z").path("resolution").asText()).isEqualTo("raw");
        assertThat(history("from=2026-11-26T07:10:00Z&to=2026-11-26T10:10:00Z").path("resolution").asText()).isEqualTo("1m");
        assertThat(history("from=2026-11-25T10:10:00Z&to=2026-11-26T10:10:00Z").path("resolution").asText()).as("a day of minutes")
                .isEqualTo("1m");
        assertThat(history("from=2026-11-24T10:10:00Z&to=2026-11-26T10:10:00Z").path("resolution").asText()).isEqualTo("1h");
        assertThat(history("").path("resolution").asText()).as("the default: the last hour").isEqualTo("raw");
    }

    @Test
    void samples_past_retention_are_pruned() throws Exception {
        store(1, T0.minus(Duration.ofHours(37)), 5.0, 0); // kept for the default 48 h, not for --keep-raw 36h
        store(2, T0, 5.0, 0);
        // The old sample's hour is over: the writer closes it into a block, which retention then drops.
        awaitBlocks(1);
        hub.pruneNow();

        assertThat(hub.metrics().count(serverId)).isEqualTo(1);
    }

    @Test
    void a_burst_of_samples_from_many_threads_is_batched_and_each_stored_once() throws Exception {
        List<java.util.concurrent.CompletableFuture<Boolean>> results = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> senders = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int first = t * 500;
            Thread sender = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    long seq = first + i + 1;
                    Metrics sample = new Metrics(seq, T0.plusMillis(seq), 5, null, null, List.of(), List.of(), 1L, null, null);
                    results.add(hub.metrics().storeAsync(serverId, sample));
                    results.add(hub.metrics().storeAsync(serverId, sample)); // a replay in the same burst
                }
            });
            senders.add(sender);
            sender.start();
        }
        for (Thread sender : senders) {
            sender.join();
        }

        long newOnes = results.stream().filter(java.util.concurrent.CompletableFuture::join).count();

        assertThat(newOnes).isEqualTo(2_000);
        assertThat(hub.metrics().count(serverId)).isEqualTo(2_000);
        assertThat(hub.servers().lastSeq(serverId)).isEqualTo(2_000);
    }

    @Test
    void bad_queries_are_named() throws Exception {
        String base = "/api/v1/servers/" + serverId + "/metrics?";
        assertThat(api.as(token, "GET", base + "resolution=5m", null).errorMessage())
                .isEqualTo("query parameter 'resolution' must be auto, raw, 1m or 1h");
        assertThat(api.as(token, "GET", base + "from=yesterday", null).errorMessage())
                .isEqualTo("query parameter 'from' must be an RFC 3339 time, like 2026-11-26T00:00:00Z");
        assertThat(api.as(token, "GET", base + "from=2026-11-26T11:00:00Z&to=2026-11-26T10:00:00Z", null).errorMessage())
                .isEqualTo("query parameter 'from' must be before 'to'");
    }
}
