package dev.meshless.spring.boot.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshless.call.ServiceClient;
import dev.meshless.ratelimit.RateLimitedException;
import dev.meshless.ratelimit.SharedBuckets;
import dev.meshless.ratelimit.redis.testing.RedisServer;
import dev.meshless.ratelimit.redis.testing.RedisServerExtension;
import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A global outbound limit: the calls of two instances of 'checkout' to 'inventory' share one bucket
 * in a real Redis, and the limit refuses before any attempt once the fleet has used it.
 */
@ExtendWith(RedisServerExtension.class)
class RedisOutboundRateLimitTest {

    private static ApplicationContextRunner runner(RedisServer redis, String id) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MeshlessAutoConfiguration.class,
                        RedisRateLimitAutoConfiguration.class))
                .withPropertyValues("spring.application.name=checkout-" + redis.port(), "meshless.instance-id=" + id,
                        "meshless.locality.region=r1", "meshless.locality.zone=r1-a",
                        "meshless.registry.endpoints.inventory[0].host=10.0.0.1",
                        "meshless.registry.endpoints.inventory[0].port=8080",
                        "meshless.registry.endpoints.inventory[0].region=r1",
                        "meshless.registry.endpoints.inventory[0].zone=r1-a",
                        "meshless.rate-limit.redis.uri=" + redis.uri(),
                        "meshless.rate-limit.redis.decision-timeout=1s",
                        "meshless.services.inventory.outbound-rate-limit.scope=global",
                        "meshless.services.inventory.outbound-rate-limit.limit-for-period=3",
                        "meshless.services.inventory.outbound-rate-limit.period=1h");
    }

    private static String call(ServiceClient client) {
        return client.call(attempt -> "ok");
    }

    @Test
    void theCallsOfEveryInstanceShareOneBucket(RedisServer redis) {
        runner(redis, "a").run(a -> runner(redis, "b").run(b -> {
            ServiceClient first = connected(a);
            ServiceClient second = connected(b);

            assertThat(call(first)).isEqualTo("ok");
            assertThat(call(second)).isEqualTo("ok");
            assertThat(call(first)).isEqualTo("ok");
            assertThatThrownBy(() -> call(second)).isInstanceOfSatisfying(RateLimitedException.class,
                    e -> assertThat(e.getMessage()).contains("inventory-outbound").contains("3 per 1h"));
        }));
    }

    @Test
    void aGlobalOutboundLimitNeverWaits(RedisServer redis) {
        runner(redis, "a").withPropertyValues("meshless.services.inventory.outbound-rate-limit.timeout=10ms")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
                            "must be 0s for a global limit: its decisions never wait for a permit");
                });
    }

    /** The client, once its instance's connection to Redis is open (decisions fall back until then). */
    private static ServiceClient connected(ConfigurableApplicationContext context) {
        SharedBuckets buckets = context.getBean(SharedBuckets.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> buckets.take("probe", dev.meshless.ratelimit.RateLimit
                .builder("probe").limitForPeriod(1000).build()) != null && buckets.available());
        return context.getBean(MeshlessClients.class).client("inventory");
    }
}
