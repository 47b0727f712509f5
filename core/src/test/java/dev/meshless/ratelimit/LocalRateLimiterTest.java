package dev.meshless.ratelimit;

import static dev.meshless.testing.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.testing.FakeTime;
import dev.meshless.testing.RecordingRateLimitMetrics;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Local limits on Resilience4j, driven by a fake clock. */
class LocalRateLimiterTest {

    private final FakeTime time = new FakeTime();
    private final RecordingRateLimitMetrics recorder = new RecordingRateLimitMetrics();

    private LocalRateLimiter limiter(RateLimit.Builder limit) {
        return LocalRateLimiter.create(limit.build(), null, time, recorder);
    }

    /** Offers {@code perSecond} evenly spaced requests per second for {@code seconds}; returns permits per second. */
    private int[] offer(RateLimiter limiter, int perSecond, int seconds) {
        int[] permitted = new int[seconds];
        Duration gap = Duration.ofNanos(1_000_000_000L / perSecond);
        for (int s = 0; s < seconds; s++) {
            for (int i = 0; i < perSecond; i++) {
                if (limiter.tryAcquire()) {
                    permitted[s]++;
                }
                time.advance(gap);
            }
        }
        return permitted;
    }

    @Test
    void atThreeTimesTheLimitForTenSecondsPermitsStayWithinFivePercent() {
        LocalRateLimiter limiter = limiter(RateLimit.builder("api").limitForPeriod(100));

        int total = java.util.Arrays.stream(offer(limiter, 300, 10)).sum();

        assertThat(total).isBetween(950, 1050);
    }

    @Test
    void aBurstIsCappedAtTheBurstSizeAndTheRateHolds() {
        LocalRateLimiter limiter = limiter(RateLimit.builder("api").limitForPeriod(100).burst(10));

        int atOnce = 0;
        for (int i = 0; i < 50; i++) {
            atOnce += limiter.tryAcquire() ? 1 : 0;
        }
        assertThat(atOnce).isEqualTo(10);

        time.advance(Duration.ofSeconds(1));
        assertThat(java.util.Arrays.stream(offer(limiter, 500, 5)).sum()).isBetween(475, 525);
    }

    @Test
    void withoutABurstTheWholePeriodMayGoAtOnce() {
        LocalRateLimiter limiter = limiter(RateLimit.builder("api").limitForPeriod(100));

        int atOnce = 0;
        for (int i = 0; i < 200; i++) {
            atOnce += limiter.tryAcquire() ? 1 : 0;
        }

        assertThat(atOnce).isEqualTo(100);
    }

    @Test
    void warmUpRampsFromAThirdToTheFullRate() {
        LocalRateLimiter limiter = limiter(RateLimit.builder("api").limitForPeriod(100).burst(10)
                .warmUp(Duration.ofSeconds(10)));

        int[] perSecond = offer(limiter, 300, 12);

        for (int s = 0; s < 10; s++) {
            double expected = 100 * (1.0 / 3 + 2.0 / 3 * (s + 0.5) / 10);
            assertThat((double) perSecond[s]).as("second %d", s).isCloseTo(expected, org.assertj.core.data.Offset.offset(10.0));
        }
        assertThat(perSecond[11]).isBetween(95, 105);
    }

    @Test
    void aLimitIdleForItsWarmUpIsColdAgain() {
        LocalRateLimiter limiter = limiter(RateLimit.builder("api").limitForPeriod(100).burst(10)
                .warmUp(Duration.ofSeconds(4)));
        offer(limiter, 300, 6);                    // warm
        time.advance(Duration.ofSeconds(5));       // idle longer than the warm-up

        int[] again = offer(limiter, 300, 1);

        assertThat(again[0]).isBetween(30, 50);
        limiter.rewarm();
        assertThat(offer(limiter, 300, 1)[0]).isBetween(30, 50);
    }

    @Test
    void shadowModeCountsRejectionsButLetsEverythingThrough() {
        LocalRateLimiter limiter = limiter(RateLimit.builder("api").limitForPeriod(2).shadow(true));

        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire()).isTrue();
        }
        Decision d = limiter.decide();

        assertThat(recorder.recorded()).containsExactly("permitted", "permitted", "shadow-rejected", "shadow-rejected",
                "shadow-rejected", "shadow-rejected");
        assertThat(d.permitted()).isTrue();
        assertThat(d.wouldReject()).isTrue();
    }

    @Test
    void aShareScalesTheRateExactly() {
        LocalRateLimiter limiter = limiter(RateLimit.builder("api").limitForPeriod(90).burst(9));

        limiter.setShare(1.0 / 3);

        assertThat(java.util.Arrays.stream(offer(limiter, 300, 10)).sum()).isBetween(285, 315);
        assertThat(limiter.limit().limitForPeriod()).isEqualTo(30);
        assertThatThrownBy(() -> limiter.setShare(0)).hasMessage("api share must be above 0 and at most 1, but was 0.0");
    }

    @Test
    void decisionsSayWhatIsLeftAndWhenToComeBack() {
        LocalRateLimiter limiter = limiter(RateLimit.builder("api").limitForPeriod(3));

        Decision first = limiter.decide();
        time.advance(Duration.ofMillis(400));
        limiter.decide();
        limiter.decide();
        Decision rejected = limiter.decide();

        assertThat(first.permitted()).isTrue();
        assertThat(first.remaining()).isEqualTo(2);
        assertThat(first.limit()).isEqualTo(3);
        assertThat(first.reset()).isEqualTo(Duration.ofSeconds(1));
        assertThat(rejected.permitted()).isFalse();
        assertThat(rejected.remaining()).isZero();
        assertThat(rejected.retryAfter()).isEqualTo(Duration.ofMillis(600));
        assertThat(rejected.reset()).isEqualTo(Duration.ofMillis(600));
    }

    @Test
    void limitsAreRegisteredInASharedResilience4jRegistryWithTheSystemClock() {
        RateLimiterRegistry registry = RateLimiterRegistry.ofDefaults();

        LocalRateLimiter limiter = LocalRateLimiter.create(RateLimit.builder("orders").limitForPeriod(50).build(),
                registry, dev.meshless.time.TimeSource.system(), RateLimitMetrics.NOOP);

        assertThat(registry.find("orders")).isPresent();
        assertThat(registry.find("orders").get().getRateLimiterConfig().getLimitForPeriod()).isEqualTo(50);
        assertThat(limiter.tryAcquire()).isTrue();
    }

    @Test
    void anApplicationsOwnResilience4jLimiterIsUsedAsItIs() {
        RateLimiterRegistry registry = RateLimiterRegistry.ofDefaults();
        registry.rateLimiter("orders", RateLimiterConfig.custom().limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofHours(1)).build());

        LocalRateLimiter limiter = LocalRateLimiter.create(RateLimit.builder("orders").limitForPeriod(50).build(),
                registry, dev.meshless.time.TimeSource.system(), RateLimitMetrics.NOOP);

        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
        assertThat(limiter.limit().limitForPeriod()).as("the settings in force are reported").isEqualTo(1);
        assertThat(limiter.limit().period()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void anApplicationsOwnLimiterIsNeverReplacedOrRampedByAShareOrAWarmUp() {
        RateLimiterRegistry registry = RateLimiterRegistry.ofDefaults();
        io.github.resilience4j.ratelimiter.RateLimiter theirs = registry.rateLimiter("orders",
                RateLimiterConfig.custom().limitForPeriod(5).limitRefreshPeriod(Duration.ofHours(1)).build());

        LocalRateLimiter limiter = LocalRateLimiter.create(RateLimit.builder("orders").limitForPeriod(50)
                .warmUp(Duration.ofMinutes(1)).build(), registry, dev.meshless.time.TimeSource.system(),
                RateLimitMetrics.NOOP);
        limiter.setShare(0.5);
        limiter.tryAcquire();

        assertThat(registry.find("orders")).get().isSameAs(theirs);
        assertThat(theirs.getRateLimiterConfig().getLimitForPeriod()).as("not ramped by the warm-up").isEqualTo(5);
        assertThat(limiter.limit().limitForPeriod()).as("the settings in force are reported").isEqualTo(5);
    }

    @Test
    void badLimitsNameTheProperty() {
        assertInvalid(() -> RateLimit.builder("api").limitForPeriod(0), "limitForPeriod", 0, "must be at least 1");
        assertInvalid(() -> RateLimit.builder("api").limitForPeriod(10).burst(11).build(), "burst", 11,
                "must be between 1 and the limit for period (10)");
        assertInvalid(() -> RateLimit.builder("api").build(), "limitForPeriod", null,
                "is required: the permits per period, at least 1");
        assertInvalid(() -> RateLimit.builder("api").period(Duration.ZERO), "period", Duration.ZERO,
                "must be at least 1ms");
        assertInvalid(() -> RateLimit.builder("api").coldFactor(1.0), "coldFactor", 1.0, "must be a number above 1");
        assertInvalid(() -> RateLimit.builder(" "), "name", " ", "must not be blank");
    }
}
