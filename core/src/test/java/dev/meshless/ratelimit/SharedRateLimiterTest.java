package dev.meshless.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.testing.FakeBucketStore;
import dev.meshless.testing.FakeBucketStore.Mode;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.RecordingRateLimitMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An exact fleet-wide limit on a shared store, and its fallback to this instance's share when the store fails. */
class SharedRateLimiterTest {

    private final FakeTime time = new FakeTime();
    private final FakeBucketStore store = new FakeBucketStore();
    private final SharedBuckets buckets = SharedBuckets.builder(store).decisionTimeout(Duration.ofMillis(1))
            .retryInterval(Duration.ofSeconds(1)).time(time).build();
    private final RecordingRateLimitMetrics metrics = new RecordingRateLimitMetrics();
    private final RateLimit limit = RateLimit.builder("api").limitForPeriod(4).period(Duration.ofSeconds(1)).build();

    /** The fallback: a quarter of the limit, as with four instances in the registry. */
    private SharedRateLimiter limiter(RateLimit l) {
        LocalRateLimiter share = LocalRateLimiter.create(l, null, time, metrics);
        share.setShare(0.25);
        return new SharedRateLimiter(buckets, "orders:api", l, share, metrics);
    }

    @Test
    void everyDecisionTakesFromTheOneSharedBucket() {
        SharedRateLimiter api = limiter(limit);

        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            decisions.add(api.decide());
        }

        assertThat(store.asked()).hasSize(5).containsOnly("orders:api");
        assertThat(decisions).extracting(Decision::permitted).containsExactly(true, true, true, true, false);
        assertThat(decisions.get(0).remaining()).isEqualTo(3);
        assertThat(decisions.get(0).limit()).isEqualTo(4);
        assertThat(decisions.get(0).reset()).isEqualTo(Duration.ofMillis(250));
        assertThat(decisions.get(4).retryAfter()).isEqualTo(Duration.ofMillis(250));
        assertThat(metrics.recorded()).containsExactly("permitted", "permitted", "permitted", "permitted", "rejected");
        assertThat(api.limit()).isEqualTo(limit);
        assertThat(api.mayBlock()).isTrue();
    }

    @Test
    void aShadowLimitLetsEverythingThroughAndCountsWhatItWouldReject() {
        SharedRateLimiter api = limiter(limit.toBuilder().limitForPeriod(1).burst(1).shadow(true).build());

        api.decide();
        Decision second = api.decide();

        assertThat(second.permitted()).isTrue();
        assertThat(second.wouldReject()).isTrue();
        assertThat(metrics.recorded()).containsExactly("permitted", "shadow-rejected");
    }

    @Test
    void aStoreThatDoesNotAnswerInTimeMakesTheShareDecideWithoutAskingAgainUntilTheRetryInterval() {
        SharedRateLimiter api = limiter(limit);
        store.mode(Mode.HANGING);

        Decision first = api.decide();

        assertThat(first.permitted()).isTrue();
        assertThat(first.limit()).as("this instance's share of 4 per second").isEqualTo(1);
        assertThat(buckets.available()).isFalse();
        assertThat(buckets.unavailableSince()).isEqualTo(time.clock().instant());
        assertThat(buckets.lastFailure()).contains("no answer within 1 ms");
        assertThat(api.limit().limitForPeriod()).isEqualTo(1);

        Decision second = api.decide();
        assertThat(second.permitted()).as("the share's one permit is used").isFalse();
        assertThat(store.asked()).as("no request waits on a store known to be down").hasSize(1);
        assertThat(buckets.fallbacks()).isEqualTo(2);
        assertThat(metrics.recorded()).containsExactly("fallback", "permitted", "fallback", "rejected");
    }

    @Test
    void onceARetryIntervalOneRequestProbesWithoutWaitingAndTheFirstAnswerMakesLimitsExactAgain() {
        SharedRateLimiter api = limiter(limit);
        store.mode(Mode.FAILING);
        api.decide();
        assertThat(buckets.lastFailure()).contains("connection refused");

        store.mode(Mode.HANGING);
        time.advance(Duration.ofSeconds(1));
        api.decide();
        api.decide();
        assertThat(store.asked()).as("one probe per retry interval").hasSize(2);
        assertThat(buckets.available()).isFalse();

        store.releaseHeld();
        assertThat(buckets.available()).isTrue();
        assertThat(buckets.unavailableSince()).isNull();
        store.mode(Mode.UP);
        Decision exact = api.decide();
        assertThat(exact.limit()).isEqualTo(4);
        assertThat(store.asked()).hasSize(3);
        assertThat(buckets.fallbacks()).isEqualTo(3);
    }

    @Test
    void aProbeThatFailsLeavesTheStoreUnavailableUntilTheNextInterval() {
        SharedRateLimiter api = limiter(limit);
        store.mode(Mode.FAILING);
        api.decide();
        time.advance(Duration.ofMillis(999));
        api.decide();
        assertThat(store.asked()).hasSize(1);

        time.advance(Duration.ofMillis(1));
        api.decide();
        time.advance(Duration.ofMillis(500));
        api.decide();

        assertThat(store.asked()).hasSize(2);
        assertThat(buckets.available()).isFalse();
    }

    @Test
    void aFailedProbeSaysWhyTheStoreIsStillUnavailable() {
        SharedRateLimiter api = limiter(limit);
        store.mode(Mode.HANGING);
        api.decide();
        assertThat(buckets.lastFailure()).contains("no answer within 1 ms");

        store.mode(Mode.FAILING);
        time.advance(Duration.ofSeconds(1));
        api.decide();

        assertThat(buckets.lastFailure()).as("what the probe met, for health").contains("connection refused");
    }

    @Test
    void aStoreThatSaysItIsReadyMakesLimitsExactWithoutWaitingForAProbe() {
        SharedRateLimiter api = limiter(limit);
        store.mode(Mode.FAILING);
        api.decide();
        assertThat(buckets.available()).isFalse();

        store.becomeReady();

        assertThat(buckets.available()).isTrue();
        assertThat(api.decide().limit()).isEqualTo(4);
        assertThat(store.asked()).hasSize(2);
    }
}
