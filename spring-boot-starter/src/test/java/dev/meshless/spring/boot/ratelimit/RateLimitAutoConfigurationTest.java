package dev.meshless.spring.boot.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.micrometer.MicrometerRateLimitMetrics;
import dev.meshless.ratelimit.GlobalRateLimiter;
import dev.meshless.ratelimit.InboundRateLimit;
import dev.meshless.ratelimit.LocalRateLimiter;
import dev.meshless.ratelimit.RateLimit;
import dev.meshless.ratelimit.RateLimitMetrics;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.spring.boot.MeshlessInstance;
import dev.meshless.spring.boot.ratelimit.aspect.RateLimitedAspect;
import dev.meshless.spring.boot.ratelimit.aspect.RateLimitedMethodValidator;
import dev.meshless.spring.boot.ratelimit.reactive.RateLimitWebFilter;
import dev.meshless.spring.boot.ratelimit.reactive.ReactiveRateLimitExceptionHandler;
import dev.meshless.spring.boot.ratelimit.servlet.RateLimitServletFilter;
import dev.meshless.spring.boot.ratelimit.servlet.ServletRateLimitExceptionHandler;
import dev.meshless.spring.boot.testing.RateLimitContexts;
import dev.meshless.testing.FakeTime;
import dev.meshless.time.TimeSource;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.aspectj.lang.annotation.Aspect;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Which beans the rate-limit auto-configurations create, and when they back off. */
class RateLimitAutoConfigurationTest {

    private static final String[] ONE_ROUTED_LIMIT = {
        "meshless.rate-limit.limits.api.limit-for-period=10",
        "meshless.rate-limit.limits.api.routes[0].path=/api/**"};

    @Test
    void aPlainApplicationGetsTheLimitersAndTheAspectButNoHttpFilter() {
        RateLimitContexts.plain().withPropertyValues(ONE_ROUTED_LIMIT).run(context -> {
            assertThat(context).hasSingleBean(RateLimiters.class).hasSingleBean(RateLimitRoutes.class)
                    .hasSingleBean(RateLimitedAspect.class).hasSingleBean(RateLimitedMethodValidator.class)
                    .doesNotHaveBean(RateLimitServletFilter.class).doesNotHaveBean(RateLimitWebFilter.class)
                    .doesNotHaveBean(ServletRateLimitExceptionHandler.class)
                    .doesNotHaveBean(ReactiveRateLimitExceptionHandler.class);
            assertThat(context.getBean(RateLimiters.class).get("api").limiter()).get()
                    .isInstanceOf(LocalRateLimiter.class);
        });
    }

    @Test
    void aServletApplicationGetsTheServletFilterAndHandlerOnly() {
        RateLimitContexts.servlet().withPropertyValues(ONE_ROUTED_LIMIT).run(context -> {
            assertThat(context).hasSingleBean(RateLimitServletFilter.class)
                    .hasSingleBean(ServletRateLimitExceptionHandler.class)
                    .doesNotHaveBean(RateLimitWebFilter.class).doesNotHaveBean(ReactiveRateLimitExceptionHandler.class);
            assertThat(context.getBean(RateLimitServletFilter.class).getOrder()).isZero();
        });
    }

    @Test
    void aReactiveApplicationGetsTheWebFilterAndHandlerOnly() {
        RateLimitContexts.reactive().withPropertyValues(ONE_ROUTED_LIMIT)
                .withPropertyValues("meshless.rate-limit.filter-order=-50").run(context -> {
                    assertThat(context).hasSingleBean(RateLimitWebFilter.class)
                            .hasSingleBean(ReactiveRateLimitExceptionHandler.class)
                            .doesNotHaveBean(RateLimitServletFilter.class)
                            .doesNotHaveBean(ServletRateLimitExceptionHandler.class);
                    assertThat(context.getBean(RateLimitWebFilter.class).getOrder()).isEqualTo(-50);
                });
    }

    @Test
    void withoutSpringMvcTheServletFilterStaysButTheMvcHandlerGoes() {
        RateLimitContexts.servlet().withPropertyValues(ONE_ROUTED_LIMIT)
                .withClassLoader(new FilteredClassLoader("org.springframework.web.servlet.")).run(context ->
                        assertThat(context).hasSingleBean(RateLimitServletFilter.class)
                                .doesNotHaveBean(ServletRateLimitExceptionHandler.class));
    }

    @Test
    void disabledMeansNoRateLimitingBeanAtAll() {
        RateLimitContexts.servlet().withPropertyValues(ONE_ROUTED_LIMIT)
                .withPropertyValues("meshless.rate-limit.enabled=false").run(context ->
                        assertThat(context).hasNotFailed().doesNotHaveBean(RateLimiters.class)
                                .doesNotHaveBean(RateLimitProperties.class).doesNotHaveBean(RateLimitRoutes.class)
                                .doesNotHaveBean(RateLimitServletFilter.class)
                                .doesNotHaveBean(ServletRateLimitExceptionHandler.class)
                                .doesNotHaveBean(RateLimitedAspect.class)
                                .doesNotHaveBean(RateLimitedMethodValidator.class));
        RateLimitContexts.reactive().withPropertyValues(ONE_ROUTED_LIMIT)
                .withPropertyValues("meshless.rate-limit.enabled=false").run(context ->
                        assertThat(context).hasNotFailed().doesNotHaveBean(RateLimiters.class)
                                .doesNotHaveBean(RateLimitWebFilter.class));
    }

    @Test
    void theAspectNeedsAspectJOnTheClassPath() {
        RateLimitContexts.servlet().withPropertyValues(ONE_ROUTED_LIMIT)
                .withClassLoader(new FilteredClassLoader(Aspect.class)).run(context ->
                        assertThat(context).hasSingleBean(RateLimiters.class)
                                .hasSingleBean(RateLimitServletFilter.class)
                                .doesNotHaveBean(RateLimitedAspect.class)
                                .doesNotHaveBean(RateLimitedMethodValidator.class));
    }

    @Test
    void withoutSpringWebThereAreLimitersButNoRoutes() {
        RateLimitContexts.plain().withPropertyValues(ONE_ROUTED_LIMIT)
                .withClassLoader(new FilteredClassLoader("org.springframework.web.")).run(context ->
                        assertThat(context).hasSingleBean(RateLimiters.class).doesNotHaveBean(RateLimitRoutes.class));
    }

    @Test
    void everyBeanBacksOffWhenTheApplicationDeclaresItsOwn() {
        RateLimitContexts.servlet().withPropertyValues(ONE_ROUTED_LIMIT).withUserConfiguration(OwnBeans.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(RateLimiters.class).hasSingleBean(RateLimitRoutes.class)
                            .hasSingleBean(RateLimitServletFilter.class)
                            .hasSingleBean(ServletRateLimitExceptionHandler.class)
                            .hasSingleBean(RateLimitedAspect.class).hasSingleBean(RateLimitMetrics.class);
                    assertThat(context.getBean(RateLimiters.class)).isSameAs(OwnBeans.LIMITERS);
                    assertThat(context.getBean(RateLimitServletFilter.class).getOrder()).isEqualTo(7);
                    assertThat(context.getBean(ServletRateLimitExceptionHandler.class))
                            .isInstanceOf(RateLimitServletExceptionHandlerProbe.class);
                    assertThat(context.getBean(RateLimitedAspect.class).getOrder()).isEqualTo(8);
                    assertThat(context.getBean(RateLimitMetrics.class)).isSameAs(RateLimitMetrics.NOOP);
                });
        RateLimitContexts.reactive().withPropertyValues(ONE_ROUTED_LIMIT).withUserConfiguration(OwnReactiveBeans.class)
                .run(context -> {
                    assertThat(context.getBean(RateLimitWebFilter.class).getOrder()).isEqualTo(9);
                    assertThat(context.getBean(RateLimitRoutes.class).isEmpty()).isTrue();
                });
    }

    @Test
    void limitsShareTheApplicationsResilience4jRegistry() {
        RateLimitContexts.plain().withPropertyValues(ONE_ROUTED_LIMIT)
                .withBean(RateLimiterRegistry.class, RateLimiterRegistry::ofDefaults).run(context ->
                        assertThat(context.getBean(RateLimiterRegistry.class).find("api")).isPresent());
    }

    @Test
    void withAMeterRegistryDecisionsAndTrackedKeysBecomeMeters() {
        RateLimitContexts.plain()
                .withPropertyValues("meshless.rate-limit.limits.per-user.limit-for-period=5",
                        "meshless.rate-limit.limits.per-user.scope=per-key")
                .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
                    assertThat(context.getBean(RateLimitMetrics.class)).isInstanceOf(MicrometerRateLimitMetrics.class);
                    InboundRateLimit limit = context.getBean(RateLimiters.class).get("per-user");
                    limit.decide("alice");
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("meshless.ratelimit.requests").tags("limit", "per-user", "outcome",
                            "permitted").counter().count()).isEqualTo(1.0);
                    assertThat(meters.get("meshless.ratelimit.keys").tag("limit", "per-user").gauge().value())
                            .isEqualTo(1.0);
                });
    }

    @Test
    void withoutMicrometerOrAMeterRegistryNothingIsRecorded() {
        RateLimitContexts.plain().withPropertyValues(ONE_ROUTED_LIMIT).run(context ->
                assertThat(context.getBean(RateLimitMetrics.class)).isSameAs(RateLimitMetrics.NOOP));
        RateLimitContexts.plain().withPropertyValues(ONE_ROUTED_LIMIT)
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context ->
                        assertThat(context).hasSingleBean(RateLimiters.class).doesNotHaveBean(RateLimitMetrics.class));
    }

    @Test
    void aGlobalLimitFollowsTheRegistryAndStopsWithTheContext() {
        StaticRegistry registry = StaticRegistry.of(List.of(instance("orders-1"), instance("orders-2"),
                instance("orders-3"), instance("orders-4")));
        RateLimitContexts.plain()
                .withPropertyValues("spring.application.name=orders", "meshless.rate-limit.instance.id=orders-1",
                        "meshless.rate-limit.limits.all.limit-for-period=100",
                        "meshless.rate-limit.limits.all.scope=global")
                .withBean(EndpointRegistry.class, () -> registry)
                .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
                    InboundRateLimit limit = context.getBean(RateLimiters.class).get("all");
                    assertThat(limit.limiter()).get().isInstanceOf(GlobalRateLimiter.class);
                    GlobalRateLimiter global = (GlobalRateLimiter) limit.limiter().orElseThrow();
                    assertThat(global.share()).isEqualTo(0.25);
                    assertThat(limit.limit(null).limitForPeriod()).isEqualTo(25);
                    assertThat(limit.service()).isEqualTo("orders");
                    assertThat(context.getBean(MeterRegistry.class).get("meshless.ratelimit.share")
                            .tag("limit", "all").gauge().value()).isEqualTo(0.25);
                    context.close();
                    registry.replace("orders", List.of(instance("orders-1"), instance("orders-2")));
                    assertThat(global.share()).as("closed: no longer follows the registry").isEqualTo(0.25);
                });
    }

    @Test
    void aGlobalLimitTakesThisInstancesIdentityFromMeshlessWhenItsOwnIsNotSet() {
        StaticRegistry registry = StaticRegistry.of(List.of(instance("orders-1"), instance("orders-2")));
        RateLimitContexts.plain()
                .withPropertyValues("meshless.rate-limit.limits.all.limit-for-period=100",
                        "meshless.rate-limit.limits.all.scope=global")
                .withBean(EndpointRegistry.class, () -> registry)
                .withBean(MeshlessInstance.class, () -> new MeshlessInstance("orders", "orders-1",
                        Locality.of("r1", "r1-a")))
                .run(context -> {
                    InboundRateLimit limit = context.getBean(RateLimiters.class).get("all");
                    assertThat(limit.service()).isEqualTo("orders");
                    assertThat(((GlobalRateLimiter) limit.limiter().orElseThrow()).share()).isEqualTo(0.5);
                });
    }

    @Test
    void aTimeSourceBeanDrivesTheLimiters() {
        FakeTime time = new FakeTime();
        RateLimitContexts.plain().withPropertyValues("meshless.rate-limit.limits.api.limit-for-period=1",
                        "meshless.rate-limit.limits.api.period=1s", "meshless.rate-limit.limits.api.routes[0].path=/api/**")
                .withBean(TimeSource.class, () -> time).run(context -> {
                    InboundRateLimit api = context.getBean(RateLimiters.class).get("api");
                    assertThat(api.decide(null).permitted()).isTrue();
                    assertThat(api.decide(null).permitted()).as("the period's one permit is spent").isFalse();

                    time.advance(Duration.ofSeconds(1));

                    assertThat(api.decide(null).permitted()).as("a new period on the bean's clock").isTrue();
                });
    }

    private static Endpoint instance(String id) {
        return Endpoint.builder("orders", id).address("10.0.0." + id.charAt(id.length() - 1), 8080)
                .locality("r1", "z1").build();
    }

    /** A marker that the user's own exception handler bean is the one in the context. */
    static final class RateLimitServletExceptionHandlerProbe extends ServletRateLimitExceptionHandler {
        RateLimitServletExceptionHandlerProbe() {
            super(URI.create("about:blank"));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final RateLimiters LIMITERS = RateLimiters.of(List.of(InboundRateLimit.of("svc",
                LocalRateLimiter.create(RateLimit.builder("api").limitForPeriod(1).build(), null, TimeSource.system(),
                        RateLimitMetrics.NOOP))));

        @Bean
        RateLimiters ownLimiters() {
            return LIMITERS;
        }

        @Bean
        RateLimitServletFilter ownFilter(RateLimitRoutes routes) {
            return new RateLimitServletFilter(routes, URI.create("about:blank"), 7);
        }

        @Bean
        RateLimitServletExceptionHandlerProbe ownHandler() {
            return new RateLimitServletExceptionHandlerProbe();
        }

        @Bean
        RateLimitedAspect ownAspect(RateLimiters limiters) {
            return new RateLimitedAspect(limiters, null, 8);
        }

        @Bean
        RateLimitMetrics ownMetrics() {
            return RateLimitMetrics.NOOP;
        }

        @Bean
        SimpleMeterRegistry meters() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnReactiveBeans {
        @Bean
        RateLimitRoutes ownRoutes(RateLimiters limiters, ListableBeanFactory beanFactory) {
            return RateLimitRoutes.compile(new RateLimitProperties(), limiters, beanFactory);
        }

        @Bean
        RateLimitWebFilter ownWebFilter(RateLimitRoutes routes) {
            return new RateLimitWebFilter(routes, URI.create("about:blank"), 9);
        }
    }
}
