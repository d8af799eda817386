package io.chatops.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The crash loop of scripts/bench-faults in its CI size: 200 agents, three kills with SIGKILL. */
class CrashLoopTest {
    @Test
    void nothing_acknowledged_is_lost_and_nothing_stored_twice_across_kills() throws Exception {
        CrashLoop.Outcome outcome = CrashLoop.run(200, 3, Duration.ofSeconds(8));

        assertThat(outcome.afterKills()).hasSize(3).allSatisfy(check -> {
            assertThat(check.lostAcknowledged()).as("acknowledged samples missing after a restart").isZero();
            assertThat(check.duplicated()).as("samples stored twice").isZero();
        });
        assertThat(outcome.afterKills().get(2).acknowledged()).as("samples acknowledged before the last kill").isPositive();
        assertThat(outcome.end().missing()).as("samples never stored once the agents replayed").isZero();
        assertThat(outcome.end().duplicated()).isZero();
        assertThat(outcome.end().acknowledged()).isEqualTo(outcome.sent());
    }
}
