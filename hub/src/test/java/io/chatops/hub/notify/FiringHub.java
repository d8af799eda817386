package io.chatops.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatops.hub.Api;
import io.chatops.hub.Hub;
import io.chatops.hub.TestHubs;
import io.chatops.hub.actor.Role;
import io.chatops.protocol.CpuUsage;
import io.chatops.protocol.Metrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * A real hub with an operator and one server, web-01 (tagged prod), whose CPU a test sets sample
 * by sample: what the delivery tests need to make an alert fire and resolve.
 */
final class FiringHub implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    private final Path dataDir;
    private final Clock clock;
    Hub hub;
    Api api;
    final String operator;
    final String serverId;
    private long seq;

    FiringHub(Path dataDir) throws Exception {
        this(dataDir, Clock.systemUTC());
    }

    /** A hub on {@code clock}: the clock of rules' repeats and of delivery; samples carry the real time. */
    FiringHub(Path dataDir, Clock clock) throws Exception {
        this.dataDir = dataDir;
        this.clock = clock;
        hub = TestHubs.start(dataDir, clock);
        api = new Api(hub.port());
        operator = TestHubs.token(hub, clock, "otto", Role.OPERATOR);
        serverId = hub.servers().create("web-01", List.of("prod")).id();
    }

    /** Stops the hub and starts it again on the same data. */
    void restart() throws Exception {
        hub.close();
        hub = TestHubs.start(dataDir, clock);
        api = new Api(hub.port());
    }

    /** A sample of web-01 with this CPU, stored and judged. */
    void cpu(double percent) throws InterruptedException {
        Metrics sample = new Metrics(++seq, Instant.now(), 5, new CpuUsage(percent, List.of(percent), 0.1, 0.1, 0.1), null,
                List.of(), List.of(), 10L, null, null);
        hub.metrics().store(serverId, sample);
        hub.services().alerts().settle();
    }

    JsonNode channel(String json) throws Exception {
        Api.Response created = api.as(operator, "POST", "/api/v1/notification-channels", json);
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        return created.body();
    }

    /** "CPU busy": critical when CPU is above 90, told to these channels. */
    void rule(String... channelIds) throws Exception {
        String ids = String.join("\",\"", channelIds);
        Api.Response created = api.as(operator, "POST", "/api/v1/alert-rules", """
                {"name":"CPU busy","severity":"critical","kind":"metric","metric":"cpu_percent","op":">","threshold":90,
                 "channel_ids":["%s"]}""".formatted(ids));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    }

    /** The deliveries of {@code GET /notifications?…query} once one of them matches, or the last read after {@link #WAIT}. */
    JsonNode deliveries(String query, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode read;
        do {
            read = api.as(operator, "GET", "/api/v1/notifications?" + query, null).body();
            if (java.util.stream.StreamSupport.stream(read.spliterator(), false).anyMatch(until)) {
                return read;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return read;
    }

    @Override
    public void close() {
        hub.close();
    }
}
