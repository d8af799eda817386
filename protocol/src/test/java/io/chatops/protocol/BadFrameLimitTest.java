package io.chatops.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BadFrameLimitTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void more_than_the_limit_within_a_minute_is_exceeded() {
        BadFrameLimit limit = new BadFrameLimit();
        for (int i = 0; i < BadFrameLimit.MAX_BAD_FRAMES; i++) {
            assertThat(limit.exceededAfter(T0.plusSeconds(i))).isFalse();
        }
        assertThat(limit.exceededAfter(T0.plusSeconds(30))).isTrue();
    }

    @Test
    void frames_older_than_the_window_no_longer_count() {
        BadFrameLimit limit = new BadFrameLimit();
        for (int i = 0; i < BadFrameLimit.MAX_BAD_FRAMES; i++) {
            limit.exceededAfter(T0);
        }
        assertThat(limit.exceededAfter(T0.plus(BadFrameLimit.WINDOW))).isFalse();
        assertThat(limit.exceededAfter(T0.plus(BadFrameLimit.WINDOW).plus(Duration.ofSeconds(1)))).isFalse();
    }

    @Test
    void reset_forgets_what_was_counted() {
        BadFrameLimit limit = new BadFrameLimit();
        for (int i = 0; i <= BadFrameLimit.MAX_BAD_FRAMES; i++) {
            limit.exceededAfter(T0);
        }
        limit.reset();
        assertThat(limit.exceededAfter(T0)).isFalse();
    }
}
