package dev.meshless.benchmarks;

import dev.meshless.ratelimit.Decision;
import dev.meshless.ratelimit.LocalRateLimiter;
import dev.meshless.ratelimit.RateLimit;
import dev.meshless.ratelimit.RateLimitMetrics;
import dev.meshless.ratelimit.SharedBuckets;
import dev.meshless.ratelimit.SharedRateLimiter;
import dev.meshless.ratelimit.redis.RedisBucketStore;
import dev.meshless.ratelimit.redis.RedisBucketStore.Optimization;
import dev.meshless.ratelimit.redis.RedisConnections;
import dev.meshless.ratelimit.redis.testing.RedisServer;
import dev.meshless.time.TimeSource;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one decision of an exact global limit on a real, local Redis (started by the
 * benchmark on a loopback port), by Bucket4j optimization — {@code none} (one compare-and-swap per
 * permit: a GET and a Lua script), {@code batching}, {@code predicting} — next to the local limiter,
 * in one run. {@code exact} and {@code local}: four threads take permits for one hot key, as request
 * threads of one instance would (on one instance, compare-and-swaps of one key then conflict);
 * {@code exactOneThread}: one thread, the uncontended round trips. The limit is high enough never to
 * refuse, and a generous decision timeout keeps every decision in Redis (a trial that fell back fails
 * at teardown).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Threads(4)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RedisRateLimitBenchmark {

    private static final int HIGH = 1_000_000_000;

    /** A Redis server and one instance's exact limit on it. */
    @State(Scope.Benchmark)
    public static class Exact {
        /** How Bucket4j talks to Redis. */
        @Param({"none", "batching", "predicting"})
        public String optimization;

        RedisServer redis;
        SharedBuckets buckets;
        SharedRateLimiter limiter;

        /**
         * Starts Redis and connects.
         *
         * @throws IOException when redis-server cannot start
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException {
            redis = RedisServer.start();
            RateLimit limit = RateLimit.builder("api").limitForPeriod(HIGH).build();
            RedisBucketStore store = RedisConnections.ownClient(RedisURI.create(redis.uri()), Duration.ofSeconds(5))
                    .optimization(Optimization.valueOf(optimization.toUpperCase(Locale.ROOT))).build().start();
            buckets = SharedBuckets.builder(store).decisionTimeout(Duration.ofSeconds(1)).build();
            LocalRateLimiter share = LocalRateLimiter.create(limit, null, TimeSource.system(), RateLimitMetrics.NOOP);
            limiter = new SharedRateLimiter(buckets, "bench:api", limit, share, RateLimitMetrics.NOOP);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!store.connected()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no connection to " + redis.uri() + " within 30 s");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }

        /** Stops Redis; fails the trial when a decision fell back (then it did not measure Redis). */
        @TearDown(Level.Trial)
        public void tearDown() {
            long fallbacks = buckets.fallbacks();
            buckets.close();
            redis.close();
            if (fallbacks > 0) {
                throw new IllegalStateException(fallbacks + " decisions fell back: the trial did not measure Redis");
            }
        }
    }

    /** The local limiter, for comparison. */
    @State(Scope.Benchmark)
    public static class Local {
        LocalRateLimiter limiter;

        /** Builds the limiter. */
        @Setup(Level.Trial)
        public void setUp() {
            limiter = LocalRateLimiter.create(RateLimit.builder("local").limitForPeriod(HIGH).build(), null,
                    TimeSource.system(), RateLimitMetrics.NOOP);
        }
    }

    /**
     * @param state the exact limit
     * @return the decision
     */
    @Benchmark
    public Decision exact(Exact state) {
        return state.limiter.decide();
    }

    /**
     * @param state the exact limit
     * @return the decision, taken by a single thread
     */
    @Benchmark
    @Threads(1)
    public Decision exactOneThread(Exact state) {
        return state.limiter.decide();
    }

    /**
     * @param state the local limit
     * @return the decision
     */
    @Benchmark
    public Decision local(Local state) {
        return state.limiter.decide();
    }
}
