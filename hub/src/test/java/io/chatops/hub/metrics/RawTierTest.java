package io.chatops.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.HubOptions;
import io.chatops.hub.MutableClock;
import io.chatops.hub.TestDatabases;
import io.chatops.hub.actor.Role;
import io.chatops.hub.db.Locks;
import io.chatops.hub.auth.TokenStore;
import io.chatops.hub.auth.UserStore;
import io.chatops.protocol.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compact raw tier on a real hub, SQLite and PostgreSQL: hours close into blocks that read
 * back exactly as the open rows did, a repeated sample is still known, a late one opens its hour
 * again, and retention drops whole blocks.
 */
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class RawTierTest {
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
    final List<Metrics> hours = BlockCodecTest.hour(7, 2, 2, 2);

    @BeforeEach
    void start() throws Exception {
        db = TestDatabases.fresh(database);
        clock = new MutableClock();
        clock.set(T0.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(10)));
        List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:0", "--data-dir", dataDir.toString(), "--keep-raw", "36h"));
        if (db.url() != null) {
            args.addAll(List.of("--db-url", db.url()));
        }
        hub = Hub.start(HubOptions.parse(args.toArray(String[]::new), Map.of()), Map.of("CHATOPS_ADMIN_PASSWORD", "admin password"), clock);
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

    /** Sample {@code i} of two hours from T0 (hours 10:00 and 11:00), every 5 s. */
    Metrics sample(int i) {
        Metrics base = hours.get(i % hours.size());
        return base.withSeq(1 + i).withTimestamp(T0.plusSeconds(5L * i));
    }

    boolean store(Metrics sample) {
        return hub.metrics().store(serverId, sample);
    }

    /** The day partitions of {@code table} (PostgreSQL). */
    List<String> partitions(String table) {
        return hub.database().jdbi().withHandle(h -> h.createQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = CAST(? AS regclass) ORDER BY c.relname").bind(0, table).mapTo(String.class).list());
    }

    /** Samples {@code indexes} as an agent's replay sends them: all at once, so the writer stores them in batches. */
    void storeAll(IntStream indexes) {
        indexes.mapToObj(i -> hub.metrics().storeAsync(serverId, sample(i))).toList().forEach(java.util.concurrent.CompletableFuture::join);
    }

    long blocks() {
        return hub.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM metrics_blocks").mapTo(Long.class).one());
    }

    List<Long> blockStarts() {
        return hub.database().jdbi().withHandle(h -> h.createQuery("SELECT start FROM metrics_blocks").mapTo(Long.class).list());
    }

    long openRows() {
        return hub.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM metrics_open").mapTo(Long.class).one());
    }

    /** A minute later, a sample of the current hour: the writer then closes what is over, as it does every hour. */
    void nextHourGoesOn(long seq) throws InterruptedException {
        clock.advance(Duration.ofMinutes(1));
        Metrics now = hours.get(0).withSeq(seq).withTimestamp(clock.instant().minusSeconds(1));
        store(now);
    }

    void awaitBlocks(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (blocks() != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(blocks()).isEqualTo(expected);
    }

    JsonNode history(Instant from, Instant to) throws Exception {
        return api.as(token, "GET", "/api/v1/servers/" + serverId + "/metrics?from=" + from + "&to=" + to + "&resolution=raw", null).body();
    }

    @Test
    void closed_hours_become_blocks_that_read_back_as_the_open_rows_did() throws Exception {
        storeAll(IntStream.range(0, 1440));
        JsonNode before = history(T0.plus(Duration.ofMinutes(30)), T0.plus(Duration.ofMinutes(90)));
        assertThat(before.path("timestamps").size()).isEqualTo(721);

        nextHourGoesOn(5_000);
        awaitBlocks(2);

        assertThat(openRows()).as("only the current hour's sample stays open").isEqualTo(1);
        assertThat(api.as(token, "GET", "/api/v1/servers/" + serverId, null).body().path("latest").path("cpu_percent").asDouble())
                .as("the fleet view: the newest sample's figures").isEqualTo(hours.get(0).cpu().usagePercent());
        assertThat(history(T0.plus(Duration.ofMinutes(30)), T0.plus(Duration.ofMinutes(90)))).isEqualTo(before);
        assertThat(hub.metrics().count(serverId)).isEqualTo(1441);
        assertThat(hub.metrics().newest(serverId, 3)).extracting(Metrics::seq).containsExactly(5_000L, 1440L, 1439L);
        long minuteBlocks = hub.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM metrics_1m_series WHERE server_id = ?")
                .bind(0, serverId).mapTo(Long.class).one());
        assertThat(minuteBlocks).as("both hours rolled up into minute blocks").isEqualTo(2);
        JsonNode minutes = api.as(token, "GET", "/api/v1/servers/" + serverId + "/metrics?from=" + T0 + "&to=" + T0.plus(Duration.ofMinutes(119))
                + "&resolution=1m", null).body();
        assertThat(minutes.path("timestamps")).as("every minute of both hours").hasSize(120);
        assertThat(minutes.path("cpu_percent_max").get(0).asDouble()).isEqualTo(
                hours.stream().limit(12).mapToDouble(sample -> sample.cpu().usagePercent()).max().orElseThrow());
    }

    @Test
    void a_repeated_sample_is_known_and_a_late_one_opens_its_hour_again() throws Exception {
        storeAll(IntStream.range(0, 720).map(i -> 2 * i)); // every other sample: seq 2, 4, … are missing
        nextHourGoesOn(5_000);
        awaitBlocks(2);

        // Looking them up opens that hour's block again; the writer closes it anew soon after.
        assertThat(store(sample(100))).as("already in a closed block").isFalse();
        assertThat(store(sample(101))).as("a late sample of a closed hour").isTrue();
        assertThat(hub.metrics().count(serverId)).isEqualTo(722);

        nextHourGoesOn(5_001);
        awaitBlocks(2);
        assertThat(openRows()).isEqualTo(2);
        List<Metrics> first = hub.metrics().newest(serverId, 1_000).stream().filter(s -> s.seq() <= 200).toList();
        assertThat(first).extracting(Metrics::seq).contains(101L, 102L).doesNotContain(100L).doesNotHaveDuplicates();
    }

    @Test
    void an_hour_closed_while_another_hub_instance_wrote_into_it_is_merged_without_duplicates() throws Exception {
        storeAll(IntStream.range(0, 720).map(i -> 2 * i));
        nextHourGoesOn(5_000);
        awaitBlocks(2);
        // As an instance that has not seen the close writes: straight into the open rows of the closed hour.
        hub.database().jdbi().useHandle(h -> {
            for (int i : new int[] {100, 101}) {
                h.createUpdate("INSERT INTO metrics_open (server_id, seq, ts, data) VALUES (?, ?, ?, ?)").bind(0, serverId)
                        .bind(1, sample(i).seq()).bind(2, sample(i).timestamp().toEpochMilli())
                        .bind(3, BlockCodec.encode(List.of(new Sample(sample(i), List.of())))).execute();
            }
        });
        List<String> meanwhile = new ArrayList<>();
        history(T0, T0.plus(Duration.ofMinutes(59))).path("timestamps").forEach(t -> meanwhile.add(t.asText()));
        assertThat(meanwhile).as("sample 100, in the block and an open row until the next close, shows once")
                .contains(sample(100).timestamp().toString(), sample(101).timestamp().toString()).doesNotHaveDuplicates();
        nextHourGoesOn(5_001);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (openRows() != 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(openRows()).as("the late rows went into the hour's block").isEqualTo(2);
        assertThat(blocks()).isEqualTo(2);
        List<Metrics> first = hub.metrics().newest(serverId, 1_000).stream().filter(s -> s.seq() <= 200).toList();
        assertThat(first).extracting(Metrics::seq).contains(101L, 102L).doesNotHaveDuplicates();
        assertThat(hub.metrics().count(serverId)).isEqualTo(723);
    }

    @Test
    void an_hour_another_instance_is_closing_is_left_to_it() throws Exception {
        if (database.equals("sqlite")) {
            // One hub: every lock is granted at once, and the hours close as usual.
            boolean granted = hub.database().jdbi().inTransaction(h -> Locks.HOUR_CLOSE.tryInTransaction(h, 1));
            assertThat(granted).isTrue();
            storeAll(IntStream.range(0, 1440));
            awaitBlocks(2);
            return;
        }
        try (Handle other = hub.database().jdbi().open()) {
            other.begin();
            assertThat(Locks.HOUR_CLOSE.tryInTransaction(other, Objects.hash(serverId, T0.toEpochMilli()))).isTrue();
            storeAll(IntStream.range(0, 1440));
            nextHourGoesOn(5_000);
            Thread.sleep(1_500); // the writer tries between batches; the server's oldest hour stays with the lock's holder, and so the next
            assertThat(blocks()).isZero();
            other.rollback();
        }
        nextHourGoesOn(5_001);
        awaitBlocks(2);
        assertThat(hub.metrics().count(serverId)).isEqualTo(1442);
    }

    @Test
    void retention_drops_whole_blocks() throws Exception {
        storeAll(IntStream.range(0, 1440));
        nextHourGoesOn(5_000);
        awaitBlocks(2);
        clock.set(T0.plus(Duration.ofHours(37)).plus(Duration.ofMinutes(30))); // 36 h after the end of hour 10:00, not of 11:00
        awaitBlocks(3); // the writer closes the 12:00 hour too, and keeps its newest sample aside
        hub.pruneNow();
        assertThat(blockStarts()).doesNotContain(T0.toEpochMilli()).contains(T0.plus(Duration.ofHours(1)).toEpochMilli());
        assertThat(hub.metrics().count(serverId)).isEqualTo(721);
        clock.advance(Duration.ofHours(2));
        hub.pruneNow();
        assertThat(blocks()).isZero();
        assertThat(hub.metrics().count(serverId)).isZero();
        assertThat(api.as(token, "GET", "/api/v1/servers/" + serverId + "/metrics/latest", null).body().path("seq").asLong())
                .as("the newest sample stays for metrics/latest").isEqualTo(5_000);
        if (database.equals("postgresql")) {
            assertThat(partitions("metrics_blocks")).as("a day partly past retention keeps its (empty) partition")
                    .containsExactly("metrics_blocks_p20261126");
            clock.advance(Duration.ofDays(1));
            hub.pruneNow();
            assertThat(partitions("metrics_blocks")).as("whole days past retention are dropped")
                    .isEmpty();
            assertThat(partitions("metrics_1m_series")).as("minute blocks are kept longer").contains("metrics_1m_series_p20261126");
        }
        assertThat(api.as(token, "GET", "/api/v1/servers/" + serverId, null).body().path("latest").path("cpu_percent").isNumber())
                .as("and for the fleet view").isTrue();
    }
}
