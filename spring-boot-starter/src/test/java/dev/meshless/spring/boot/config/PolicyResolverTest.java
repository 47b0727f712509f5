package dev.meshless.spring.boot.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.PolicyProperties;
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
    void noOutboundLimitUnlessOneIsSet() {
        assertThat(new PolicyResolver(new MeshlessProperties()).resolve("orders").outboundRateLimit()).isNull();
    }
}
