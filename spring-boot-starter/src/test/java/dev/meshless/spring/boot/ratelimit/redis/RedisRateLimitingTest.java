package dev.meshless.spring.boot.ratelimit.redis;

import static dev.meshless.spring.boot.testing.Http.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.ratelimit.SharedBuckets;
import dev.meshless.ratelimit.redis.testing.RedisServer;
import dev.meshless.ratelimit.redis.testing.RedisServerExtension;
import dev.meshless.spring.boot.ratelimit.RateLimiters;
import dev.meshless.spring.boot.ratelimit.servlet.MvcTestApplication;
import dev.meshless.spring.boot.testing.Http;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two instances of one service — two real Spring MVC servers — share exact limits in a real Redis:
 * a global limit and a per-key-global limit refuse, with the same 429, headers and problem body
 * as local limits, once the fleet has used them, whichever instance the requests reach.
 */
@ExtendWith(RedisServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // each test uses limits of its own: two servers serve them all
class RedisRateLimitingTest {

    private ConfigurableApplicationContext a;
    private ConfigurableApplicationContext b;

    @BeforeAll
    void start(RedisServer redis) {
        a = instance(redis, "orders-a");
        b = instance(redis, "orders-b");
        for (ConfigurableApplicationContext app : List.of(a, b)) {
            SharedBuckets buckets = app.getBean(SharedBuckets.class);
            // Until the instance's connection is open, decisions fall back to shares.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                app.getBean(RateLimiters.class).get("warm-up").decide(null);
                return buckets.available();
            });
        }
    }

    @AfterAll
    void stop() {
        for (ConfigurableApplicationContext app : new ConfigurableApplicationContext[] {a, b}) {
            if (app != null) {
                app.close();
            }
        }
    }

    private static ConfigurableApplicationContext instance(RedisServer redis, String id) {
        return new SpringApplicationBuilder(MvcTestApplication.class).properties(
                "server.port=0", "server.address=127.0.0.1", "meshless.instance-id=" + id,
                "spring.application.name=orders-" + redis.port(),
                "meshless.rate-limit.redis.uri=" + redis.uri(),
                "meshless.rate-limit.redis.decision-timeout=1s",
                "meshless.rate-limit.instance.expected-instances=2",
                "meshless.rate-limit.defaults.period=1h",
                "meshless.rate-limit.limits.warm-up.limit-for-period=1000",
                "meshless.rate-limit.limits.warm-up.scope=global",
                "meshless.rate-limit.limits.api.scope=global",
                "meshless.rate-limit.limits.api.limit-for-period=3",
                "meshless.rate-limit.limits.api.routes[0].path=/api/**",
                "meshless.rate-limit.limits.per-tenant.scope=per-key-global",
                "meshless.rate-limit.limits.per-tenant.limit-for-period=2",
                "meshless.rate-limit.limits.per-tenant.key.source=header",
                "meshless.rate-limit.limits.per-tenant.key.name=X-Tenant",
                "meshless.rate-limit.limits.per-tenant.overrides.vip.limit-for-period=3",
                "meshless.rate-limit.limits.per-tenant.routes[0].path=/tenant/**",
                "meshless.rate-limit.limits.per-user.scope=per-key-global",
                "meshless.rate-limit.limits.per-user.limit-for-period=1",
                "meshless.rate-limit.limits.reports.scope=global",
                "meshless.rate-limit.limits.reports.limit-for-period=1",
                "meshless.rate-limit.limits.trial.scope=global",
                "meshless.rate-limit.limits.trial.limit-for-period=1",
                "meshless.rate-limit.limits.trial.shadow=true",
                "meshless.rate-limit.limits.trial.routes[0].path=/trial").run();
    }

    private static Http http(ConfigurableApplicationContext app) {
        return new Http(((WebServerApplicationContext) app).getWebServer().getPort());
    }

    @Test
    void aGlobalLimitIsTheFleetsWhicheverInstanceServes() {
        Http first = http(a);
        Http second = http(b);

        HttpResponse<String> one = first.get("/api/items");
        HttpResponse<String> two = second.get("/api/items");
        HttpResponse<String> three = first.get("/api/items");
        HttpResponse<String> refused = second.get("/api/items");

        assertThat(List.of(one, two, three)).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(header(one, "RateLimit-Limit")).isEqualTo("3");
        assertThat(header(two, "RateLimit-Remaining")).isEqualTo("1");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(header(refused, "Retry-After"))).isBetween(1100L, 1200L);
        assertThat(header(refused, "RateLimit-Remaining")).isEqualTo("0");
        assertThat(Long.parseLong(header(refused, "RateLimit-Reset"))).isBetween(3500L, 3600L);
        assertThat(header(refused, "Content-Type")).isEqualTo("application/problem+json");
        JsonNode problem = Http.json(refused);
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("limit").asString()).isEqualTo("api");
        assertThat(problem.get("detail").asString()).startsWith("Rate limit 'api' exceeded: 3 per 1h; retry after ");
    }

    @Test
    void aPerKeyGlobalLimitCountsEachKeyAcrossTheFleetWithItsOverride() {
        Http first = http(a);
        Http second = http(b);

        assertThat(first.get("/tenant/data", "X-Tenant", "t1").statusCode()).isEqualTo(200);
        assertThat(second.get("/tenant/data", "X-Tenant", "t1").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = first.get("/tenant/data", "X-Tenant", "t1");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Http.json(refused).get("key").asString()).isEqualTo("t1");
        assertThat(second.get("/tenant/data", "X-Tenant", "t2").statusCode()).as("another key").isEqualTo(200);

        for (int i = 0; i < 3; i++) {
            assertThat((i % 2 == 0 ? first : second).get("/tenant/data", "X-Tenant", "vip").statusCode())
                    .isEqualTo(200);
        }
        assertThat(first.get("/tenant/data", "X-Tenant", "vip").statusCode()).isEqualTo(429);
    }

    @Test
    void rateLimitedMethodsUseThePerKeyGlobalLimitOfTheFleet() {
        assertThat(http(a).get("/annotated/u1").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = http(b).get("/annotated/u1");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(header(refused, "Retry-After")).isNotNull();
        assertThat(http(b).get("/annotated/u2").statusCode()).isEqualTo(200);
    }

    @Test
    void aShadowGlobalLimitLetsEverythingThrough() {
        assertThat(http(a).get("/trial").statusCode()).isEqualTo(200);
        assertThat(http(b).get("/trial").statusCode()).isEqualTo(200);
        assertThat(http(a).get("/trial").statusCode()).isEqualTo(200);
    }

    @Test
    void healthSaysTheLimitsAreExact() {
        var health = a.getBean(RedisRateLimitHealthIndicator.class).health();

        assertThat(health.getStatus().getCode()).isEqualTo("UP");
        assertThat(health.getDetails()).containsEntry("exact", true).containsEntry("degraded", false)
                .containsKey("redis");
    }
}
