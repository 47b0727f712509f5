package dev.meshless.spring.boot.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.ratelimit.SharedBuckets;
import dev.meshless.ratelimit.redis.testing.RedisCluster;
import dev.meshless.spring.boot.ratelimit.RateLimiters;
import dev.meshless.spring.boot.testing.RateLimitContexts;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Exact limits in a real three-node Redis Cluster on loopback, through the application's cluster
 * {@code LettuceConnectionFactory} (Bucket4j's Lettuce cluster support: each bucket is one key, on the
 * node of its slot).
 */
class RedisClusterRateLimitTest {

    static RedisCluster cluster;

    private final ApplicationContextRunner runner = RateLimitContexts.plain()
            .withConfiguration(AutoConfigurations.of(RedisRateLimitAutoConfiguration.class))
            .withPropertyValues("spring.application.name=orders", "meshless.rate-limit.limits.per-user.limit-for-period=5",
                    "meshless.rate-limit.limits.per-user.scope=per-key-global");

    @BeforeAll
    static void startCluster() throws IOException {
        cluster = RedisCluster.start(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theApplicationsClusterConnectionFactoryCountsTheLimitsInTheCluster() {
        runner.withBean(LettuceConnectionFactory.class, () -> new LettuceConnectionFactory(
                new RedisClusterConfiguration(cluster.nodes()))).run(context -> {
                    SharedBuckets buckets = context.getBean(SharedBuckets.class);
                    assertThat(buckets.describe()).startsWith("Redis Cluster [")
                            .endsWith("] (the application's Lettuce connection factory)");
                    RedisRateLimitAutoConfigurationTest.decidesInRedis(context.getBean(RateLimiters.class), buckets);
                });
    }
}
