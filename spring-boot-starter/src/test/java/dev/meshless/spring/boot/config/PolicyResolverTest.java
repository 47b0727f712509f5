package dev.meshless.spring.boot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.PolicyProperties;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyResolverTest {

    @Test
    void eachServiceGetsAnOutboundLimiterNamedAfterIt() {
        MeshlessProperties properties = new MeshlessProperties();
        properties.getDefaults().getOutboundRateLimit().setLimitForPeriod(100);
        PolicyProperties inventory = new PolicyProperties();
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
        assertThat(builtIn.resolve("orders").retryableStatuses()).containsExactly(429, 500, 502, 503, 504);

        properties.getHttp().setRetryableStatuses(List.of(503));
        assertThat(new PolicyResolver(properties).resolve("orders").retryableStatuses()).containsExactly(503);

        properties.getDefaults().getRetry().setRetryableStatuses(List.of(502, 503));
        PolicyProperties inventory = new PolicyProperties();
        inventory.getRetry().setRetryableStatuses(List.of(429));
        properties.getServices().put("inventory", inventory);
        PolicyResolver resolver = new PolicyResolver(properties);
        assertThat(resolver.resolve("orders").retryableStatuses()).containsExactly(502, 503);
        assertThat(resolver.resolve("inventory").retryableStatuses()).containsExactly(429);
    }

    @Test
    void aStatusThatIsNotAFailureIsRejectedNamingTheEntry() {
        MeshlessProperties properties = new MeshlessProperties();
        PolicyProperties inventory = new PolicyProperties();
        inventory.getRetry().setRetryableStatuses(List.of(503, 404));
        properties.getServices().put("inventory", inventory);

        assertThatThrownBy(() -> new PolicyResolver(properties).resolve("inventory"))
                .isInstanceOf(InvalidMeshlessConfigurationException.class)
                .hasMessageContaining("meshless.services.inventory.retry.retryable-statuses[1]")
                .hasMessageContaining("404")
                .hasMessageContaining("must be 429 or a 5xx status");
    }

    @Test
    void noOutboundLimitUnlessOneIsSet() {
        assertThat(new PolicyResolver(new MeshlessProperties()).resolve("orders").outboundRateLimit()).isNull();
    }
}
