package dev.meshless.spring.boot.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.policy.PolicySpec;
import dev.meshless.spring.boot.MeshlessBinding;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.PolicyResolver;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class PolicyResolverTest {

    @Test
    void eachServiceGetsAnOutboundLimiterNamedAfterIt() {
        MeshlessProperties properties = new MeshlessProperties();
        properties.getDefaults().getOutboundRateLimit().setLimitForPeriod(100);
        PolicySpec inventory = new PolicySpec();
        inventory.getOutboundRateLimit().setLimitForPeriod(10);
        properties.getServices().put("inventory", inventory);
        PolicyResolver resolver = new PolicyResolver(properties);

        // its own section
        assertThat(resolver.resolve("inventory").outboundRateLimit().name()).isEqualTo("inventory-outbound");
        assertThat(resolver.resolve("inventory").outboundRateLimit().limitForPeriod()).isEqualTo(10);
        // the defaults are a template: each service still gets its own limiter
        assertThat(resolver.resolve("orders").outboundRateLimit().name()).isEqualTo("orders-outbound");
        assertThat(resolver.resolve("payments").outboundRateLimit().name()).isEqualTo("payments-outbound");
        assertThat(resolver.resolve("orders").outboundRateLimit().limitForPeriod()).isEqualTo(100);
    }

    @Test
    @SuppressWarnings("deprecation")
    void retryableStatusesComeFromTheServiceThenTheDefaultsThenTheDeprecatedHttpList() {
        MeshlessProperties properties = new MeshlessProperties();
        PolicyResolver builtIn = new PolicyResolver(properties);
        assertThat(builtIn.resolve("orders").call().retryableStatuses()).containsExactly(429, 500, 502, 503, 504);

        properties.getHttp().setRetryableStatuses(List.of(503));
        assertThat(new PolicyResolver(properties).resolve("orders").call().retryableStatuses()).containsExactly(503);

        properties.getDefaults().getRetry().setRetryableStatuses(List.of(502, 503));
        PolicySpec inventory = new PolicySpec();
        inventory.getRetry().setRetryableStatuses(List.of(429));
        properties.getServices().put("inventory", inventory);
        PolicyResolver resolver = new PolicyResolver(properties);
        assertThat(resolver.resolve("orders").call().retryableStatuses()).containsExactly(502, 503);
        assertThat(resolver.resolve("inventory").call().retryableStatuses()).containsExactly(429);
    }

    @Test
    @SuppressWarnings("deprecation")
    void aStatusThatIsNotAFailureIsRejectedNamingTheEntryWhereverItWasSet() {
        MeshlessProperties properties = new MeshlessProperties();
        PolicySpec inventory = new PolicySpec();
        inventory.getRetry().setRetryableStatuses(List.of(503, 404));
        properties.getServices().put("inventory", inventory);
        assertInvalid(() -> new PolicyResolver(properties).resolve("inventory"),
                "meshless.services.inventory.retry.retryable-statuses[1]", "404",
                "must be 429 or a 5xx status: only failures are retried, and other 4xx answers are the caller's");

        MeshlessProperties deprecated = new MeshlessProperties();
        deprecated.getHttp().setRetryableStatuses(List.of(418));
        assertInvalid(() -> new PolicyResolver(deprecated).resolve("orders"), "meshless.http.retryable-statuses[0]",
                "418", "must be 429 or a 5xx status: only failures are retried, and other 4xx answers are the"
                        + " caller's");
    }

    @Test
    void aBadValueIsNamedInTheSectionItCameFrom() {
        MeshlessProperties properties = new MeshlessProperties();
        properties.getDefaults().getOutlierDetection().setBaseEjectionTime(Duration.ofMinutes(10));
        PolicySpec inventory = new PolicySpec();
        inventory.getTimeouts().setPerTry(Duration.ofSeconds(1));
        properties.getServices().put("my.inventory", inventory);
        PolicyResolver resolver = new PolicyResolver(properties);

        // the service's own section is fine; the value it inherits from the defaults is not
        assertInvalid(() -> resolver.resolve("my.inventory"),
                "meshless.defaults.outlier-detection.base-ejection-time", "10m",
                "must be at most the max ejection time (5m)");

        properties.getDefaults().getOutlierDetection().setBaseEjectionTime(null);
        properties.getDefaults().getTimeouts().setDeadline(Duration.ofMillis(500));
        // a rule between two settings names the one that was set in the service's section
        assertInvalid(() -> new PolicyResolver(properties).resolve("my.inventory"),
                "meshless.services[my.inventory].timeouts.per-try", "1s", "must not exceed the deadline (500ms)");
        assertThatThrownBy(() -> new PolicyResolver(properties).checkAll())
                .isInstanceOf(InvalidMeshlessConfigurationException.class);
    }

    @Test
    void percentagesBindFromTheFormsOperatorsWrite() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "meshless.defaults.load-balancing.panic-threshold", "20%",
                "meshless.defaults.retry.budget-ratio", 35,
                "meshless.services.pricing.outlier-detection.max-ejection-percent", "12.5",
                "meshless.services.inventory.zone-breaker.failure-rate-threshold", "0%")));
        MeshlessProperties bound = MeshlessBinding.bind(environment);
        PolicyResolver resolver = new PolicyResolver(bound);
        assertThat(resolver.resolve("orders").balancing().panicThresholdPercent()).isEqualTo(20.0);
        assertThat(resolver.resolve("orders").call().retryBudgetPercent()).isEqualTo(35.0);
        assertThat(resolver.resolve("pricing").call().outlierDetection().maxEjectionPercent()).isEqualTo(12.5);
        assertInvalid(() -> resolver.resolve("inventory"),
                "meshless.services.inventory.zone-breaker.failure-rate-threshold", "0%",
                "must be above 0% and at most 100%");
    }

    @Test
    void noOutboundLimitUnlessOneIsSet() {
        assertThat(new PolicyResolver(new MeshlessProperties()).resolve("orders").outboundRateLimit()).isNull();
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String property,
                                      String value, String rule) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidMeshlessConfigurationException.class, e -> {
            assertThat(e.property()).isEqualTo(property);
            assertThat(e.value()).isEqualTo(value);
            assertThat(e.rule()).isEqualTo(rule);
            assertThat(e).hasMessage("Invalid Meshless configuration: " + property + " = " + value + ": " + rule);
        });
    }
}
