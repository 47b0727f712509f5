package dev.meshless.spring.boot.ratelimit.redis;

import dev.meshless.ratelimit.SharedBuckets;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The health indicator {@code meshlessRateLimitRedis} of exact limits, when Spring Boot's health
 * support is on the class path and {@link RedisRateLimitAutoConfiguration} made a store.
 */
@AutoConfiguration(after = RedisRateLimitAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(SharedBuckets.class)
public class RedisRateLimitHealthAutoConfiguration {

    /** Created by Spring. */
    public RedisRateLimitHealthAutoConfiguration() {
    }

    /**
     * @param buckets the limits' store
     * @return the health indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "meshlessRateLimitRedisHealthIndicator")
    RedisRateLimitHealthIndicator meshlessRateLimitRedisHealthIndicator(SharedBuckets buckets) {
        return new RedisRateLimitHealthIndicator(buckets);
    }
}
