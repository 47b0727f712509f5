package dev.meshless.consul;

import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.consul.testing.Catalog;
import dev.meshless.consul.testing.ConsulTarget;
import dev.meshless.consul.testing.Configs;
import dev.meshless.topology.Locality;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * End to end with core's balancer: the caller's zone first, its region next, then the other region —
 * driven only by health changes in Consul.
 */
@Tag("agent")
class RegionFailoverTest {

    private ConsulTarget target;
    private ConsulRegistry registry;
    private LocalityLoadBalancer balancer;
    private final String service = ConsulTarget.unique("inventory");

    @BeforeEach
    void start() {
        target = ConsulTarget.federation();
    }

    @AfterEach
    void stop() {
        if (balancer != null) {
            balancer.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (target != null) {
            target.close();
        }
    }

    private Set<String> picked() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ids.add(balancer.pick().endpoint().id());
        }
        return ids;
    }

    @Test
    void trafficFollowsHealthFromZoneToRegionToTheOtherRegion() {
        Catalog.Instance localZone = instance(target.dc1(), "n-a", service, "a").meta("zone", "eu-west-1a");
        Catalog.Instance otherZone = instance(target.dc1(), "n-b", service, "b").meta("zone", "eu-west-1b");
        Catalog.Instance otherRegion = instance(target.dc2(), "n-c", service, "c").meta("zone", "eu-central-1a");
        target.catalog().register(localZone);
        target.catalog().register(otherZone);
        target.catalog().register(otherRegion);
        registry = ConsulRegistry.create(Configs.fast(target.address())
                .region(target.dc1(), "eu-west-1").region(target.dc2(), "eu-central-1").build());
        balancer = LocalityLoadBalancer.builder(service).registry(registry)
                .caller(Locality.of("eu-west-1", "eu-west-1a"))
                .policy(LoadBalancingPolicy.builder().regionOrder("eu-central-1").build()).build();

        await().atMost(Duration.ofSeconds(5)).until(() -> balancer.plan().endpoints().size() == 3);
        assertThat(picked()).containsExactly(localZone.endpointId());

        target.catalog().register(localZone.status("critical"));
        await().atMost(Duration.ofSeconds(5)).until(() -> picked().equals(Set.of(otherZone.endpointId())));

        target.catalog().register(otherZone.status("critical"));
        await().atMost(Duration.ofSeconds(5)).until(() -> picked().equals(Set.of(otherRegion.endpointId())));
    }
}
