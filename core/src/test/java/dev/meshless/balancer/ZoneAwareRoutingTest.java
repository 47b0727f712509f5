package dev.meshless.balancer;

import static dev.meshless.testing.TestEndpoints.concat;
import static dev.meshless.testing.TestEndpoints.zone;
import static dev.meshless.testing.TestEndpoints.zoneFractions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.TestEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Capacity-aware zone routing: worked examples from docs/load-balancing.md. */
class ZoneAwareRoutingTest {

    private static final String CALLERS = "frontend";

    /** Callers of service "frontend": {@code counts[i]} instances in zone r1-(a, b, c)[i]. */
    private static List<Endpoint> callers(int... counts) {
        List<Endpoint> list = new ArrayList<>();
        String[] zones = {"r1-a", "r1-b", "r1-c"};
        for (int z = 0; z < counts.length; z++) {
            for (int i = 0; i < counts[z]; i++) {
                list.add(Endpoint.builder(CALLERS, zones[z] + "-caller-" + i).address("10.0.0." + (z + 1), 8000 + i)
                        .locality("r1", zones[z]).build());
            }
        }
        return list;
    }

    private static LocalityLoadBalancer balancer(List<Endpoint> upstream, List<Endpoint> callers,
                                                 LoadBalancingPolicy policy) {
        return LocalityLoadBalancer.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(concat(upstream, callers)))
                .caller(TestEndpoints.CALLER)
                .callerService(CALLERS)
                .policy(policy)
                .build();
    }

    private static List<Endpoint> upstream(int a, int b, int c) {
        return concat(zone("r1", "r1-a", a, 0), zone("r1", "r1-b", b, 0), zone("r1", "r1-c", c, 0));
    }

    @Test
    void balancedCallersAndUpstreamStayLocal() {
        LocalityLoadBalancer lb = balancer(upstream(2, 2, 2), callers(2, 2, 2), LoadBalancingPolicy.defaults());

        assertThat(lb.plan().tierShare(0)).isEqualTo(1.0);
        assertThat(lb.plan().zoneAwareApplied()).isFalse();
    }

    @Test
    void crowdedCallerZoneSendsTheExcessToZonesWithSpareCapacity() {
        // Callers 4/1/1 (a holds 2/3), upstream 2/2/2 (a holds 1/3): keep (1/3)/(2/3) = 50 % local;
        // b and c each have 1/3 − 1/6 spare, so they take 25 % each.
        LocalityLoadBalancer lb = balancer(upstream(2, 2, 2), callers(4, 1, 1), LoadBalancingPolicy.defaults());

        RoutingPlan plan = lb.plan();
        assertThat(plan.zoneAwareApplied()).isTrue();
        assertThat(plan.shareByZone().get(Locality.of("r1", "r1-a"))).isCloseTo(0.5, within(1e-12));
        assertThat(plan.shareByZone().get(Locality.of("r1", "r1-b"))).isCloseTo(0.25, within(1e-12));
        assertThat(plan.shareByZone().get(Locality.of("r1", "r1-c"))).isCloseTo(0.25, within(1e-12));
        Map<String, Double> byZone = zoneFractions(lb::pick, 100_000);
        assertThat(byZone.get("r1-a")).isCloseTo(0.5, within(0.01));
        assertThat(byZone.get("r1-b")).isCloseTo(0.25, within(0.01));
    }

    @Test
    void excessGoesToZonesInProportionToTheirSpareCapacity() {
        // Callers 3/2/1 of 6; upstream 1/4/5 of 10. a: keep 0.1/0.5 = 20 %. Spare: b 0.4 − 1/3 = 1/15,
        // c 0.5 − 1/6 = 1/3: the moved 80 % splits 1 : 5.
        LocalityLoadBalancer lb = balancer(upstream(1, 4, 5), callers(3, 2, 1), LoadBalancingPolicy.defaults());

        Map<Locality, Double> byZone = lb.plan().shareByZone();
        assertThat(byZone.get(Locality.of("r1", "r1-a"))).isCloseTo(0.2, within(1e-12));
        assertThat(byZone.get(Locality.of("r1", "r1-b"))).isCloseTo(0.8 / 6, within(1e-12));
        assertThat(byZone.get(Locality.of("r1", "r1-c"))).isCloseTo(0.8 * 5 / 6, within(1e-12));
    }

    @Test
    void everyUpstreamEndpointSeesTheSameLoadWhenEveryZoneRoutesThisWay() {
        // Each zone's callers plan their own split; summing caller traffic per endpoint must come out even.
        int[] callerCounts = {4, 1, 1};
        List<Endpoint> callers = callers(callerCounts);
        List<Endpoint> up = upstream(2, 2, 2);
        String[] zones = {"r1-a", "r1-b", "r1-c"};
        double[] loadPerEndpointByZone = new double[3];
        for (int from = 0; from < 3; from++) {
            LocalityLoadBalancer lb = LocalityLoadBalancer.builder(TestEndpoints.SERVICE)
                    .registry(StaticRegistry.of(concat(up, callers))).caller(Locality.of("r1", zones[from]))
                    .callerService(CALLERS).build();
            Map<Locality, Double> split = lb.plan().shareByZone();
            for (int to = 0; to < 3; to++) {
                loadPerEndpointByZone[to] += callerCounts[from] * split.getOrDefault(Locality.of("r1", zones[to]), 0.0) / 2;
            }
        }
        assertThat(loadPerEndpointByZone[0]).isCloseTo(1.0, within(1e-12));
        assertThat(loadPerEndpointByZone[1]).isCloseTo(1.0, within(1e-12));
        assertThat(loadPerEndpointByZone[2]).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void sparseCallerZoneKeepsEverythingLocal() {
        LocalityLoadBalancer lb = balancer(upstream(2, 2, 2), callers(1, 4, 1), LoadBalancingPolicy.defaults());

        assertThat(lb.plan().tierShare(0)).isEqualTo(1.0);
    }

    @Test
    void capacityCanOnlyLowerTheSpilloverShareNeverRaiseIt() {
        // Upstream a: 2 of 3 healthy (spillover keeps 93.3 %); by capacity a holds 2/8 of healthy weight
        // for 1/3 of callers: keep 75 %. The smaller wins; the spare zones take the rest evenly.
        List<Endpoint> up = concat(zone("r1", "r1-a", 2, 1), zone("r1", "r1-b", 3, 0), zone("r1", "r1-c", 3, 0));
        LocalityLoadBalancer lb = balancer(up, callers(2, 2, 2), LoadBalancingPolicy.defaults());

        assertThat(lb.plan().tierShare(0)).isCloseTo(0.75, within(1e-12));
        assertThat(lb.plan().shareByZone().get(Locality.of("r1", "r1-b"))).isCloseTo(0.125, within(1e-12));
    }

    @Test
    void tooFewCallersDisablesIt() {
        LocalityLoadBalancer lb = balancer(upstream(2, 2, 2), callers(3, 1, 1), LoadBalancingPolicy.defaults());

        assertThat(lb.plan().tierShare(0)).isEqualTo(1.0);
        assertThat(lb.plan().zoneAwareApplied()).isFalse();
    }

    @Test
    void minClusterSizeIsConfigurable() {
        LocalityLoadBalancer lb = balancer(upstream(2, 2, 2), callers(3, 1, 1),
                LoadBalancingPolicy.builder().minClusterSize(5).build());

        assertThat(lb.plan().zoneAwareApplied()).isTrue();
        assertThat(lb.plan().tierShare(0)).isCloseTo((1.0 / 3) / (3.0 / 5), within(1e-12));
    }

    @Test
    void policyCanTurnItOff() {
        LocalityLoadBalancer lb = balancer(upstream(2, 2, 2), callers(4, 1, 1),
                LoadBalancingPolicy.builder().zoneAware(false).build());

        assertThat(lb.plan().tierShare(0)).isEqualTo(1.0);
    }

    @Test
    void callerTopologyChangesRebuildThePlan() {
        StaticRegistry registry = StaticRegistry.of(concat(upstream(2, 2, 2), callers(2, 2, 2)));
        LocalityLoadBalancer lb = LocalityLoadBalancer.builder(TestEndpoints.SERVICE).registry(registry)
                .caller(TestEndpoints.CALLER).callerService(CALLERS).build();
        assertThat(lb.plan().tierShare(0)).isEqualTo(1.0);

        registry.replace(CALLERS, callers(4, 1, 1));

        assertThat(lb.plan().tierShare(0)).isCloseTo(0.5, within(1e-12));
    }
}
