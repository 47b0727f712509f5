package dev.meshless.spring.boot.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.ratelimit.RateLimitMetrics;
import dev.meshless.ratelimit.SharedBuckets;
import dev.meshless.ratelimit.SharedKeyedRateLimiter;
import dev.meshless.ratelimit.redis.testing.RedisServer;
import dev.meshless.ratelimit.redis.testing.RedisServerExtension;
import dev.meshless.spring.boot.ratelimit.RateLimiters;
import dev.meshless.spring.boot.ratelimit.reactive.WebFluxTestApplication;
import dev.meshless.spring.boot.testing.Http;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A WebFlux application whose per-key limit is counted in a real Redis: the limit refuses as a local
 * one does, and every decision — which may wait for Redis — is taken off the event loop.
 */
@ExtendWith(RedisServerExtension.class)
class RedisReactiveRateLimitingTest {

    /** Records the thread of every decision. */
    @Configuration(proxyBeanMethods = false)
    static class DecisionThreads {
        static final List<String> THREADS = new CopyOnWriteArrayList<>();

        @Bean
        RateLimitMetrics threadRecordingMetrics() {
            return new RateLimitMetrics() {
                @Override
                public void permitted(String limit) {
                    THREADS.add(Thread.currentThread().getName());
                }

                @Override
                public void rejected(String limit) {
                    THREADS.add(Thread.currentThread().getName());
                }
            };
        }
    }

    @Test
    void aPerKeyGlobalLimitIsDecidedOffTheEventLoop(RedisServer redis) {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(WebFluxTestApplication.class,
                DecisionThreads.class).profiles("ratelimit-webflux").run("--server.port=0",
                "--spring.application.name=orders-reactive-" + redis.port(), "--meshless.instance-id=a",
                "--meshless.rate-limit.redis.uri=" + redis.uri(),
                "--meshless.rate-limit.redis.decision-timeout=1s",
                // over the profile's per-key
                "--meshless.rate-limit.limits.per-user.scope=per-key-global")) {
            SharedBuckets buckets = app.getBean(SharedBuckets.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                app.getBean(RateLimiters.class).get("per-user").decide("warm-up");
                return buckets.available();
            });
            DecisionThreads.THREADS.clear();
            assertThat(app.getBean(RateLimiters.class).get("per-user").perKeyLimiter()).get()
                    .isInstanceOf(SharedKeyedRateLimiter.class);
            Http http = new Http(((WebServerApplicationContext) app).getWebServer().getPort());

            assertThat(http.get("/users/u1/orders").statusCode()).isEqualTo(200);
            assertThat(http.get("/users/u1/orders").statusCode()).isEqualTo(200);
            assertThat(http.get("/users/u1/orders").statusCode()).isEqualTo(429);
            assertThat(http.get("/users/u2/orders").statusCode()).isEqualTo(200);

            assertThat(buckets.fallbacks()).as("decided by Redis").isZero();
            assertThat(DecisionThreads.THREADS).hasSize(4).noneMatch(t -> t.startsWith("reactor-http"));
        }
    }
}
