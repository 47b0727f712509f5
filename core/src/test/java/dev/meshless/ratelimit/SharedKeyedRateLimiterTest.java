package dev.meshless.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.testing.FakeBucketStore;
import dev.meshless.testing.FakeBucketStore.Mode;
import dev.meshless.testing.FakeTime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A per-key limit counted across the fleet, one shared bucket per key, with a per-instance fallback. */
class SharedKeyedRateLimiterTest {

    private final FakeTime time = new FakeTime();
    private final FakeBucketStore store = new FakeBucketStore();
    private final SharedBuckets buckets = SharedBuckets.builder(store).decisionTimeout(Duration.ofMillis(1))
            .time(time).build();
    private final RateLimit perUser = RateLimit.builder("per-user").limitForPeriod(10).build();
    private final RateLimit vip = RateLimit.builder("per-user").limitForPeriod(100).build();
    private final AtomicReference<Double> share = new AtomicReference<>(0.5);
    private final SharedKeyedRateLimiter limiter = new SharedKeyedRateLimiter(buckets, "orders:per-user:", perUser,
            Map.of("vip", vip), 64, share::get, null, time, RateLimitMetrics.NOOP);

    @Test
    void eachKeyHasItsOwnBucketSizedByItsOverride() {
        Decision alice = limiter.decide("alice");
        Decision vipFirst = limiter.decide("vip");

        assertThat(store.asked()).containsExactly("orders:per-user:alice", "orders:per-user:vip");
        assertThat(alice.remaining()).isEqualTo(9);
        assertThat(vipFirst.remaining()).isEqualTo(99);
        assertThat(vipFirst.limit()).isEqualTo(100);
        assertThat(limiter.mayBlock()).isTrue();
    }

    @Test
    void whileTheStoreIsDownEachKeyGetsThisInstancesShareOfItsLimitFollowingTheShare() {
        store.mode(Mode.FAILING);

        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            admitted += limiter.decide("alice").permitted() ? 1 : 0;
        }
        assertThat(admitted).as("half of 10").isEqualTo(5);
        assertThat(limiter.fallback().limitFor("vip").limitForPeriod()).isEqualTo(50);

        share.set(0.25);
        assertThat(limiter.fallback().defaultLimit().limitForPeriod()).isEqualTo(3);
        assertThat(limiter.fallback().limitFor("vip").limitForPeriod()).isEqualTo(25);
    }
}
