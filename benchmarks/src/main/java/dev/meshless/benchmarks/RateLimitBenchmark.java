package dev.meshless.benchmarks;

import dev.meshless.ratelimit.KeyedRateLimiter;
import dev.meshless.ratelimit.LocalRateLimiter;
import dev.meshless.ratelimit.RateLimit;
import dev.meshless.ratelimit.RateLimitMetrics;
import dev.meshless.time.TimeSource;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one permit check: Resilience4j's {@code AtomicRateLimiter} alone, a Meshless local
 * limit (on that limiter, with and without warm-up), and a Meshless per-key limit with 100 000 live
 * keys, asked for a different key on each check. Limits are set high enough never to reject, so the
 * benchmark measures the check, not a rejection.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RateLimitBenchmark {

    /** Live keys in the per-key benchmark. */
    public static final int KEYS = 100_000;
    private static final int HIGH = 1_000_000_000;

    /** Resilience4j alone. */
    @State(Scope.Benchmark)
    public static class Resilience4j {
        AtomicRateLimiter limiter;

        /** Builds the limiter. */
        @Setup(Level.Trial)
        public void setUp() {
            limiter = new AtomicRateLimiter("r4j", RateLimiterConfig.custom().limitForPeriod(HIGH)
                    .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build());
            if (!limiter.acquirePermission()) {
                throw new IllegalStateException("the Resilience4j limiter rejected its first permit");
            }
        }
    }

    /** A Meshless local limit, plain and with a warm-up ramp. */
    @State(Scope.Benchmark)
    public static class Local {
        LocalRateLimiter plain;
        LocalRateLimiter warming;

        /** Builds the limiters. */
        @Setup(Level.Trial)
        public void setUp() {
            plain = LocalRateLimiter.create(RateLimit.builder("local").limitForPeriod(HIGH).build(), null,
                    TimeSource.system(), RateLimitMetrics.NOOP);
            warming = LocalRateLimiter.create(RateLimit.builder("warming").limitForPeriod(HIGH)
                    .warmUp(Duration.ofHours(1)).build(), null, TimeSource.system(), RateLimitMetrics.NOOP);
            if (!plain.tryAcquire() || !warming.tryAcquire()) {
                throw new IllegalStateException("a local limiter rejected its first permit");
            }
        }
    }

    /**
     * A Meshless per-key limit holding {@value #KEYS} live keys. Its cap is twice that: the cap is
     * enforced per segment, so a cap of exactly {@value #KEYS} would evict a few percent of them.
     */
    @State(Scope.Benchmark)
    public static class PerKey {
        KeyedRateLimiter limiter;
        String[] keys;
        int next;

        /** Builds the limiter and makes every key live. */
        @Setup(Level.Trial)
        public void setUp() {
            // One permit per hour and a burst of 100 000: every key stays live (its cell holds state for
            // hours) and none is ever refused during a run.
            limiter = KeyedRateLimiter.create(RateLimit.builder("per-key").limitForPeriod(100_000)
                    .period(Duration.ofHours(100_000)).build(), Map.of(), 2 * KEYS, TimeSource.system(),
                    RateLimitMetrics.NOOP);
            keys = new String[KEYS];
            for (int i = 0; i < KEYS; i++) {
                keys[i] = "user-" + i;
                limiter.tryAcquire(keys[i]);
            }
            if (limiter.trackedKeys() != KEYS) {
                throw new IllegalStateException("expected " + KEYS + " live keys, tracked " + limiter.trackedKeys());
            }
        }
    }

    /** @return the Resilience4j decision */
    @Benchmark
    public boolean resilience4jAtomicRateLimiter(Resilience4j state) {
        return state.limiter.acquirePermission();
    }

    /** @return the Meshless local decision */
    @Benchmark
    public boolean meshlessLocal(Local state) {
        return state.plain.tryAcquire();
    }

    /** @return the Meshless local decision, with the warm-up ramp running */
    @Benchmark
    public boolean meshlessLocalWarmingUp(Local state) {
        return state.warming.tryAcquire();
    }

    /** @return the Meshless per-key decision for the next of the live keys */
    @Benchmark
    public boolean meshlessPerKey100kKeys(PerKey state) {
        int i = state.next;
        state.next = i + 1 == KEYS ? 0 : i + 1;
        return state.limiter.tryAcquire(state.keys[i]);
    }
}
