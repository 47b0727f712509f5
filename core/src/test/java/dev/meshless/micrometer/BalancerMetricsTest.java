package dev.meshless.micrometer;

import static dev.meshless.testing.TestEndpoints.CALLER;
import static dev.meshless.testing.TestEndpoints.SERVICE;
import static dev.meshless.testing.TestEndpoints.concat;
import static dev.meshless.testing.TestEndpoints.zone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.registry.StaticRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class BalancerMetricsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private double gauge(String name, String... tags) {
        return meters.get(name).tags(tags).gauge().value();
    }

    @Test
    void sharesPanicAndEndpointStatesAreGauges() {
        StaticRegistry registry = StaticRegistry.of(concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 0, 2)));
        LocalityLoadBalancer lb = LocalityLoadBalancer.builder(SERVICE).registry(registry).caller(CALLER)
                .listener(new BalancerMetrics(meters)).build();

        assertThat(gauge("meshless.locality.share", "service", SERVICE, "tier", "0"))
                .isEqualTo(1.0);
        assertThat(gauge("meshless.balancer.panic", "service", SERVICE)).isZero();
        assertThat(gauge("meshless.balancer.endpoints", "service", SERVICE, "state", "unhealthy")).isEqualTo(2);

        lb.setEjected("r1-a-0", true);
        assertThat(gauge("meshless.balancer.endpoints", "service", SERVICE, "state", "ejected")).isEqualTo(1);
        assertThat(gauge("meshless.locality.share", "service", SERVICE, "tier", "0"))
                .isEqualTo(1.0); // tier 1 has no health to spill to

        lb.setEjected("r1-a-1", true);
        assertThat(gauge("meshless.balancer.panic", "service", SERVICE)).isEqualTo(1.0);

        registry.replace(SERVICE, zone("r1", "r1-b", 1, 0));
        assertThat(gauge("meshless.locality.share", "service", SERVICE, "tier", "0"))
                .as("a tier without endpoints reads 0").isZero();
        assertThat(gauge("meshless.locality.share", "service", SERVICE, "tier", "1"))
                .isCloseTo(1.0, within(1e-12));
        assertThat(gauge("meshless.balancer.panic", "service", SERVICE)).isZero();
        assertThat(meters.find("meshless.locality.share").gauges()).hasSize(2);
        assertThat(meters.get("meshless.balancer.panic").gauge().getId().getDescription())
                .isEqualTo("1 while a tier of the service is in panic (traffic spread regardless of health)");
    }
}
