package dev.meshless.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.testing.FakeTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    private final FakeTime time = new FakeTime();

    private static int drain(RetryBudget budget) {
        int n = 0;
        while (budget.tryRetry()) {
            n++;
        }
        return n;
    }

    @Test
    void aQuietServiceStillHasTheFloor() {
        RetryBudget budget = new RetryBudget(20.0, 10, Duration.ofSeconds(10), time);

        assertThat(drain(budget)).isEqualTo(100);
    }

    @Test
    void retriesAreCappedAtTheRatioOfRequestsPlusTheFloor() {
        RetryBudget budget = new RetryBudget(20.0, 10, Duration.ofSeconds(10), time);
        for (int i = 0; i < 1_000; i++) {
            budget.onRequest();
        }

        assertThat(drain(budget)).isEqualTo(200 + 100);
        assertThat(budget.remaining()).isZero();
    }

    @Test
    void theBudgetRefillsAsTheWindowMovesOn() {
        RetryBudget budget = new RetryBudget(20.0, 0, Duration.ofSeconds(10), time);
        for (int i = 0; i < 100; i++) {
            budget.onRequest();
        }
        assertThat(drain(budget)).isEqualTo(20);

        time.advance(Duration.ofSeconds(5));
        for (int i = 0; i < 50; i++) {
            budget.onRequest();
        }
        assertThat(drain(budget)).as("150 requests in the window allow 30, 20 spent").isEqualTo(10);

        time.advance(Duration.ofSeconds(6)); // the first 100 requests and 20 retries expired
        assertThat(budget.remaining()).isEqualTo(0); // 50 × 0.2 = 10, and 10 retries are still in the window
        time.advance(Duration.ofSeconds(5));
        assertThat(budget.remaining()).isZero();
        for (int i = 0; i < 10; i++) {
            budget.onRequest();
        }
        assertThat(budget.remaining()).isEqualTo(2);
    }

    @Test
    void amplificationUnderATotalOutageStaysWithinTheBound() {
        // 200 requests per second for 30 s, every one failing and wanting 2 retries.
        RetryBudget budget = new RetryBudget(20.0, 10, Duration.ofSeconds(10), time);
        long attempts = 0;
        for (int second = 0; second < 30; second++) {
            for (int r = 0; r < 200; r++) {
                budget.onRequest();
                attempts++;
                for (int retry = 0; retry < 2 && budget.tryRetry(); retry++) {
                    attempts++;
                }
                time.advance(Duration.ofMillis(5));
            }
        }

        long requests = 30 * 200;
        assertThat(attempts).isLessThanOrEqualTo((long) (requests * 1.2) + 10 * 30 + 100);
        assertThat(attempts).isGreaterThan(requests);
    }
}
