package dev.meshless.spring.boot.ratelimit.redis;

import static dev.meshless.spring.boot.testing.RateLimitContexts.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.ratelimit.InboundRateLimit;
import dev.meshless.ratelimit.SharedBuckets;
import dev.meshless.ratelimit.SharedKeyedRateLimiter;
import dev.meshless.ratelimit.redis.testing.RedisServer;
import dev.meshless.ratelimit.redis.testing.RedisServerExtension;
import dev.meshless.spring.boot.ratelimit.RateLimiters;
import dev.meshless.spring.boot.testing.RateLimitContexts;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Where exact limits find Redis, and when they do not exist. */
@ExtendWith(RedisServerExtension.class)
class RedisRateLimitAutoConfigurationTest {

    private static final String PER_KEY_GLOBAL = "meshless.rate-limit.limits.per-user.scope=per-key-global";

    private final ApplicationContextRunner runner = RateLimitContexts.plain()
            .withConfiguration(AutoConfigurations.of(RedisRateLimitAutoConfiguration.class,
                    RedisRateLimitHealthAutoConfiguration.class))
            .withPropertyValues("spring.application.name=orders", "meshless.rate-limit.limits.per-user.limit-for-period=5",
                    PER_KEY_GLOBAL);

    /** An application that uses Spring Data Redis with Lettuce, as Spring Boot would configure it. */
    @Configuration(proxyBeanMethods = false)
    static class SpringDataRedis {
        static int port;

        @Bean
        LettuceConnectionFactory redisConnectionFactory() {
            return new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
        }
    }

    static void decidesInRedis(RateLimiters limiters, SharedBuckets buckets) {
        InboundRateLimit perUser = limiters.get("per-user");
        assertThat(perUser.perKeyLimiter()).get().isInstanceOf(SharedKeyedRateLimiter.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            perUser.decide("alice");
            return buckets.available();
        });
        assertThat(perUser.decide("bob").remaining()).as("bob's own bucket in Redis").isEqualTo(4);
    }

    @Test
    void theApplicationsLettuceConnectionFactoryIsReusedWhenNoUriIsSet(RedisServer redis) {
        SpringDataRedis.port = redis.port();
        runner.withUserConfiguration(SpringDataRedis.class).run(context -> {
            SharedBuckets buckets = context.getBean(SharedBuckets.class);
            assertThat(buckets.describe()).isEqualTo("redis://127.0.0.1:" + redis.port()
                    + " (the application's Lettuce connection factory)");
            decidesInRedis(context.getBean(RateLimiters.class), buckets);
            assertThat(context).hasSingleBean(RedisRateLimitHealthIndicator.class);
        });
    }

    @Test
    void aUriGivesMeshlessAClientOfItsOwnEvenBesideTheApplicationsFactory(RedisServer redis) {
        SpringDataRedis.port = 1; // never used
        runner.withUserConfiguration(SpringDataRedis.class)
                .withPropertyValues("meshless.rate-limit.redis.uri=" + redis.uri()).run(context -> {
                    SharedBuckets buckets = context.getBean(SharedBuckets.class);
                    assertThat(buckets.describe()).isEqualTo(redis.uri());
                    decidesInRedis(context.getBean(RateLimiters.class), buckets);
                });
    }

    @Test
    void withoutRedisAPerKeyGlobalLimitCannotStart() {
        runner.run(context -> assertInvalid(context, "meshless.rate-limit.limits.per-user.scope", "per-key-global",
                "needs a shared store (Redis: add meshless-ratelimit-redis and configure it)"));
    }

    @Test
    void redisCanBeSwitchedOff(RedisServer redis) {
        runner.withPropertyValues("meshless.rate-limit.redis.uri=" + redis.uri(),
                "meshless.rate-limit.redis.enabled=false", "meshless.rate-limit.limits.per-user.scope=per-key")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SharedBuckets.class));
    }

    @Test
    void badSettingsAreNamedByTheirProperties(RedisServer redis) {
        runner.withPropertyValues("meshless.rate-limit.redis.uri=" + redis.uri(),
                "meshless.rate-limit.redis.decision-timeout=5s").run(context -> assertInvalid(context,
                "meshless.rate-limit.redis.decision-timeout", "5s", "must be between"));
        runner.withPropertyValues("meshless.rate-limit.redis.uri=http://nowhere").run(context -> assertInvalid(
                context, "meshless.rate-limit.redis.uri", "(hidden: it may hold credentials)",
                "must be a Redis URI"));
    }
}
