package dev.meshless.spring.boot.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.ratelimit.GlobalRateLimiter;
import dev.meshless.ratelimit.GlobalRateLimiter.ShareMode;
import dev.meshless.ratelimit.InboundRateLimit;
import dev.meshless.ratelimit.KeyedRateLimiter;
import dev.meshless.ratelimit.LocalRateLimiter;
import dev.meshless.ratelimit.RateLimit;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.ratelimit.InboundRateLimitSpec.Scope;
import dev.meshless.spring.boot.ratelimit.HttpRateLimitSpec.KeySource;
import dev.meshless.spring.boot.testing.RateLimitContexts;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The documented YAML binds to core's specifications and builds the limits it describes. */
class RateLimitPropertiesBindingTest {

    private final ApplicationContextRunner documentedExample = RateLimitContexts.plain()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withPropertyValues("spring.config.location=classpath:ratelimit-example.yml")
            .withBean(EndpointRegistry.class, () -> StaticRegistry.builder().build());

    @Test
    void theDocumentedExampleBindsEveryProperty() {
        documentedExample.run(context -> {
            RateLimitProperties properties = context.getBean(RateLimitProperties.class);
            assertThat(properties.isEnabled()).isTrue();
            assertThat(properties.isShadow()).isFalse();
            assertThat(properties.getProblemType()).isEqualTo(URI.create("about:blank"));
            assertThat(properties.getInstance().getId()).isEqualTo("orders-1");
            assertThat(properties.getInstance().getExpectedInstances()).isEqualTo(3);
            assertThat(properties.getDefaults().getPeriod()).isEqualTo(Duration.ofSeconds(1));
            assertThat(properties.getDefaults().getMaxKeys()).isEqualTo(100_000);
            assertThat(properties.getLimits()).containsOnlyKeys("api", "per-tenant", "per-user", "checkout",
                    "reports");

            HttpRateLimitSpec api = properties.getLimits().get("api");
            assertThat(api.getLimitForPeriod()).isEqualTo(1000);
            assertThat(api.getBurst()).isEqualTo(100);
            assertThat(api.getWarmUp()).isEqualTo(Duration.ofSeconds(30));
            assertThat(api.getColdFactor()).isEqualTo(3.0);
            assertThat(api.getScope()).as("not set").isNull();
            assertThat(api.scopeInForce()).isEqualTo(Scope.LOCAL);
            assertThat(api.getRoutes()).singleElement().satisfies(route -> {
                assertThat(route.getPath()).isEqualTo("/api/**");
                assertThat(route.getMethods()).containsExactly("GET", "POST");
            });

            HttpRateLimitSpec tenant = properties.getLimits().get("per-tenant");
            assertThat(tenant.getScope()).isEqualTo(Scope.PER_KEY);
            assertThat(tenant.getKey().getSource()).isEqualTo(KeySource.HEADER);
            assertThat(tenant.getKey().getName()).isEqualTo("X-Tenant-Id");
            assertThat(tenant.getOverrides().get("vip-tenant").getLimitForPeriod()).isEqualTo(500);
            assertThat(tenant.getOverrides().get("vip-tenant").getBurst()).isEqualTo(100);
            assertThat(tenant.getMaxKeys()).isEqualTo(50_000);
            assertThat(properties.getLimits().get("per-user").getKey().getSource()).isEqualTo(KeySource.PATH_VARIABLE);
            assertThat(properties.getLimits().get("checkout").getShare()).isEqualTo(ShareMode.WEIGHTED);
        });
    }

    @Test
    void theDocumentedExampleBuildsTheLimitsItDescribes() {
        documentedExample.run(context -> {
            RateLimiters limiters = context.getBean(RateLimiters.class);
            assertThat(limiters.names()).containsExactly("api", "per-tenant", "per-user", "checkout", "reports");

            assertThat(limiters.get("api").limiter()).get().isInstanceOf(LocalRateLimiter.class);
            RateLimit api = limiters.get("api").limit(null);
            assertThat(api.limitForPeriod()).isEqualTo(1000);
            assertThat(api.period()).isEqualTo(Duration.ofSeconds(1));
            assertThat(api.burst()).isEqualTo(100);
            assertThat(api.warmUp()).isEqualTo(Duration.ofSeconds(30));
            assertThat(api.timeout()).isZero();

            KeyedRateLimiter tenant = limiters.get("per-tenant").keyedLimiter().orElseThrow();
            assertThat(tenant.limitFor("acme").limitForPeriod()).isEqualTo(50);
            assertThat(tenant.limitFor("vip-tenant").limitForPeriod()).isEqualTo(500);
            assertThat(tenant.limitFor("vip-tenant").burst()).isEqualTo(100);
            assertThat(limiters.get("per-user").limit("bob").period()).isEqualTo(Duration.ofMinutes(1));

            InboundRateLimit checkout = limiters.get("checkout");
            assertThat(checkout.limiter()).get().isInstanceOf(GlobalRateLimiter.class);
            assertThat(((GlobalRateLimiter) checkout.limiter().orElseThrow()).share()).isEqualTo(1.0 / 3);
            assertThat(checkout.service()).isEqualTo("orders");

            assertThat(limiters.get("reports").limit(null).shadow()).isTrue();
            assertThat(limiters.get("api").limit(null).shadow()).isFalse();

            RateLimitRoutes routes = context.getBean(RateLimitRoutes.class);
            assertThat(routes.size()).as("reports has no routes").isEqualTo(4);
        });
    }

    @Test
    void theGlobalShadowSwitchPutsEveryLimitInShadowMode() {
        documentedExample.withPropertyValues("meshless.rate-limit.shadow=true").run(context -> {
            RateLimiters limiters = context.getBean(RateLimiters.class);
            for (InboundRateLimit limit : limiters.all()) {
                assertThat(limit.limit("someone").shadow()).as(limit.name()).isTrue();
            }
            assertThat(limiters.get("per-tenant").limit("vip-tenant").shadow()).isTrue();
        });
    }

    @Test
    void anOverrideWithoutABurstMayUseItsWholeLimitAtOnceAndKeepsTheLimitsPeriod() {
        RateLimitContexts.plain().withPropertyValues(
                "meshless.rate-limit.limits.per-key.scope=per-key",
                "meshless.rate-limit.limits.per-key.limit-for-period=10",
                "meshless.rate-limit.limits.per-key.burst=2",
                "meshless.rate-limit.limits.per-key.period=1m",
                "meshless.rate-limit.limits.per-key.overrides.big.limit-for-period=1000").run(context -> {
                    RateLimit big = context.getBean(RateLimiters.class).get("per-key").limit("big");
                    assertThat(big.limitForPeriod()).isEqualTo(1000);
                    assertThat(big.burst()).isEqualTo(1000);
                    assertThat(big.period()).isEqualTo(Duration.ofMinutes(1));
                });
    }

    @Test
    void routeMethodsAreCaseInsensitive() {
        RateLimitContexts.plain().withPropertyValues(
                "meshless.rate-limit.limits.api.limit-for-period=10",
                "meshless.rate-limit.limits.api.routes[0].path=/api/**",
                "meshless.rate-limit.limits.api.routes[0].methods=get,Post").run(context ->
                assertThat(context.getBean(RateLimitRoutes.class).rule(0).toString())
                        .isEqualTo("api on [/api/** GET|POST]"));
    }

    @Test
    void theServiceInRejectionsDefaultsToTheApplicationName() {
        RateLimitContexts.plain().withPropertyValues("meshless.rate-limit.limits.api.limit-for-period=1")
                .run(context -> assertThat(context.getBean(RateLimiters.class).get("api").service())
                        .isEqualTo("application"));
        RateLimitContexts.plain().withPropertyValues("meshless.rate-limit.limits.api.limit-for-period=1",
                "spring.application.name=orders", "meshless.rate-limit.instance.service=orders-api")
                .run(context -> assertThat(context.getBean(RateLimiters.class).get("api").service())
                        .isEqualTo("orders-api"));
    }

    @Test
    void configurationMetadataDescribesEveryTopLevelProperty() throws Exception {
        String metadata = new String(getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        for (String property : List.of("enabled", "shadow", "filter-order", "aspect-order", "problem-type",
                "instance.service", "instance.id", "instance.expected-instances", "defaults.period",
                "defaults.timeout", "defaults.max-keys", "limits")) {
            assertThat(metadata).contains("\"name\": \"meshless.rate-limit." + property + "\"");
        }
        assertThat(metadata).doesNotContain("\"description\": \"\"");
    }
}
