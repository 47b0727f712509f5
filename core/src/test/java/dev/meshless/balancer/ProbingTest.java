package dev.meshless.balancer;

import static dev.meshless.testing.Invalid.assertInvalid;
import static dev.meshless.testing.TestEndpoints.balancer;
import static dev.meshless.testing.TestEndpoints.concat;
import static dev.meshless.testing.TestEndpoints.endpointFractions;
import static dev.meshless.testing.TestEndpoints.zone;
import static dev.meshless.testing.TestEndpoints.zoneFractions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meshless.testing.TestEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Endpoints and zones that are only being probed (an ejection just expired, a zone breaker
 * half-open): a bounded share of first attempts, no retries, while known-good capacity exists.
 */
class ProbingTest {

    private static final int PICKS = 40_000;
    private static final Locality ZONE_A = Locality.of("r1", "r1-a");
    private final List<Endpoint> endpoints = concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 2, 0));

    @Test
    void aReturningEndpointGetsTheProbeShareOfFirstAttemptsUntilItIsKnownGood() {
        LocalityLoadBalancer lb = balancer(endpoints, LoadBalancingPolicy.defaults());
        lb.setEjected("r1-a-0", true);
        lb.setProbing("r1-a-0", true);
        lb.setEjected("r1-a-0", false);

        RoutingPlan plan = lb.plan();
        assertThat(plan.probeShare()).isEqualTo(0.05);
        assertThat(plan.shareByEndpoint()).containsEntry("r1-a-0", 0.05);
        // The probe does not count as healthy: r1-a is half healthy (0.5 × 1.4 = 0.7 of the known-good
        // traffic), and the known-good traffic is 95 % of the whole.
        assertThat(plan.shareByEndpoint().get("r1-a-1")).isCloseTo(0.7 * 0.95, within(1e-9));
        assertThat(plan.shareByZone().get(Locality.of("r1", "r1-b"))).isCloseTo(0.3 * 0.95, within(1e-9));
        assertThat(endpointFractions(lb::pick, PICKS).get("r1-a-0")).isCloseTo(0.05, within(0.01));

        lb.setProbing("r1-a-0", false);
        assertThat(lb.plan().probeShare()).isZero();
        assertThat(lb.plan().shareByEndpoint().get("r1-a-0")).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void lastAttemptsAndRetriesNeverGoToAProbeWhileKnownGoodCapacityExists() {
        LocalityLoadBalancer lb = balancer(endpoints, LoadBalancingPolicy.builder().probeSharePercent(50).build());
        lb.setZoneProbing(ZONE_A, true);

        assertThat(zoneFractions(lb::pick, PICKS).get("r1-a")).isCloseTo(0.5, within(0.02));
        assertThat(zoneFractions(lb::pickKnownGood, PICKS)).containsOnlyKeys("r1-b");
        Exclusions tried = Exclusions.none().withEndpointId("r1-b-0");
        assertThat(zoneFractions(() -> lb.pick(tried), PICKS)).containsOnlyKeys("r1-b");
        assertThat(lb.plan().endpoints()).filteredOn(e -> e.endpoint().locality().zone().equals("r1-a"))
                .allMatch(e -> e.state() == EndpointState.PROBING);
    }

    @Test
    void probesCarryTheTrafficWhenNothingKnownGoodIsLeft() {
        LocalityLoadBalancer lb = balancer(endpoints, LoadBalancingPolicy.defaults());
        lb.setZoneProbing(ZONE_A, true);
        lb.setZoneAvailable(Locality.of("r1", "r1-b"), false);

        RoutingPlan plan = lb.plan();
        assertThat(plan.probesAsCapacity()).isTrue();
        assertThat(plan.probeShare()).isZero();
        assertThat(plan.tierShare(0)).isEqualTo(1.0);
        assertThat(zoneFractions(() -> lb.pick(Exclusions.none().withEndpointId("r1-a-0")), 1_000))
                .containsOnlyKeys("r1-a");
    }

    @Test
    void aReturningEndpointOfARegionThatGetsNoTrafficIsNotProbedFromAfar() {
        List<Endpoint> twoRegions = concat(endpoints, zone("r2", "r2-a", 2, 0));
        LocalityLoadBalancer lb = balancer(twoRegions, LoadBalancingPolicy.defaults());
        lb.setProbing("r2-a-0", true);

        assertThat(lb.plan().probeShare()).isZero();
        assertThat(lb.plan().shareByZone().get(Locality.of("r1", "r1-a"))).isEqualTo(1.0);

        lb.setZoneAvailable(ZONE_A, false);
        lb.setZoneAvailable(Locality.of("r1", "r1-b"), false);
        assertThat(lb.plan().probeShare()).as("its region serves now").isEqualTo(0.05);
    }

    @Test
    void probingIsForgottenWhenTheRegistryDropsTheEndpoint() {
        dev.meshless.registry.StaticRegistry registry = dev.meshless.registry.StaticRegistry.of(endpoints);
        LocalityLoadBalancer lb = balancer(registry, LoadBalancingPolicy.defaults());
        lb.setProbing("r1-a-0", true);

        registry.replace(TestEndpoints.SERVICE, endpoints.subList(1, endpoints.size()));
        registry.replace(TestEndpoints.SERVICE, endpoints);

        assertThat(lb.plan().endpoints()).allMatch(e -> e.state() == EndpointState.AVAILABLE);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -1.0, 50.1, Double.NaN})
    void probeShareOutsideItsRangeIsRejected(double percent) {
        assertInvalid(() -> LoadBalancingPolicy.builder().probeSharePercent(percent), "probeShare",
                dev.meshless.config.Percent.format(percent), "must be above 0% and at most 50%");
    }
}
