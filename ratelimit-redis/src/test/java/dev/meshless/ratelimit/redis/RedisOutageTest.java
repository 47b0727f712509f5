package dev.meshless.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.ratelimit.Decision;
import dev.meshless.ratelimit.LocalRateLimiter;
import dev.meshless.ratelimit.RateLimit;
import dev.meshless.ratelimit.SharedBuckets;
import dev.meshless.ratelimit.SharedRateLimiter;
import dev.meshless.ratelimit.redis.testing.RedisServer;
import dev.meshless.ratelimit.redis.testing.RedisServerExtension;
import dev.meshless.testing.RecordingRateLimitMetrics;
import dev.meshless.time.TimeSource;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redis killed and started again while requests keep coming, on real time: decisions never wait
 * for the dead server beyond the decision timeout, fall back to this instance's share (counted),
 * and are exact again once Redis answers.
 */
@ExtendWith(RedisServerExtension.class)
class RedisOutageTest {

    private final RateLimit limit = RateLimit.builder("api").limitForPeriod(1_000).build();
    private final RecordingRateLimitMetrics metrics = new RecordingRateLimitMetrics();
    private SharedBuckets buckets;

    @AfterEach
    void close() {
        buckets.close();
    }

    @Test
    void decisionsFallBackWhileRedisIsDownAndAreExactAgainWhenItIsBack(RedisServer redis) throws IOException {
        RedisBucketStore store = RedisConnections.ownClient(RedisURI.create(redis.uri()), Duration.ofSeconds(1))
                .reconnectInterval(Duration.ofMillis(50)).build().start();
        // Generous bounds: this test is about behaviour on a busy machine, not latency.
        buckets = SharedBuckets.builder(store).decisionTimeout(Duration.ofMillis(200))
                .retryInterval(Duration.ofMillis(50)).build();
        LocalRateLimiter share = LocalRateLimiter.create(limit, null, TimeSource.system(), metrics);
        share.setShare(0.5);
        SharedRateLimiter api = new SharedRateLimiter(buckets, "orders:api", limit, share, metrics);
        await().atMost(Duration.ofSeconds(30)).until(store::connected);

        for (int i = 0; i < 20; i++) {
            assertThat(api.decide().limit()).as("exact: the whole limit").isEqualTo(1_000);
        }
        assertThat(buckets.fallbacks()).isZero();

        redis.kill();
        long slowest = 0;
        for (int i = 0; i < 200; i++) {
            long start = System.nanoTime();
            Decision d = api.decide();
            slowest = Math.max(slowest, System.nanoTime() - start);
            assertThat(d.permitted()).as("the share has room: nothing is refused because Redis is down").isTrue();
        }
        assertThat(buckets.available()).isFalse();
        assertThat(buckets.fallbacks()).isGreaterThanOrEqualTo(199);
        assertThat(api.limit().limitForPeriod()).as("this instance's share").isEqualTo(500);
        assertThat(metrics.recorded()).contains("fallback");
        // Each decision waits at most the decision timeout; a wide margin for a busy machine.
        assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofSeconds(2));

        redis.restart();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            api.decide();
            return buckets.available();
        });

        long fallbacks = buckets.fallbacks();
        Decision exact = api.decide();
        assertThat(exact.limit()).isEqualTo(1_000);
        assertThat(exact.remaining()).as("counted in the restarted, empty Redis").isGreaterThan(900);
        assertThat(buckets.fallbacks()).isEqualTo(fallbacks);
        System.out.printf("Redis outage: slowest decision while down %.1f ms; %d decisions fell back%n",
                slowest / 1e6, fallbacks);
    }
}
