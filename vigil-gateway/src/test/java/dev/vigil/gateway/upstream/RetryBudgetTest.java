package dev.vigil.gateway.upstream;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test void allowsAtMostTheRatioOfRequestsPlusTheFloor() {
        RetryBudget budget = new RetryBudget(0.2, 100, 2, now::get);
        int retries = 0;
        for (int i = 0; i < 1000; i++) {
            budget.deposit();
            if (budget.tryWithdraw()) retries++; // every request fails and wants a retry
        }
        assertThat(retries).isEqualTo(200 + 2); // 20 % plus the floor's initial two, time stood still
    }

    @Test void floorRefillsWithTimeOnly() {
        RetryBudget budget = new RetryBudget(0.0, 100, 2, now::get);
        assertThat(budget.tryWithdraw()).isTrue();
        assertThat(budget.tryWithdraw()).isTrue();
        assertThat(budget.tryWithdraw()).isFalse();
        now.addAndGet(500_000_000L); // half a second: one token at 2/s
        assertThat(budget.tryWithdraw()).isTrue();
        assertThat(budget.tryWithdraw()).isFalse();
        now.addAndGet(60_000_000_000L); // a quiet minute banks no more than the floor's capacity
        assertThat(budget.tryWithdraw()).isTrue();
        assertThat(budget.tryWithdraw()).isTrue();
        assertThat(budget.tryWithdraw()).isFalse();
    }

    @Test void savedDepositsAreCapped() {
        RetryBudget budget = new RetryBudget(0.5, 3, 0, now::get);
        for (int i = 0; i < 100; i++) budget.deposit();
        int retries = 0;
        while (budget.tryWithdraw()) retries++;
        assertThat(retries).isEqualTo(3);
    }
}
