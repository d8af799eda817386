package io.chatops.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.agent.FakeHub;
import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.ErrorMessage;
import io.chatops.protocol.Metrics;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link over a real WebSocket to a stand-in hub on loopback, with the agent's own WebSocket client. */
class AgentLinkSocketTest {
    static final LinkTimings FAST = new LinkTimings(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(3),
            Duration.ofSeconds(1));
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path stateDir;

    final FakeHub hub = new FakeHub(1).start();
    final ExecutorScheduler scheduler = new ExecutorScheduler();
    AgentLink link;

    AgentLink startLink(String key) throws Exception {
        AgentInfo agent = new AgentInfo("1.0.0", "test-host", null, null, null, "amd64", null, 2, 1024, null, null,
                List.of("metrics"));
        URI hubUri = URI.create(hub.url().replace("http", "ws") + "/api/v1/agents/ws");
        SocketTransport transport = new SocketTransport("test");
        link = new AgentLink(List.of(hubUri), key, () -> agent,
                Duration.ofSeconds(1), FAST, transport, scheduler, new Backoff(new SplittableRandom(1)), new Outbox(720),
                SeqCounter.open(stateDir),
                (seq, interval) -> new Metrics(seq, scheduler.now(), (int) interval.toSeconds(), null, null, List.of(),
                        List.of(), 1L, null, null),
                (request, reply) -> { }, () -> { });
        link.start();
        return link;
    }

    @AfterEach
    void stop() throws Exception {
        if (link != null) {
            link.stop().get(5, TimeUnit.SECONDS);
        }
        scheduler.close();
        hub.close();
    }

    @Test
    void authenticates_and_every_sample_is_stored_once() throws Exception {
        startLink("cok_key");

        hub.awaitStored(3, WAIT);

        assertThat(hub.received.get(0)).isInstanceOf(io.chatops.protocol.Auth.class);
        assertThat(hub.stored).startsWith(1L, 2L, 3L);
        assertThat(hub.duplicates).hasValue(0);
    }

    @Test
    void a_hub_restart_loses_no_sample_and_stores_none_twice() throws Exception {
        startLink("cok_key");
        hub.awaitStored(2, WAIT);

        hub.stop();
        Thread.sleep(3_000); // samples pile up in the agent's outbox
        hub.start();
        int before = hub.stored.size();
        hub.awaitStored(before + 5, WAIT);

        long last = hub.stored.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(hub.stored).containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().collect(Collectors.toList()));
        assertThat(hub.duplicates).hasValue(0);
        assertThat(hub.connections).hasValue(2);
    }

    @Test
    void a_frozen_hub_is_left_and_reconnected() throws Exception {
        startLink("cok_key");
        hub.awaitStored(1, WAIT);

        hub.frozen = true;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (hub.connections.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        assertThat(hub.connections).as("the agent gave up the silent connection and dialled again").hasValue(2);
    }

    @Test
    void bad_frames_are_answered_with_error_and_the_link_stays_up() throws Exception {
        startLink("cok_key");
        hub.awaitStored(1, WAIT);

        hub.sendRaw("this is not json");
        ErrorMessage answer = (ErrorMessage) hub.await(m -> m instanceof ErrorMessage, WAIT);
        int stored = hub.stored.size();
        hub.awaitStored(stored + 2, WAIT);

        assertThat(answer.code()).isEqualTo("bad_message");
        assertThat(hub.connections).hasValue(1);
    }

    @Test
    void a_refused_key_is_retried_only_after_the_long_wait() throws Exception {
        hub.acceptedKey = "cok_the_right_key";
        startLink("cok_a_wrong_key");

        hub.await(m -> m instanceof io.chatops.protocol.Auth, WAIT);
        Thread.sleep(1_500);
        assertThat(hub.connections).hasValue(1);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (hub.connections.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(hub.connections).hasValue(2);
        assertThat(hub.stored).isEmpty();
    }

    @Test
    void stopping_closes_the_link_with_1000() throws Exception {
        startLink("cok_key");
        hub.awaitStored(1, WAIT);

        link.stop().get(5, TimeUnit.SECONDS);
        link = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (hub.closeCodes.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertThat(hub.closeCodes).containsExactly(1000);
    }
}
