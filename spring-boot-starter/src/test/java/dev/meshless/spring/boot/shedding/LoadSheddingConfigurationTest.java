package dev.meshless.spring.boot.shedding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.testing.RateLimitContexts;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** When load shedding is on, and every configuration mistake stopping start-up with the property and value. */
class LoadSheddingConfigurationTest {

    private static final String P = "meshless.load-shedding.";
    private static final AutoConfigurations SHEDDING = AutoConfigurations.of(LoadSheddingAutoConfiguration.class);

    private final WebApplicationContextRunner servlet = new WebApplicationContextRunner().withConfiguration(SHEDDING);

    @Test
    void itIsOffUnlessEnabled() {
        servlet.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LoadShedder.class)
                .doesNotHaveBean(LoadSheddingServletFilter.class));
    }

    @Test
    void enabledItAddsTheFilterOfTheApplicationsWebStack() {
        servlet.withPropertyValues(P + "enabled=true").run(context -> assertThat(context)
                .hasSingleBean(LoadSheddingServletFilter.class).doesNotHaveBean(LoadSheddingWebFilter.class));
        new ReactiveWebApplicationContextRunner().withConfiguration(SHEDDING).withPropertyValues(P + "enabled=true")
                .run(context -> assertThat(context).hasSingleBean(LoadSheddingWebFilter.class)
                        .doesNotHaveBean(LoadSheddingServletFilter.class));
        new ApplicationContextRunner().withConfiguration(SHEDDING).withPropertyValues(P + "enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(LoadShedder.class));
    }

    @Test
    void meshlessEnabledFalseTurnsItOffToo() {
        servlet.withPropertyValues(P + "enabled=true", "meshless.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(LoadShedder.class));
    }

    @Test
    void thePropertiesDefaultsAreTheBuilders() {
        LoadSheddingProperties defaults = new LoadSheddingProperties();
        assertThat(defaults.getAlgorithm()).isEqualTo(LoadShedder.Builder.DEFAULT_ALGORITHM);
        assertThat(defaults.getInitialLimit()).isEqualTo(LoadShedder.Builder.DEFAULT_INITIAL_LIMIT);
        assertThat(defaults.getMinLimit()).isEqualTo(LoadShedder.Builder.DEFAULT_MIN_LIMIT);
        assertThat(defaults.getMaxLimit()).isEqualTo(LoadShedder.Builder.DEFAULT_MAX_LIMIT);
        assertThat(defaults.isEnabled()).isFalse();
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("a minimum above the maximum", P + "min-limit", "50",
                        "must be at most the max limit (20)",
                        new String[] {P + "min-limit=50", P + "max-limit=20", P + "initial-limit=30"}),
                Arguments.of("an initial limit above the maximum", P + "initial-limit", "500",
                        "must be between the min limit (10) and the max limit (200)",
                        new String[] {P + "initial-limit=500"}),
                Arguments.of("a zero minimum", P + "min-limit", "0", "must be at least 1",
                        new String[] {P + "min-limit=0"}),
                Arguments.of("a zero Retry-After", P + "retry-after", "0s", "must be positive",
                        new String[] {P + "retry-after=0s"}),
                Arguments.of("a malformed path pattern", P + "priorities[0].path", "/reports/{id",
                        "must be a valid Spring path pattern", new String[] {P + "priorities[0].path=/reports/{id"}),
                Arguments.of("a relative path", P + "priorities[1].path", "reports/**", "must start with '/'",
                        new String[] {P + "priorities[0].path=/ok", P + "priorities[1].path=reports/**"}),
                Arguments.of("no path", P + "priorities[0].path", "(none)", "is required",
                        new String[] {P + "priorities[0].priority=low"}),
                Arguments.of("a relative never-shed path", P + "never-shed[0].path", "events",
                        "must start with '/'", new String[] {P + "never-shed[0].path=events"}),
                Arguments.of("an unknown HTTP method", P + "priorities[0].methods[1]", "FETCH",
                        "must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE",
                        new String[] {P + "priorities[0].path=/api/**", P + "priorities[0].methods=GET,FETCH"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMistakeStopsStartupNamingThePropertyTheValueAndTheRule(String what, String property, String value,
                                                                 String rule, String[] properties) {
        servlet.withPropertyValues(P + "enabled=true").withPropertyValues(properties)
                .run(context -> RateLimitContexts.assertInvalid(context, property, value, rule));
    }

    @Test
    void anUnknownPriorityIsReportedBySpringsBinderWithThePropertyAndValue() {
        servlet.withPropertyValues(P + "enabled=true", P + "priorities[0].path=/reports/**",
                P + "priorities[0].priority=urgent").run(context -> {
                    BindException bind = RateLimitContexts.cause(context.getStartupFailure(), BindException.class);
                    assertThat(bind.getProperty().getName().toString()).isEqualTo(P + "priorities[0].priority");
                    assertThat(bind.getProperty().getValue()).isEqualTo("urgent");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"aimd", "envoy-gradiant", "envoy"})
    void anUnknownAlgorithmIsReportedBySpringsBinderWithThePropertyAndValue(String algorithm) {
        servlet.withPropertyValues(P + "enabled=true", P + "algorithm=" + algorithm).run(context -> {
            BindException bind = RateLimitContexts.cause(context.getStartupFailure(), BindException.class);
            assertThat(bind.getProperty().getName().toString()).isEqualTo(P + "algorithm");
            assertThat(bind.getProperty().getValue()).isEqualTo(algorithm);
        });
    }

    @ParameterizedTest
    @CsvSource({"gradient2, GRADIENT2", "vegas, VEGAS", "envoy-gradient, ENVOY_GRADIENT", "ENVOY_GRADIENT, ENVOY_GRADIENT"})
    void eachAlgorithmBindsFromItsName(String name, LoadShedder.Algorithm algorithm) {
        servlet.withPropertyValues(P + "enabled=true", P + "algorithm=" + name).run(context ->
                assertThat(context.getBean(LoadShedder.class).algorithm()).isEqualTo(algorithm));
    }

    @Test
    void prioritiesBindFromTheirNamesAndTheActuatorIsExemptByDefault() {
        servlet.withPropertyValues(P + "enabled=true", P + "priorities[0].path=/reports/**",
                P + "priorities[0].priority=LOW", P + "priorities[1].path=/checkout",
                P + "priorities[1].methods=post", P + "priorities[1].priority=critical").run(context -> {
                    SheddingRoutes routes = context.getBean(SheddingRoutes.class);
                    assertThat(routes.neverShed()).containsExactly("/actuator/**");
                    assertThat(routes.priorityOf("GET", path("/reports/2024"))).isEqualTo(Priority.LOW);
                    assertThat(routes.priorityOf("POST", path("/checkout"))).isEqualTo(Priority.CRITICAL);
                    assertThat(routes.priorityOf("GET", path("/checkout"))).isEqualTo(Priority.NORMAL);
                    assertThat(routes.priorityOf("GET", path("/actuator/health/readiness"))).isNull();
                    assertThat(routes.priorityOf("GET", path("/actuator"))).isNull();
                });
    }

    @Test
    void neverShedRoutesAreNeitherCountedNorShedAndComeBeforeThePriorities() {
        servlet.withPropertyValues(P + "enabled=true", P + "never-shed[0].path=/events/**",
                P + "never-shed[1].path=/exports", P + "never-shed[1].methods=GET",
                P + "priorities[0].path=/events/**", P + "priorities[0].priority=low").run(context -> {
                    SheddingRoutes routes = context.getBean(SheddingRoutes.class);
                    assertThat(routes.priorityOf("GET", path("/events/orders"))).isNull();
                    assertThat(routes.priorityOf("GET", path("/exports"))).isNull();
                    assertThat(routes.priorityOf("POST", path("/exports"))).isEqualTo(Priority.NORMAL);
                    assertThat(routes.priorityOf("GET", path("/items"))).isEqualTo(Priority.NORMAL);
                    assertThat(routes.neverShed()).as("the actuator's").containsExactly("/actuator/**");
                });
    }

    @Test
    void inAServletApplicationTheActuatorIsBelowTheDispatcherServletsPath() {
        servlet.withPropertyValues(P + "enabled=true", "spring.mvc.servlet.path=/app",
                "management.endpoints.web.base-path=/").run(context -> assertThat(
                        context.getBean(SheddingRoutes.class).neverShed()).containsExactly("/app/health/**"));
    }

    private static org.springframework.http.server.PathContainer path(String path) {
        return org.springframework.http.server.PathContainer.parsePath(path);
    }
}
