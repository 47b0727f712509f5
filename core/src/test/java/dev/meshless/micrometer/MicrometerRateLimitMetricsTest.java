package dev.meshless.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.ratelimit.GlobalRateLimiter;
import dev.meshless.ratelimit.KeyedRateLimiter;
import dev.meshless.ratelimit.LocalRateLimiter;
import dev.meshless.ratelimit.RateLimit;
import dev.meshless.ratelimit.SharedBuckets;
import dev.meshless.ratelimit.SharedRateLimiter;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeBucketStore;
import dev.meshless.testing.FakeTime;
import dev.meshless.topology.Endpoint;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MicrometerRateLimitMetricsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MicrometerRateLimitMetrics metrics = new MicrometerRateLimitMetrics(meters);
    private final FakeTime time = new FakeTime();

    private double count(String limit, String outcome) {
        return meters.get("meshless.ratelimit.requests").tags("limit", limit, "outcome", outcome).counter().count();
    }

    @Test
    void decisionsKeysAndSharesAreMeters() {
        LocalRateLimiter local = LocalRateLimiter.create(RateLimit.builder("api").limitForPeriod(2).build(), null,
                time, metrics);
        KeyedRateLimiter keyed = KeyedRateLimiter.create(RateLimit.builder("per-user").limitForPeriod(1).shadow(true)
                .build(), Map.of(), 1_000, time, metrics);
        metrics.bindKeys(keyed);
        StaticRegistry registry = StaticRegistry.of(List.of(
                Endpoint.builder("orders", "o-1").address("h", 1).locality("r1", "a").build(),
                Endpoint.builder("orders", "o-2").address("h", 2).locality("r1", "a").build()));
        GlobalRateLimiter global = GlobalRateLimiter.start(LocalRateLimiter.create(
                RateLimit.builder("global").limitForPeriod(10).build(), null, time, metrics), registry, "orders",
                "o-1", GlobalRateLimiter.ShareMode.EVEN, 1);
        metrics.bindShare(global);

        for (int i = 0; i < 3; i++) {
            local.tryAcquire();
            keyed.tryAcquire("u" + (i % 2));
        }

        assertThat(count("api", "permitted")).isEqualTo(2);
        assertThat(count("api", "rejected")).isEqualTo(1);
        assertThat(count("per-user", "permitted")).isEqualTo(2);
        assertThat(count("per-user", "shadow-rejected")).isEqualTo(1);
        assertThat(meters.get("meshless.ratelimit.keys").tag("limit", "per-user").gauge().value()).isEqualTo(2);
        assertThat(meters.get("meshless.ratelimit.share").tag("limit", "global").gauge().value()).isEqualTo(0.5);
    }

    @Test
    void fallbacksAndTheSharedStoresAvailabilityAreMeters() {
        FakeBucketStore store = new FakeBucketStore();
        SharedBuckets buckets = SharedBuckets.builder(store).decisionTimeout(java.time.Duration.ofMillis(1))
                .time(time).build();
        metrics.bindShared(buckets);
        RateLimit limit = RateLimit.builder("exact").limitForPeriod(10).build();
        SharedRateLimiter exact = new SharedRateLimiter(buckets, "orders:exact", limit,
                LocalRateLimiter.create(limit, null, time, metrics), metrics);
        exact.decide();
        assertThat(meters.get("meshless.ratelimit.shared.available").gauge().value()).isEqualTo(1);

        store.mode(FakeBucketStore.Mode.FAILING);
        exact.decide();
        exact.decide();

        assertThat(meters.get("meshless.ratelimit.fallback").tag("limit", "exact").counter().count()).isEqualTo(2);
        assertThat(count("exact", "permitted")).isEqualTo(3);
        assertThat(meters.get("meshless.ratelimit.shared.available").gauge().value()).isZero();
    }
}
