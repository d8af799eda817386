package io.chatops.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatops.hub.metrics.CounterRate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CounterRateTest {
    @Test
    void a_growing_counter_gives_its_growth_per_second() {
        assertThat(CounterRate.perSecond(1_000, 6_000, Duration.ofSeconds(5))).isEqualTo(1_000.0);
    }

    @Test
    void counter_reset_yields_the_count_since_the_reset_not_a_negative_rate() {
        assertThat(CounterRate.perSecond(9_000_000, 500, Duration.ofSeconds(5))).isEqualTo(100.0);
    }

    @Test
    void no_time_between_readings_gives_no_rate() {
        assertThat(CounterRate.perSecond(1, 2, Duration.ZERO)).isNull();
        assertThat(CounterRate.perSecond(1, 2, Duration.ofSeconds(-5))).isNull();
    }
}
