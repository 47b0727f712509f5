package dev.meshless.ratelimit;

import static dev.meshless.testing.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.testing.FakeTime;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-key limits: isolation, overrides, accuracy and bounded memory. */
class KeyedRateLimiterTest {

    private final FakeTime time = new FakeTime();
    private final RateLimit perUser = RateLimit.builder("per-user").limitForPeriod(10).build();

    private KeyedRateLimiter limiter(Map<String, RateLimit> overrides, int maxKeys) {
        return KeyedRateLimiter.create(perUser, overrides, maxKeys, time, RateLimitMetrics.NOOP);
    }

    @Test
    void aNoisyKeyDoesNotReduceAnotherKeysPermits() {
        KeyedRateLimiter limiter = limiter(Map.of(), 1_000);
        int noisy = 0;
        int quiet = 0;
        for (int tick = 0; tick < 1_000; tick++) {          // 10 s in 10 ms steps
            for (int i = 0; i < 10; i++) {                    // noisy: 1 000 per second
                noisy += limiter.tryAcquire("mallory") ? 1 : 0;
            }
            if (tick % 20 == 0) {                             // quiet: 5 per second, within its limit
                quiet += limiter.tryAcquire("alice") ? 1 : 0;
            }
            time.advance(Duration.ofMillis(10));
        }

        assertThat(quiet).isEqualTo(50);
        assertThat(noisy).isBetween(95, 110);                 // 10 per second over 10 s (+ the first burst)
    }

    @Test
    void overridesGiveChosenKeysTheirOwnLimit() {
        KeyedRateLimiter limiter = limiter(Map.of("vip", RateLimit.builder("per-user-vip").limitForPeriod(100).build()),
                1_000);

        int vip = 0;
        int regular = 0;
        for (int i = 0; i < 500; i++) {
            vip += limiter.tryAcquire("vip") ? 1 : 0;
            regular += limiter.tryAcquire("bob") ? 1 : 0;
        }

        assertThat(vip).isEqualTo(100);
        assertThat(regular).isEqualTo(10);
        assertThat(limiter.limitFor("vip").limitForPeriod()).isEqualTo(100);
    }

    @Test
    void aBurstIsCappedAndTheRateIsEven() {
        KeyedRateLimiter limiter = KeyedRateLimiter.create(RateLimit.builder("per-user").limitForPeriod(100)
                .burst(5).build(), Map.of(), 1_000, time, RateLimitMetrics.NOOP);

        int atOnce = 0;
        for (int i = 0; i < 50; i++) {
            atOnce += limiter.tryAcquire("k") ? 1 : 0;
        }
        assertThat(atOnce).isEqualTo(5);

        int overTenSeconds = 0;
        for (int i = 0; i < 3_000; i++) {                      // 300 per second offered
            overTenSeconds += limiter.tryAcquire("k") ? 1 : 0;
            time.advance(Duration.ofNanos(3_333_333));
        }
        assertThat(overTenSeconds).isBetween(950, 1050);
    }

    @Test
    void decisionsDescribeTheKeysState() {
        KeyedRateLimiter limiter = limiter(Map.of(), 1_000);
        for (int i = 0; i < 9; i++) {
            limiter.tryAcquire("k");
        }

        Decision last = limiter.decide("k");
        Decision over = limiter.decide("k");

        assertThat(last.permitted()).isTrue();
        assertThat(last.remaining()).isZero();
        assertThat(last.limit()).isEqualTo(10);
        assertThat(over.permitted()).isFalse();
        assertThat(over.retryAfter()).isEqualTo(Duration.ofMillis(100));
        assertThat(over.reset()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aTimeoutWaitsForTheNextFreePermit() {
        KeyedRateLimiter limiter = KeyedRateLimiter.create(RateLimit.builder("per-user").limitForPeriod(10)
                .timeout(Duration.ofMillis(150)).build(), Map.of(), 1_000, time, RateLimitMetrics.NOOP);
        for (int i = 0; i < 10; i++) {
            limiter.tryAcquire("k");
        }

        assertThat(limiter.tryAcquire("k")).isTrue();          // waits 100 ms
        assertThat(limiter.tryAcquire("k")).isTrue();          // the slot after: 100 ms more
        assertThat(limiter.tryAcquire("k")).isTrue();
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(100),
                Duration.ofMillis(100));
    }

    @Test
    void shadowModeLetsEverythingThrough() {
        KeyedRateLimiter limiter = KeyedRateLimiter.create(perUser.toBuilder().shadow(true).build(), Map.of(), 1_000,
                time, RateLimitMetrics.NOOP);

        for (int i = 0; i < 100; i++) {
            assertThat(limiter.tryAcquire("k")).isTrue();
        }
        assertThat(limiter.decide("k").wouldReject()).isTrue();
    }

    @Test
    void idleKeysAreDroppedBecauseTheyHoldNoState() {
        KeyedRateLimiter limiter = limiter(Map.of(), 100_000);
        for (int i = 0; i < 10_000; i++) {
            limiter.tryAcquire("user-" + i);
        }
        assertThat(limiter.trackedKeys()).isEqualTo(10_000);

        time.advance(Duration.ofSeconds(2));
        for (int i = 0; i < 10_000; i++) {
            limiter.tryAcquire("other-" + (i % 64));
        }

        assertThat(limiter.trackedKeys()).isLessThan(10_000);
    }

    @Test
    void aMillionDistinctKeysStayWithinTheCapAndTheHeapStaysBounded() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        KeyedRateLimiter limiter = limiter(Map.of(), KeyedRateLimiter.DEFAULT_MAX_KEYS);
        long before = usedHeapAfterGc(memory);

        for (int i = 0; i < 1_000_000; i++) {
            limiter.tryAcquire("key-" + i);       // no time passes: no cell expires, only the cap bounds
        }
        long after = usedHeapAfterGc(memory);

        assertThat(limiter.trackedKeys()).isLessThanOrEqualTo(KeyedRateLimiter.DEFAULT_MAX_KEYS)
                .isGreaterThan(KeyedRateLimiter.DEFAULT_MAX_KEYS * 9 / 10);
        // ~ 100 000 cells with their keys and map entries: well under 300 bytes each.
        assertThat(after - before).as("heap growth in bytes").isLessThan(30L * 1024 * 1024);
        // A recent key still holds its cell (one permit of ten taken), where a fresh cell would have nine left.
        assertThat(limiter.decide("key-999999").remaining()).as("the most recent key keeps its state").isEqualTo(8);
        assertThat(limiter.decide("never-seen").remaining()).isEqualTo(9);
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Test
    void badSettingsAreNamedByTheirPathsInTheSpecification() {
        assertInvalid(() -> KeyedRateLimiter.create(perUser, Map.of(), 10, time, RateLimitMetrics.NOOP), "maxKeys",
                10, "must be at least 64");
        assertInvalid(() -> KeyedRateLimiter.create(perUser, Map.of("", perUser), 100, time, RateLimitMetrics.NOOP),
                "overrides", "", "must not have an empty key");
    }
}
