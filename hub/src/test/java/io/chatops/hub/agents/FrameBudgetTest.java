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
            assertThat(budget.spend(now)).isZero();
        }
        assertThat(budget.spend(now)).isEqualTo(SECOND / FrameBudget.PER_SECOND);
        assertThat(budget.spend(now)).isEqualTo(2 * SECOND / FrameBudget.PER_SECOND);
    }

    @Test
    void a_link_within_its_budget_never_waits_and_a_quiet_one_earns_its_burst_back() {
        FrameBudget budget = new FrameBudget();
        long now = 0;
        for (int i = 0; i < 10 * FrameBudget.BURST; i++) {
            now += SECOND / FrameBudget.PER_SECOND;
            assertThat(budget.spend(now)).isZero();
        }
        for (int i = 0; i < FrameBudget.BURST; i++) {
            budget.spend(now);
        }
        assertThat(budget.spend(now)).isPositive();
        now += 2 * FrameBudget.BURST * SECOND / FrameBudget.PER_SECOND; // quiet long enough to pay its debt and refill
        for (int i = 0; i < FrameBudget.BURST; i++) {
            assertThat(budget.spend(now)).isZero();
        }
    }
}
