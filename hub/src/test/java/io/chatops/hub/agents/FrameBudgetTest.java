package io.chatops.hub.agents;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameBudgetTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void a_burst_is_read_at_once_and_what_follows_at_the_budget_s_pace() {
        FrameBudget budget = new FrameBudget();
        long now = 5 * SECOND;
        for (int i = 0; i < FrameBudget.BURST; i++) {
            assertThat(budget.spend(now, 100)).isZero();
        }
        assertThat(budget.spend(now, 100)).isEqualTo(SECOND / FrameBudget.PER_SECOND);
        assertThat(budget.spend(now, 100)).isEqualTo(2 * SECOND / FrameBudget.PER_SECOND);
    }

    @Test
    void a_large_frame_counts_for_as_many_small_ones_as_its_size() {
        FrameBudget budget = new FrameBudget();
        int cost = 11; // a frame, and ten times the bytes a frame may carry
        int fit = FrameBudget.BURST / cost;
        for (int i = 0; i < fit; i++) {
            assertThat(budget.spend(0, 10 * FrameBudget.BYTES_PER_FRAME)).isZero();
        }
        long lacking = cost - (FrameBudget.BURST - fit * cost);
        assertThat(budget.spend(0, 10 * FrameBudget.BYTES_PER_FRAME)).isEqualTo(lacking * SECOND / FrameBudget.PER_SECOND);
    }

    @Test
    void a_link_within_its_budget_never_waits_and_a_quiet_one_earns_its_burst_back() {
        FrameBudget budget = new FrameBudget();
        long now = 0;
        for (int i = 0; i < 10 * FrameBudget.BURST; i++) {
            now += SECOND / FrameBudget.PER_SECOND;
            assertThat(budget.spend(now, 100)).isZero();
        }
        for (int i = 0; i < FrameBudget.BURST; i++) {
            budget.spend(now, 100);
        }
        assertThat(budget.spend(now, 100)).isPositive();
        now += 2 * FrameBudget.BURST * SECOND / FrameBudget.PER_SECOND; // quiet long enough to pay its debt and refill
        for (int i = 0; i < FrameBudget.BURST; i++) {
            assertThat(budget.spend(now, 100)).isZero();
        }
    }
}
