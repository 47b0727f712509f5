package dev.meshless.spring.boot.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.spring.boot.testing.RateLimitContexts;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every configuration mistake stops startup, and the failure analysis names the full property,
 * the value and the rule.
 */
class RateLimitConfigurationValidationTest {

    private static final String API = "meshless.rate-limit.limits.api.";

    private final ApplicationContextRunner runner = RateLimitContexts.plain()
            .withBean("notAResolver", String.class, () -> "just a string");

    static Stream<Arguments> mistakes() {
        return Stream.of(
                mistake("a zero limit", API + "limit-for-period", "0", "must be at least 1",
                        API + "limit-for-period=0"),
                mistake("a negative limit", API + "limit-for-period", "-5", "must be at least 1",
                        API + "limit-for-period=-5"),
                mistake("no limit at all", API + "limit-for-period", "(none)", "is required",
                        API + "period=1s"),
                mistake("a burst above the limit", API + "burst", "20",
                        "must be between 1 and the limit for period (10)", API + "limit-for-period=10", API + "burst=20"),
                mistake("a zero burst", API + "burst", "0", "must be at least 1",
                        API + "limit-for-period=10", API + "burst=0"),
                mistake("a zero period", API + "period", "0s", "must be at least 1ms",
                        API + "limit-for-period=10", API + "period=0s"),
                mistake("a zero default period", "meshless.rate-limit.defaults.period", "0s", "must be at least 1ms",
                        API + "limit-for-period=10", "meshless.rate-limit.defaults.period=0"),
                mistake("a negative timeout", API + "timeout", "-1s", "must be zero or positive",
                        API + "limit-for-period=10", API + "timeout=-1s"),
                mistake("a negative warm-up", API + "warm-up", "-30s", "must be zero or positive",
                        API + "limit-for-period=10", API + "warm-up=-30s"),
                mistake("a cold factor of 1", API + "cold-factor", "1.0", "must be a number above 1",
                        API + "limit-for-period=10", API + "cold-factor=1"),
                mistake("a header key without a header name", API + "key.name", "(none)",
                        "is required with key.source header: the header name",
                        API + "limit-for-period=10", API + "scope=per-key", API + "key.source=header",
                        API + "routes[0].path=/api/**"),
                mistake("a per-key limit with routes but no key source", API + "key.source", "(none)",
                        "is required for a per-key limit with routes", API + "limit-for-period=10",
                        API + "scope=per-key", API + "routes[0].path=/api/**"),
                mistake("a key source on a local limit", API + "key.source", "header",
                        "applies only to scopes per-key and per-key-global, and this limit's scope is local",
                        API + "limit-for-period=10", API + "key.source=header", API + "key.name=X-User"),
                mistake("overrides on a local limit", API + "overrides", "vip",
                        "applies only to scopes per-key and per-key-global", API + "limit-for-period=10",
                        API + "overrides.vip.limit-for-period=100"),
                mistake("an override without a limit", API + "overrides.vip.limit-for-period", "(none)",
                        "is required", API + "limit-for-period=10", API + "scope=per-key",
                        API + "overrides.vip.period=1m"),
                mistake("an override whose burst exceeds its limit", API + "overrides.vip.burst", "500",
                        "must be between 1 and the limit for period (100)", API + "limit-for-period=10",
                        API + "scope=per-key", API + "overrides.vip.limit-for-period=100",
                        API + "overrides.vip.burst=500"),
                mistake("too few keys", API + "max-keys", "10", "must be at least 64",
                        API + "limit-for-period=10", API + "scope=per-key", API + "max-keys=10"),
                mistake("too few default keys", "meshless.rate-limit.defaults.max-keys", "10", "must be at least 64",
                        API + "limit-for-period=10", API + "scope=per-key", "meshless.rate-limit.defaults.max-keys=10"),
                mistake("a key bean that does not exist", API + "key.name", "noSuchBean",
                        "must name a bean implementing RateLimitKeyResolver, and the application has no bean",
                        API + "limit-for-period=10", API + "scope=per-key", API + "key.source=bean",
                        API + "key.name=noSuchBean"),
                mistake("a key bean that is no resolver", API + "key.name", "notAResolver",
                        "and that bean is a java.lang.String", API + "limit-for-period=10", API + "scope=per-key",
                        API + "key.source=bean", API + "key.name=notAResolver"),
                mistake("a path-variable key missing from the route", API + "key.name", "userId",
                        "must be a variable of every route pattern of the limit, and /api/** has none",
                        API + "limit-for-period=10", API + "scope=per-key", API + "key.source=path-variable",
                        API + "key.name=userId", API + "routes[0].path=/api/**"),
                mistake("a malformed path pattern", API + "routes[0].path", "/api/{id",
                        "must be a valid Spring path pattern", API + "limit-for-period=10",
                        API + "routes[0].path=/api/{id"),
                mistake("a double wildcard mid-pattern", API + "routes[1].path", "/a/**/b",
                        "must be a valid Spring path pattern", API + "limit-for-period=10",
                        API + "routes[0].path=/ok", API + "routes[1].path=/a/**/b"),
                mistake("a relative path", API + "routes[0].path", "api/**", "must start with '/'",
                        API + "limit-for-period=10", API + "routes[0].path=api/**"),
                mistake("an unknown HTTP method", API + "routes[0].methods[1]", "FETCH",
                        "must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE",
                        API + "limit-for-period=10", API + "routes[0].path=/api/**",
                        API + "routes[0].methods=GET,FETCH"),
                mistake("a global limit without a registry", API + "scope", "global",
                        "needs an EndpointRegistry to share the limit between the service's instances",
                        API + "limit-for-period=10", API + "scope=global", "meshless.rate-limit.instance.id=i-1",
                        "spring.application.name=orders"),
                mistake("a global scope in the defaults without a registry", "meshless.rate-limit.defaults.scope",
                        "global", "needs an EndpointRegistry", API + "limit-for-period=10",
                        "meshless.rate-limit.defaults.scope=global"),
                mistake("a default burst above the default rate", "meshless.rate-limit.defaults.burst", "50",
                        "must be between 1 and the limit for period (10)", API + "period=1s",
                        "meshless.rate-limit.defaults.limit-for-period=10", "meshless.rate-limit.defaults.burst=50"),
                mistake("a route in the defaults that does not parse", "meshless.rate-limit.defaults.routes[0].path",
                        "api/**", "must start with '/'", API + "limit-for-period=10",
                        "meshless.rate-limit.defaults.routes[0].path=api/**"),
                mistake("a per-key scope from the defaults still needs the key's name", API + "key.name", "(none)",
                        "is required with key.source header", API + "limit-for-period=10",
                        "meshless.rate-limit.defaults.scope=per-key", API + "key.source=header",
                        API + "routes[0].path=/api/**"));
    }

    private static Arguments mistake(String what, String property, String value, String rule, String... properties) {
        return Arguments.of(what, property, value, rule, properties);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMistakeStopsStartupNamingThePropertyTheValueAndTheRule(String what, String property, String value,
                                                                 String rule, String[] properties) {
        runner.withPropertyValues(properties)
                .run(context -> RateLimitContexts.assertInvalid(context, property, value, rule));
    }

    /** The key rules are the limits', not the HTTP filters': they stop start-up without Spring Web too. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("keyMistakes")
    void keyMistakesStopStartupWithoutSpringWeb(String what, String property, String value, String rule,
                                                String[] properties) {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.web", "org.springframework.http"))
                .withPropertyValues(properties)
                .run(context -> RateLimitContexts.assertInvalid(context, property, value, rule));
    }

    static Stream<Arguments> keyMistakes() {
        return Stream.of(
                mistake("a header key without a header name", API + "key.name", "(none)",
                        "is required with key.source header: the header name",
                        API + "limit-for-period=10", API + "scope=per-key", API + "key.source=header"),
                mistake("a key source on a local limit", API + "key.source", "header",
                        "applies only to scopes per-key and per-key-global, and this limit's scope is local",
                        API + "limit-for-period=10", API + "key.source=header", API + "key.name=X-User"));
    }

    @Test
    void aGlobalLimitNeedsTheServiceName() {
        runner.withBean(EndpointRegistry.class, () -> StaticRegistry.builder().build())
                .withPropertyValues(API + "limit-for-period=10", API + "scope=global",
                        "meshless.rate-limit.instance.id=i-1")
                .run(context -> RateLimitContexts.assertInvalid(context, "meshless.rate-limit.instance.service",
                        "(none)", "is required by global limit 'api'"));
    }

    @Test
    void aGlobalLimitNeedsTheInstanceId() {
        runner.withBean(EndpointRegistry.class, () -> StaticRegistry.builder().build())
                .withPropertyValues(API + "limit-for-period=10", API + "scope=global",
                        "meshless.rate-limit.instance.service=orders")
                .run(context -> RateLimitContexts.assertInvalid(context, "meshless.rate-limit.instance.id",
                        "(none)", "is required by global limit 'api': this instance's endpoint id"));
    }

    @Test
    void aGlobalLimitNeedsAtLeastOneExpectedInstance() {
        runner.withBean(EndpointRegistry.class, () -> StaticRegistry.builder().build())
                .withPropertyValues(API + "limit-for-period=10", API + "scope=global",
                        "spring.application.name=orders", "meshless.rate-limit.instance.id=i-1",
                        "meshless.rate-limit.instance.expected-instances=0")
                .run(context -> RateLimitContexts.assertInvalid(context,
                        "meshless.rate-limit.instance.expected-instances", "0", "must be at least 1"));
    }

    @Test
    void anUnknownKeySourceIsReportedBySpringsBinderWithTheProperty() {
        runner.withPropertyValues(API + "limit-for-period=10", API + "scope=per-key", API + "key.source=cookie")
                .run(context -> {
                    assertThat(context).hasFailed();
                    BindException bind = RateLimitContexts.cause(context.getStartupFailure(), BindException.class);
                    assertThat(bind.getProperty().getName().toString()).isEqualTo(API + "key.source");
                    assertThat(bind.getProperty().getValue()).isEqualTo("cookie");
                });
    }

    @Test
    void anUnknownScopeIsReportedBySpringsBinderWithTheProperty() {
        runner.withPropertyValues(API + "limit-for-period=10", API + "scope=regional").run(context -> {
            BindException bind = RateLimitContexts.cause(context.getStartupFailure(), BindException.class);
            assertThat(bind.getProperty().getName().toString()).isEqualTo(API + "scope");
        });
    }

    @Test
    void theStarterNamesThePropertyByCoresPathWithoutReadingItsWording() {
        runner.withPropertyValues(API + "limit-for-period=10", API + "scope=per-key",
                API + "overrides.vip.limit-for-period=100", API + "overrides.vip.burst=500").run(context -> {
                    InvalidMeshlessConfigurationException invalid = RateLimitContexts.cause(
                            context.getStartupFailure(), InvalidMeshlessConfigurationException.class);
                    InvalidConfigurationException core = RateLimitContexts.cause(invalid,
                            InvalidConfigurationException.class);
                    assertThat(core.path()).isEqualTo("limits[api].overrides[vip].burst");
                    assertThat(core.value()).isEqualTo(500);
                    assertThat(invalid.property()).isEqualTo(API + "overrides.vip.burst");
                    assertThat(invalid.value()).isEqualTo("500");
                    assertThat(invalid.rule()).isEqualTo(core.rule())
                            .isEqualTo("must be between 1 and the limit for period (100)");
                });
    }

    @Test
    void aMissingIdentityNamesWhatItFallsBackOn() {
        runner.withBean(EndpointRegistry.class, () -> StaticRegistry.builder().build())
                .withPropertyValues(API + "limit-for-period=10", API + "scope=global",
                        "meshless.rate-limit.instance.service=orders")
                .run(context -> assertThat(RateLimitContexts.cause(context.getStartupFailure(),
                        InvalidMeshlessConfigurationException.class).rule()).endsWith(
                        "(defaults to meshless.instance-id, which is not set either)"));
    }

    @Test
    void limitNamesThatNeedBracketsAreReportedWithThem() {
        runner.withPropertyValues("meshless.rate-limit.limits[Orders.API].limit-for-period=0").run(context ->
                RateLimitContexts.assertInvalid(context, "meshless.rate-limit.limits[Orders.API].limit-for-period",
                        "0", "must be at least 1"));
    }

}
