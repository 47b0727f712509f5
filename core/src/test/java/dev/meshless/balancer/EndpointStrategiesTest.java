package dev.meshless.balancer;

import static dev.meshless.testing.TestEndpoints.balancer;
import static dev.meshless.testing.TestEndpoints.endpoint;
import static dev.meshless.testing.TestEndpoints.endpointFractions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Choosing inside a locality: every strategy respects weights. */
class EndpointStrategiesTest {

    private static final List<Endpoint> WEIGHTED = List.of(
            endpoint("w1", "r1", "r1-a", 1, HealthStatus.PASSING),
            endpoint("w2", "r1", "r1-a", 2, HealthStatus.PASSING),
            endpoint("w5", "r1", "r1-a", 5, HealthStatus.PASSING));

    private static LocalityLoadBalancer with(EndpointStrategy strategy, List<Endpoint> endpoints) {
        return balancer(endpoints, LoadBalancingPolicy.builder().endpointStrategy(strategy).build());
    }

    @ParameterizedTest
    @EnumSource(EndpointStrategy.class)
    void everyStrategyRespectsWeights(EndpointStrategy strategy) {
        LocalityLoadBalancer lb = with(strategy, WEIGHTED);

        Map<String, Double> shares = endpointFractions(lb::pick, 80_000);

        assertThat(shares.get("w1")).isCloseTo(1.0 / 8, within(0.01));
        assertThat(shares.get("w2")).isCloseTo(2.0 / 8, within(0.01));
        assertThat(shares.get("w5")).isCloseTo(5.0 / 8, within(0.01));
    }

    @Test
    void weightedRoundRobinIsExactOverEachCycle() {
        LocalityLoadBalancer lb = with(EndpointStrategy.WEIGHTED_ROUND_ROBIN, WEIGHTED);
        Picker picker = lb.picker();

        for (int cycle = 0; cycle < 5; cycle++) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i < 8; i++) {
                counts.merge(picker.pick().endpoint().id(), 1, Integer::sum);
            }
            assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("w1", 1, "w2", 2, "w5", 5));
        }
    }

    @Test
    void weightedRoundRobinSpreadsAHeavyEndpointsTurnsOverTheCycle() {
        LocalityLoadBalancer lb = with(EndpointStrategy.WEIGHTED_ROUND_ROBIN, WEIGHTED);

        // w5 has 5 of every 8 picks; sending them in one burst would give it 5 in a row.
        int run = 0;
        for (int i = 0; i < 80; i++) {
            run = lb.pick().endpoint().id().equals("w5") ? run + 1 : 0;
            assertThat(run).as("pick %d", i).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void weightedRoundRobinInterleavesInsteadOfBursting() {
        LocalityLoadBalancer lb = with(EndpointStrategy.WEIGHTED_ROUND_ROBIN, List.of(
                endpoint("a", "r1", "r1-a", 1, HealthStatus.PASSING),
                endpoint("b", "r1", "r1-a", 1, HealthStatus.PASSING),
                endpoint("c", "r1", "r1-a", 1, HealthStatus.PASSING),
                endpoint("d", "r1", "r1-a", 1, HealthStatus.PASSING)));

        String previous = null;
        for (int i = 0; i < 100; i++) {
            String id = lb.pick().endpoint().id();
            assertThat(id).isNotEqualTo(previous);
            previous = id;
        }
    }

    @Test
    void leastRequestAvoidsTheEndpointWithCallsInFlight() {
        LocalityLoadBalancer lb = with(EndpointStrategy.LEAST_REQUEST, List.of(
                endpoint("busy", "r1", "r1-a", 1, HealthStatus.PASSING),
                endpoint("idle", "r1", "r1-a", 1, HealthStatus.PASSING)));
        Pick busy = pickOf(lb, "busy");
        for (int i = 0; i < 10; i++) {
            busy.callStarted();
        }

        Map<String, Double> shares = endpointFractions(lb::pick, 20_000);

        // Two draws both land on "busy" a quarter of the time; otherwise "idle" wins.
        assertThat(shares.get("busy")).isCloseTo(0.25, within(0.015));
        for (int i = 0; i < 10; i++) {
            busy.callFinished();
        }
        assertThat(busy.callsInFlight()).isZero();
        busy.callFinished();
        assertThat(busy.callsInFlight()).as("never below zero").isZero();
    }

    @Test
    void inFlightCountsSurviveASnapshotRebuild() {
        LocalityLoadBalancer lb = with(EndpointStrategy.LEAST_REQUEST, List.of(
                endpoint("a", "r1", "r1-a", 1, HealthStatus.PASSING),
                endpoint("b", "r1", "r1-b", 1, HealthStatus.PASSING)));
        Pick a = pickOf(lb, "a");
        a.callStarted();

        lb.setEjected("b", true);

        assertThat(pickOf(lb, "a")).isNotSameAs(a);
        assertThat(pickOf(lb, "a").callsInFlight()).isEqualTo(1);
    }

    @Test
    void leastRequestComparesLoadPerUnitOfWeight() {
        // heavy (weight 4) with 2 in flight is less loaded per weight than light (weight 1) with 1.
        LocalityLoadBalancer lb = with(EndpointStrategy.LEAST_REQUEST, List.of(
                endpoint("heavy", "r1", "r1-a", 4, HealthStatus.PASSING),
                endpoint("light", "r1", "r1-a", 1, HealthStatus.PASSING)));
        pickOf(lb, "heavy").callStarted();
        pickOf(lb, "heavy").callStarted();
        pickOf(lb, "light").callStarted();

        Map<String, Double> shares = endpointFractions(lb::pick, 40_000);

        // light wins only when both draws are light: (1/5)² = 4 %.
        assertThat(shares.get("light")).isCloseTo(0.04, within(0.01));
    }

    /** The pick object of one endpoint in the current snapshot: everything else excluded. */
    private static Pick pickOf(LocalityLoadBalancer lb, String id) {
        Exclusions others = Exclusions.none();
        for (RoutingPlan.EndpointPlan e : lb.plan().endpoints()) {
            if (!e.endpoint().id().equals(id)) {
                others = others.withEndpoint(e.endpoint());
            }
        }
        return lb.pick(others);
    }
}
