package dev.meshless.spring.boot.ratelimit.redis;

import dev.meshless.ratelimit.SharedBuckets;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether exact rate limits are exact right now. Always {@code UP} — while Redis is unavailable
 * every limit still decides, on this instance's share, so there is nothing to restart — with
 * {@code exact: false}, {@code degraded: true}, since when and why, as the Meshless indicator
 * reports a degraded registry. {@code fallbacks} counts decisions taken on shares since start.
 */
public class RedisRateLimitHealthIndicator implements HealthIndicator {

    private final SharedBuckets buckets;

    /** @param buckets the limits' store */
    public RedisRateLimitHealthIndicator(SharedBuckets buckets) {
        this.buckets = Objects.requireNonNull(buckets, "buckets");
    }

    @Override
    public Health health() {
        boolean exact = buckets.available();
        Health.Builder health = Health.up().withDetail("redis", buckets.describe()).withDetail("exact", exact)
                .withDetail("degraded", !exact).withDetail("fallbacks", buckets.fallbacks())
                .withDetail("decisionTimeout", buckets.decisionTimeout().toString());
        if (!exact) {
            health.withDetail("unavailableSince", String.valueOf(buckets.unavailableSince()))
                    .withDetail("lastFailure", String.valueOf(buckets.lastFailure()));
        }
        return health.build();
    }
}
