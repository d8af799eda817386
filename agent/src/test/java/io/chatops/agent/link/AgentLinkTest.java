package io.chatops.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.protocol.AgentEndpoint;
import io.chatops.protocol.AgentInfo;
import io.chatops.protocol.Auth;
import io.chatops.protocol.AuthError;
import io.chatops.protocol.AuthSuccess;
import io.chatops.protocol.Command;
import io.chatops.protocol.ErrorMessage;
import io.chatops.protocol.Message;
import io.chatops.protocol.MessageCodec;
import io.chatops.protocol.Metrics;
import io.chatops.protocol.MetricsAck;
import io.chatops.protocol.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLinkTest {
    static final AgentInfo AGENT = new AgentInfo("1.0.0", "web-01", null, null, null, "amd64", null, 2, 1024, null,
            null, List.of("metrics"));
    static final Duration INTERVAL = Duration.ofSeconds(5);

    /** Always the top of the jitter range, so that delays are predictable. */
    static final RandomGenerator MAX_JITTER = new RandomGenerator() {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    @TempDir
    Path stateDir;

    final FakeScheduler scheduler = new FakeScheduler();
    final FakeTransport transport = new FakeTransport();
    final MessageCodec codec = new MessageCodec();
    final List<Message> dispatched = new ArrayList<>();
    AgentLink link;
    /** How far the wall clock, which stamps samples, is from the link's monotonic clock. */
    Duration wallClockStep = Duration.ZERO;

    @BeforeEach
    void startLink() throws Exception {
        link = newLink(720);
    }

    AgentLink newLink(int outboxCapacity) throws Exception {
        return newLink(outboxCapacity, List.of(URI.create("ws://hub.test/api/v1/agents/ws")));
    }

    AgentLink newLink(int outboxCapacity, List<URI> hubs) throws Exception {
        AgentLink created = new AgentLink(hubs, "cok_testkey", () -> AGENT,
                INTERVAL, LinkTimings.DEFAULT, transport, scheduler, new Backoff(MAX_JITTER),
                new Outbox(outboxCapacity), SeqCounter.open(stateDir),
                (seq, interval) -> new Metrics(seq, scheduler.now().plus(wallClockStep), (int) interval.toSeconds(), null, null, List.of(),
                        List.of(), 1L, null, null),
                (request, reply) -> dispatched.add(request), () -> { });
        created.start();
        scheduler.runDue();
        return created;
    }

    FakeTransport.FakeConnection accept() {
        FakeTransport.FakeConnection connection = transport.accept();
        scheduler.runDue();
        return connection;
    }

    FakeTransport.FakeConnection connectAndAuthenticate(long lastSeq) throws Exception {
        FakeTransport.FakeConnection connection = accept();
        hubSays(connection, new AuthSuccess("srv-1", "web-01", 1, 5, lastSeq));
        return connection;
    }

    void hubSays(FakeTransport.FakeConnection connection, Message message) {
        hubSends(connection, codec.encode(message));
    }

    void hubSends(FakeTransport.FakeConnection connection, String frame) {
        transport.listener.onText(connection, frame);
        scheduler.runDue();
    }

    List<Message> received(FakeTransport.FakeConnection connection) throws Exception {
        List<Message> messages = new ArrayList<>();
        for (String frame : connection.sent) {
            messages.add(codec.decode(frame));
        }
        return messages;
    }

    List<Long> sampleSeqs(FakeTransport.FakeConnection connection) throws Exception {
        return received(connection).stream().filter(m -> m instanceof Metrics).map(m -> ((Metrics) m).seq()).toList();
    }

    @Test
    void authenticates_first_then_sends_a_sample_at_once_and_every_interval() throws Exception {
        FakeTransport.FakeConnection connection = accept();

        assertThat(received(connection)).singleElement().isInstanceOfSatisfying(Auth.class, auth -> {
            assertThat(auth.apiKey()).isEqualTo("cok_testkey");
            assertThat(auth.protocol()).isEqualTo(1);
            assertThat(auth.agent()).isEqualTo(AGENT);
        });

        hubSays(connection, new AuthSuccess("srv-1", "web-01", 1, 5, 0));
        assertThat(sampleSeqs(connection)).containsExactly(1L);

        scheduler.advance(Duration.ofSeconds(10));
        assertThat(sampleSeqs(connection)).containsExactly(1L, 2L, 3L);
        assertThat(received(connection).stream().filter(m -> m instanceof Metrics).map(m -> ((Metrics) m).timestamp()))
                .containsExactly(Instant.parse("2026-11-26T00:00:00Z"), Instant.parse("2026-11-26T00:00:05Z"),
                        Instant.parse("2026-11-26T00:00:10Z"));
    }

    @Test
    void a_new_interval_from_the_hub_is_adopted_without_reconnecting() throws Exception {
        FakeTransport.FakeConnection connection = connectAndAuthenticate(0); // #1 at once
        scheduler.advance(Duration.ofSeconds(5)); // #2

        hubSays(connection, new Settings(1));
        scheduler.advance(Duration.ofSeconds(3)); // #3, #4, #5 a second apart
        hubSays(connection, new Settings(60));
        scheduler.advance(Duration.ofSeconds(1)); // #6, planned before the change
        hubSays(connection, new MetricsAck(6));
        scheduler.advance(Duration.ofSeconds(59)); // then a minute of nothing
        List<Long> beforeTheMinute = sampleSeqs(connection);
        scheduler.advance(Duration.ofSeconds(1)); // #7

        assertThat(beforeTheMinute).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(sampleSeqs(connection)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(transport.attempts).isEmpty();
        assertThat(received(connection).stream().filter(m -> m instanceof Metrics).map(m -> ((Metrics) m).intervalSeconds()))
                .containsExactly(5, 5, 1, 1, 1, 60, 60);
    }

    @Test
    void replays_unacknowledged_samples_after_reconnect_without_gap_or_duplicate() throws Exception {
        FakeTransport.FakeConnection first = connectAndAuthenticate(0);
        scheduler.advance(Duration.ofSeconds(10)); // samples 1, 2, 3 sent
        hubSays(first, new MetricsAck(2));

        transport.listener.onClosed(first, 1001, "hub restarting");
        scheduler.runDue();
        scheduler.advance(Duration.ofSeconds(10)); // samples 4 and 5 taken while offline; reconnect attempt due
        FakeTransport.FakeConnection second = accept();
        hubSays(second, new AuthSuccess("srv-1", "web-01", 1, 5, 3)); // the hub had stored #3 before it went down
        scheduler.advance(Duration.ofSeconds(5));

        assertThat(sampleSeqs(first)).containsExactly(1L, 2L, 3L);
        assertThat(sampleSeqs(second)).containsExactly(4L, 5L, 6L);
    }

    @Test
    void samples_left_unacknowledged_for_thirty_seconds_are_sent_again_oldest_first_then_the_rest() throws Exception {
        FakeTransport.FakeConnection connection = connectAndAuthenticate(0); // #1 at once
        hubSays(connection, new MetricsAck(1));
        scheduler.advance(Duration.ofSeconds(30)); // #2 … #7, none acknowledged (the hub's disk is full)
        assertThat(sampleSeqs(connection)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);

        scheduler.advance(Duration.ofSeconds(5)); // #8; #2 has waited 30 s
        assertThat(sampleSeqs(connection)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 2L);
        scheduler.advance(Duration.ofSeconds(20)); // still nothing: the next try waits 30 s more
        assertThat(sampleSeqs(connection)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 2L, 9L, 10L, 11L, 12L);

        hubSays(connection, new MetricsAck(2)); // the hub stores again
        assertThat(sampleSeqs(connection)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 2L, 9L, 10L, 11L, 12L,
                3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(transport.attempts).as("no reconnect needed").isEmpty();
    }

    @Test
    void a_wall_clock_set_back_or_forward_is_flagged_and_moves_neither_numbering_nor_schedule() throws Exception {
        FakeTransport.FakeConnection connection = connectAndAuthenticate(0); // #1
        scheduler.advance(Duration.ofSeconds(5)); // #2
        wallClockStep = Duration.ofMinutes(-10);
        scheduler.advance(Duration.ofSeconds(5)); // #3, stamped ten minutes earlier
        scheduler.advance(Duration.ofSeconds(5)); // #4
        wallClockStep = Duration.ofMinutes(50);
        scheduler.advance(Duration.ofSeconds(5)); // #5, stamped an hour later than #4
        scheduler.advance(Duration.ofSeconds(5)); // #6

        List<Metrics> samples = received(connection).stream().filter(m -> m instanceof Metrics).map(m -> (Metrics) m).toList();
        assertThat(samples).extracting(Metrics::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(samples.get(2).errors()).singleElement()
                .satisfies(error -> assertThat(error.message()).isEqualTo("the wall clock was set back by 600 s since the previous sample"));
        assertThat(samples.get(4).errors()).singleElement()
                .satisfies(error -> assertThat(error.message()).isEqualTo("the wall clock was set forward by 3600 s since the previous sample"));
        assertThat(List.of(samples.get(0), samples.get(1), samples.get(3), samples.get(5)))
                .allSatisfy(sample -> assertThat(sample.errors()).isNullOrEmpty());
    }

    @Test
    void an_outbox_full_during_a_long_outage_drops_the_oldest_samples() throws Exception {
        link = null;
        transport.attempts.clear();
        AgentLink small = newLink(3);
        transport.refuse();
        scheduler.runDue();
        scheduler.advance(Duration.ofSeconds(25)); // 5 samples while the hub is away

        while (transport.attempts.size() > 1) {
            transport.attempts.removeFirst().completeExceptionally(new java.net.ConnectException("refused"));
            scheduler.runDue();
        }
        FakeTransport.FakeConnection connection = accept();
        hubSays(connection, new AuthSuccess("srv-1", "web-01", 1, 5, 0));

        // #1 and #2 were dropped; #6 is the fresh sample of the first connection, and says so.
        assertThat(sampleSeqs(connection)).containsExactly(3L, 4L, 5L, 6L);
        assertThat(small.state()).isEqualTo(AgentLink.State.CONNECTED);
        List<Metrics> samples = received(connection).stream().filter(m -> m instanceof Metrics).map(m -> (Metrics) m).toList();
        assertThat(samples.subList(0, 3)).allSatisfy(sample -> assertThat(sample.errors()).isNullOrEmpty());
        assertThat(samples.get(3).errors()).singleElement().satisfies(error -> {
            assertThat(error.collector()).isEqualTo("outbox");
            assertThat(error.message()).startsWith("2 older samples were dropped while the hub was away").contains("holds 3");
        });
    }

    @Test
    void with_several_hubs_each_new_attempt_goes_to_the_next() throws Exception {
        link.stop();
        scheduler.runDue();
        transport.attempts.clear();
        transport.dialled.clear();
        URI a = URI.create("ws://a.test/api/v1/agents/ws");
        URI b = URI.create("ws://b.test/api/v1/agents/ws");
        link = newLink(720, List.of(a, b));
        transport.refuse(); // a is down
        scheduler.runDue();
        scheduler.advance(scheduler.lastDelay());
        FakeTransport.FakeConnection connection = connectAndAuthenticate(0);
        scheduler.advance(Duration.ofSeconds(30));
        transport.listener.onClosed(connection, AgentEndpoint.CLOSE_GOING_AWAY, "hub shutting down"); // b leaves
        scheduler.runDue();
        scheduler.advance(scheduler.lastDelay());

        assertThat(transport.dialled).containsExactly(a, b, a);
    }

    @Test
    void a_duplicate_agent_is_retried_only_every_five_minutes() throws Exception {
        FakeTransport.FakeConnection connection = accept();
        hubSays(connection, new AuthError(AuthError.Code.DUPLICATE_AGENT, "server web-01 already has an agent"));
        assertThat(scheduler.lastDelay()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void reconnect_delays_grow_exponentially_to_a_minute() {
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            transport.timeOut();
            scheduler.runDue();
            delays.add(scheduler.lastDelay());
            scheduler.advance(scheduler.lastDelay());
        }

        assertThat(delays).extracting(Duration::toMillis)
                .containsExactly(1000L, 2000L, 4000L, 8000L, 16000L, 32000L, 60000L, 60000L, 60000L);
    }

    @Test
    void a_refused_connection_is_retried_within_four_seconds_for_about_a_minute_then_as_usual() {
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < Backoff.QUICK_REFUSALS + 2; i++) {
            transport.refuse();
            scheduler.runDue();
            delays.add(scheduler.lastDelay());
            scheduler.advance(scheduler.lastDelay());
        }

        assertThat(delays.subList(0, 4)).extracting(Duration::toMillis).containsExactly(1000L, 2000L, 4000L, 4000L);
        assertThat(delays.subList(0, Backoff.QUICK_REFUSALS)).allSatisfy(delay -> assertThat(delay).isLessThanOrEqualTo(Duration.ofSeconds(4)));
        assertThat(delays.subList(Backoff.QUICK_REFUSALS, delays.size())).extracting(Duration::toMillis).containsOnly(60000L);
    }

    @Test
    void jitter_spreads_the_delay_over_the_whole_range() {
        Backoff backoff = new Backoff(new java.util.SplittableRandom(7));
        for (int i = 0; i < 6; i++) {
            backoff.next();
        }
        List<Long> capped = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            capped.add(backoff.next().toMillis());
        }

        assertThat(capped).allSatisfy(ms -> assertThat(ms).isBetween(0L, 60_000L));
        assertThat(capped.stream().mapToLong(Long::longValue).min().orElseThrow()).isLessThan(10_000L);
        assertThat(capped.stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThan(50_000L);
    }

    @Test
    void backoff_starts_again_after_a_minute_connected() throws Exception {
        for (int i = 0; i < 4; i++) {
            transport.refuse();
            scheduler.runDue();
            scheduler.advance(scheduler.lastDelay());
        }
        FakeTransport.FakeConnection connection = connectAndAuthenticate(0);
        for (int i = 0; i < 13; i++) {
            scheduler.advance(Duration.ofSeconds(5));
            transport.listener.onActivity(connection);
        }

        transport.listener.onFailed(connection, new java.io.IOException("connection reset"));
        scheduler.runDue();

        assertThat(scheduler.lastDelay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void a_refused_key_is_retried_only_every_five_minutes() throws Exception {
        FakeTransport.FakeConnection connection = accept();
        hubSays(connection, new AuthError(AuthError.Code.INVALID_KEY, "API key is unknown or revoked"));

        assertThat(connection.closeCode).isEqualTo(1000);
        assertThat(link.state()).isEqualTo(AgentLink.State.WAITING);
        scheduler.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(transport.connectCalls).isEqualTo(1);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(transport.connectCalls).isEqualTo(2);
    }

    @Test
    void a_revoked_key_closes_the_link_and_waits_five_minutes() throws Exception {
        FakeTransport.FakeConnection connection = connectAndAuthenticate(0);

        transport.listener.onClosed(connection, 4001, "revoked");
        scheduler.runDue();

        assertThat(scheduler.lastDelay()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void a_frozen_hub_is_detected_after_sixty_silent_seconds() throws Exception {
        FakeTransport.FakeConnection connection = connectAndAuthenticate(0);
        scheduler.advance(Duration.ofSeconds(30));
        transport.listener.onActivity(connection); // a ping at 30 s keeps it alive
        scheduler.advance(Duration.ofSeconds(59));
        assertThat(connection.aborted).isFalse();

        scheduler.advance(Duration.ofSeconds(1));

        assertThat(connection.aborted).isTrue();
        assertThat(link.state()).isEqualTo(AgentLink.State.WAITING);
    }

    @Test
    void a_hub_that_never_answers_auth_is_dropped() throws Exception {
        FakeTransport.FakeConnection connection = accept();

        scheduler.advance(Duration.ofSeconds(30));

        assertThat(connection.aborted).isTrue();
    }

    @Test
    void bad_frames_get_an_error_answer_and_the_link_stays_up() throws Exception {
        FakeTransport.FakeConnection connection = connectAndAuthenticate(0);

        hubSends(connection, "{not json");
        hubSends(connection, "{\"type\":\"reboot\",\"id\":\"x-1\"}");
        hubSends(connection, "{\"type\":\"metrics_ack\",\"seq\":-1}");
        transport.listener.onBadFrame(connection, "binary frames are not part of the protocol");
        scheduler.runDue();

        List<ErrorMessage> errors = received(connection).stream()
                .filter(m -> m instanceof ErrorMessage).map(m -> (ErrorMessage) m).toList();
        assertThat(errors).extracting(ErrorMessage::code)
                .containsExactly("bad_message", "unknown_type", "bad_message", "bad_message");
        assertThat(errors.get(1).id()).isEqualTo("x-1");
        assertThat(errors.get(2).message()).isEqualTo("field 'seq' must be a positive integer");
        assertThat(link.state()).isEqualTo(AgentLink.State.CONNECTED);
    }

    @Test
    void more_than_twenty_bad_frames_in_a_minute_close_the_link_with_1008() throws Exception {
        FakeTransport.FakeConnection connection = connectAndAuthenticate(0);
        for (int i = 0; i < 20; i++) {
            hubSends(connection, "garbage " + i);
        }
        assertThat(connection.closeCode).isNull();

        hubSends(connection, "one too many");

        assertThat(connection.closeCode).isEqualTo(1008);
        assertThat(link.state()).isEqualTo(AgentLink.State.WAITING);
    }

    @Test
    void commands_are_dispatched_and_replies_sent_back() throws Exception {
        FakeTransport.FakeConnection connection = connectAndAuthenticate(0);
        Command command = new Command("c-1", "uptime", 10, false);

        hubSays(connection, command);
        link.send(new ErrorMessage("c-1", "test", "reply"));
        scheduler.runDue();

        assertThat(dispatched).containsExactly(command);
        assertThat(received(connection)).last().isEqualTo(new ErrorMessage("c-1", "test", "reply"));
    }

    @Test
    void a_hub_that_stops_reading_is_dropped() throws Exception {
        FakeTransport.FakeConnection connection = connectAndAuthenticate(0);
        connection.full = true;

        scheduler.advance(INTERVAL);

        assertThat(connection.aborted).isTrue();
        assertThat(link.state()).isEqualTo(AgentLink.State.WAITING);
    }

    @Test
    void numbering_continues_after_the_hub_when_the_state_directory_was_lost() throws Exception {
        transport.refuse();
        scheduler.runDue();
        scheduler.advance(Duration.ofSeconds(5)); // sample #1 taken offline; reconnect due at 1 s already passed
        FakeTransport.FakeConnection connection = accept();

        hubSays(connection, new AuthSuccess("srv-1", "web-01", 1, 5, 5000));
        scheduler.advance(INTERVAL);

        // #1 renumbered to #5001, then the first connection's fresh sample and the next one.
        assertThat(sampleSeqs(connection)).containsExactly(5001L, 5002L, 5003L);
    }

    @Test
    void stop_closes_with_1000_and_completes_when_the_hub_answers() throws Exception {
        FakeTransport.FakeConnection connection = connectAndAuthenticate(0);

        var stopped = link.stop();
        scheduler.runDue();
        assertThat(connection.closeCode).isEqualTo(1000);
        assertThat(stopped).isNotDone();

        transport.listener.onClosed(connection, 1000, "");
        scheduler.runDue();
        assertThat(stopped).isDone();
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(transport.connectCalls).isEqualTo(1);
    }

    @Test
    void stop_gives_up_waiting_for_the_hub_after_the_grace_period() throws Exception {
        FakeTransport.FakeConnection connection = connectAndAuthenticate(0);

        var stopped = link.stop();
        scheduler.advance(Duration.ofSeconds(3));

        assertThat(stopped).isDone();
        assertThat(connection.aborted).isTrue();
    }
}
