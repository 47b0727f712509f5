package dev.meshless.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.ratelimit.LocalRateLimiter;
import dev.meshless.ratelimit.RateLimit;
import dev.meshless.ratelimit.RateLimitMetrics;
import dev.meshless.ratelimit.RateLimiter;
import dev.meshless.ratelimit.SharedBuckets;
import dev.meshless.ratelimit.SharedRateLimiter;
import dev.meshless.ratelimit.redis.testing.RedisServer;
import dev.meshless.ratelimit.redis.testing.RedisServerExtension;
import dev.meshless.testing.FakeTime;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Four instances of one service, each with its own Redis connection, share a limit of N per second
 * while one of them receives 70 % of the traffic. Ten seconds of a fake clock (Bucket4j takes the
 * instances' clock) drive both the exact limit on a real Redis and today's registry shares with the
 * same requests: the exact limit admits 10 × N (plus its initial burst), the shares far less.
 */
@ExtendWith(RedisServerExtension.class)
class ExactGlobalLimitAccuracyTest {

    private static final int N = 100;
    private static final int INSTANCES = 4;
    private static final int OFFERED_PER_SECOND = 150;
    private static final Duration RUN = Duration.ofSeconds(10);

    private final FakeTime time = new FakeTime();
    private final RateLimit limit = RateLimit.builder("api").limitForPeriod(N).burst(5).build();
    private final List<SharedBuckets> stores = new ArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(SharedBuckets::close);
    }

    /** The instance a request reaches: 14 in 20 go to instance 0, 2 in 20 to each other one. */
    private static int instanceOf(int request) {
        int slot = request % 20;
        return slot < 14 ? 0 : 1 + (slot - 14) / 2;
    }

    private int drive(List<? extends RateLimiter> instances) {
        int admitted = 0;
        long step = 1_000_000_000L / OFFERED_PER_SECOND;
        int requests = (int) (RUN.toSeconds() * OFFERED_PER_SECOND);
        for (int i = 0; i < requests; i++) {
            time.advance(Duration.ofNanos(step));
            admitted += instances.get(instanceOf(i)).tryAcquire() ? 1 : 0;
        }
        return admitted;
    }

    private LocalRateLimiter share() {
        LocalRateLimiter share = LocalRateLimiter.create(limit, null, time, RateLimitMetrics.NOOP);
        share.setShare(1.0 / INSTANCES);
        return share;
    }

    @Test
    void theFleetAdmitsItsLimitHoweverUnevenlyTrafficArrivesWhereSharesAdmitFarLess(RedisServer redis) {
        List<SharedRateLimiter> exact = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            RedisBucketStore store = RedisConnections.ownClient(RedisURI.create(redis.uri()), Duration.ofSeconds(5))
                    .keyPrefix("accuracy:").time(time).build().start();
            // A generous timeout: this test is about counting, not latency, on a busy machine.
            SharedBuckets buckets = SharedBuckets.builder(store).decisionTimeout(Duration.ofSeconds(1)).time(time)
                    .build();
            stores.add(buckets);
            await().atMost(Duration.ofSeconds(30)).until(store::connected);
            exact.add(new SharedRateLimiter(buckets, "orders:api", limit, share(), RateLimitMetrics.NOOP));
        }
        List<LocalRateLimiter> shares = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            shares.add(share());
        }

        int exactAdmitted = drive(exact);
        int sharesAdmitted = drive(shares);

        assertThat(stores).allSatisfy(s -> assertThat(s.fallbacks()).as("decided by Redis").isZero());
        int expected = (int) (RUN.toSeconds() * N);
        assertThat(exactAdmitted).as("within 5 %% of %d", expected).isBetween(expected * 95 / 100, expected * 105 / 100);
        // Instance 0 is offered 105/s and admits its 25/s; the others are offered 15/s each, in pairs that
        // their share's burst of 1 splits.
        assertThat(sharesAdmitted).as("registry shares").isLessThan(expected * 75 / 100);
        System.out.printf("Exact limit of %d/s over %s, 4 instances, one taking 70 %%: exact (Redis) admitted %d,"
                + " registry shares admitted %d, of %d offered%n", N, RUN, exactAdmitted, sharesAdmitted,
                RUN.toSeconds() * OFFERED_PER_SECOND);
    }
}
