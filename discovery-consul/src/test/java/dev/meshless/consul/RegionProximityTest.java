package dev.meshless.consul;

import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.consul.testing.SimulatedRegistry;
import dev.meshless.topology.Locality;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Regions the policy does not list are ordered by Consul's {@code /v1/catalog/datacenters}, which
 * the agent sorts by estimated round-trip time (GetDatacentersByDistance, agent/router/router.go).
 */
class RegionProximityTest {

    @RegisterExtension
    final SimulatedRegistry consul = new SimulatedRegistry("dc1", "dc2", "dc3");

    @Test
    void unlistedRegionsFollowConsulsRoundTripOrder() {
        consul.sim().listDatacenters("dc1", "dc3", "dc2");
        for (String dc : new String[] {"dc1", "dc2", "dc3"}) {
            consul.catalog().register(instance(dc, "n-" + dc, "inventory", "i-" + dc));
        }
        ConsulRegistry registry = consul.watch("inventory", b -> b);
        try (LocalityLoadBalancer balancer = LocalityLoadBalancer.builder("inventory").registry(registry)
                .caller(Locality.of("dc1", "dc1-a")).policy(LoadBalancingPolicy.defaults()).build()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> balancer.plan().endpoints().size() == 3);

            assertThat(registry.regionsByProximity()).containsExactly("dc1", "dc3", "dc2");
            assertThat(balancer.regionOrder()).containsExactly("dc3", "dc2");
            assertThat(balancer.plan().tiers()).extracting(t -> t.zones().get(0).zone().region())
                    .containsExactly("dc1", "dc3", "dc2");
        }
    }
}
