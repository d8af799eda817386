package io.chatops.hub.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An acknowledgement covers every sample below it, so none may be sent past a sample that is not stored. */
class SampleAcksTest {
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private final SampleAcks acks = new SampleAcks();

    @Test
    void samples_stored_in_order_are_acknowledged_each_at_once() {
        assertThat(acks.take(1, NOW)).isTrue();
        assertThat(acks.stored(1)).isEqualTo(1);
        assertThat(acks.take(2, NOW)).isTrue();
        assertThat(acks.stored(2)).isEqualTo(2);
    }

    @Test
    void a_sample_stored_before_a_lower_one_waits_for_it() {
        acks.take(1, NOW);
        acks.take(2, NOW);
        assertThat(acks.stored(2)).as("1 is still being written").isZero();
        assertThat(acks.stored(1)).isEqualTo(2);
    }

    @Test
    void nothing_past_a_failed_sample_is_acknowledged_or_taken_until_the_agent_sends_again() {
        acks.take(1, NOW);
        acks.take(2, NOW);
        acks.take(3, NOW);
        assertThat(acks.stored(1)).isEqualTo(1);
        assertThat(acks.failed(2, NOW)).isZero();
        assertThat(acks.stored(3)).as("stored, but an acknowledgement of 3 would cover 2").isZero();
        assertThat(acks.holdingSince()).isEqualTo(NOW);
        assertThat(acks.take(4, NOW)).as("a fresh sample waits with the agent").isFalse();
        assertThat(acks.take(5, NOW)).isFalse();

        assertThat(acks.take(2, NOW.plusSeconds(30))).as("the agent sends its oldest again").isTrue();
        assertThat(acks.holdingSince()).isNull();
        assertThat(acks.stored(2)).isEqualTo(2);
        for (long seq = 3; seq <= 5; seq++) {
            assertThat(acks.take(seq, NOW)).isTrue();
            assertThat(acks.stored(seq)).isEqualTo(seq);
        }
    }

    @Test
    void a_failure_acknowledges_what_was_stored_below_it() {
        acks.take(1, NOW);
        acks.take(2, NOW);
        assertThat(acks.stored(2)).isZero();
        assertThat(acks.failed(1, NOW)).isZero();
        acks.take(1, NOW);
        acks.take(2, NOW);
        acks.take(3, NOW);
        assertThat(acks.stored(1)).isEqualTo(1);
        assertThat(acks.failed(3, NOW)).as("2 is still being written").isZero();
        assertThat(acks.stored(2)).isEqualTo(2);
    }

    @Test
    void an_agent_that_no_longer_holds_the_failed_sample_clears_the_way_with_any_sample_sent_again() {
        for (long seq = 1; seq <= 3; seq++) {
            acks.take(seq, NOW);
        }
        acks.failed(1, NOW);
        acks.failed(2, NOW);
        acks.failed(3, NOW);
        assertThat(acks.take(4, NOW)).isFalse();
        assertThat(acks.take(3, NOW)).as("its outbox dropped 1 and 2").isTrue();
        assertThat(acks.stored(3)).isEqualTo(3);
    }
}
