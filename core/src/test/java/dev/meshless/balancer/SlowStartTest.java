package dev.meshless.balancer;

import static dev.meshless.testing.Invalid.assertInvalid;
import static dev.meshless.testing.TestEndpoints.endpoint;
import static dev.meshless.testing.TestEndpoints.endpointFractions;
import static dev.meshless.testing.TestEndpoints.zone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Envoy's slow-start formula, zones and endpoints that come back ramping up, and endpoints a
 * scale-up adds ramping inside their zone, on a fake clock.
 */
class SlowStartTest {

    private static final Locality R1A = Locality.of("r1", "r1-a");
    private static final long SECOND = 1_000_000_000L;
    private static final SlowStartPolicy TEN_SECONDS = SlowStartPolicy.of(Duration.ofSeconds(10), 1.0, 10);
    /** A multiple of every round-robin line of the scale-up tests (21, 5, 3, 2): each count is exact. */
    private static final int PICKS = 2_100;

    private final FakeTime time = new FakeTime();
    private LocalityLoadBalancer lb;

    private LocalityLoadBalancer balancer(SlowStartPolicy slowStart) {
        List<Endpoint> endpoints = new ArrayList<>(zone("r1", "r1-a", 2, 0));
        endpoints.addAll(zone("r1", "r1-b", 2, 0));
        lb = LocalityLoadBalancer.builder(TestEndpoints.SERVICE).registry(StaticRegistry.of(endpoints))
                .caller(TestEndpoints.CALLER).slowStart(slowStart, time).build();
        return lb;
    }

    @AfterEach
    void close() {
        if (lb != null) {
            lb.close();
        }
    }

    private double local() {
        return lb.plan().shareByZone().getOrDefault(R1A, 0.0);
    }

    @Test
    void theFactorFollowsEnvoysFormula() {
        SlowStartPolicy linear = SlowStartPolicy.of(Duration.ofSeconds(10), 1.0, 10);
        assertThat(linear.factor(0)).isEqualTo(0.1);
        assertThat(linear.factor(5 * SECOND)).isEqualTo(0.5);
        assertThat(linear.factor(10 * SECOND)).isEqualTo(1.0);
        SlowStartPolicy aggressive = SlowStartPolicy.of(Duration.ofSeconds(10), 2.0, 0);
        assertThat(aggressive.factor(SECOND)).isCloseTo(Math.sqrt(0.1), within(1e-12));
        assertThat(aggressive.factor(0)).as("at least 1 ms counts").isCloseTo(Math.sqrt(0.0001), within(1e-12));
        assertThat(SlowStartPolicy.disabled().factor(0)).isEqualTo(1.0);
    }

    @Test
    void aHealedZoneTakesItsTrafficBackOverTheWindow() {
        balancer(SlowStartPolicy.of(Duration.ofSeconds(10), 1.0, 10));
        assertThat(local()).as("present from the start: no ramp").isEqualTo(1.0);
        lb.setZoneAvailable(R1A, false);
        assertThat(local()).isZero();

        lb.setZoneAvailable(R1A, true);

        assertThat(local()).as("10 %% of its weight x 1.4").isCloseTo(0.14, within(1e-9));
        time.advance(Duration.ofSeconds(5));
        assertThat(local()).isCloseTo(0.7, within(1e-9));
        time.advance(Duration.ofMillis(2_500)); // 75 % x 1.4 > 1
        assertThat(local()).isEqualTo(1.0);
        time.advance(Duration.ofSeconds(3));
        assertThat(lb.plan().shareByEndpoint().get("r1-a-0")).isEqualTo(0.5);
        assertThat(time.pendingTimers()).as("the ramp's timer stops with the window").isZero();
    }

    @Test
    void aReturningEndpointTakesLessOfItsZoneUntilItsWindowEnds() {
        balancer(SlowStartPolicy.of(Duration.ofSeconds(10), 1.0, 10));
        lb.setEjected("r1-a-0", true);

        lb.setEjected("r1-a-0", false);

        // the tier's health is (1 + 0.1) / 2 x 1.4 = 77 %, and r1-a-0 has 0.1 / 1.1 of the zone's share
        assertThat(local()).isCloseTo(0.77, within(1e-9));
        assertThat(lb.plan().shareByEndpoint().get("r1-a-0")).isCloseTo(0.77 * 0.1 / 1.1, within(1e-9));
        assertThat(endpointFractions(lb::pick, 100_000).get("r1-a-0"))
                .as("the endpoint chooser follows the plan inside the zone").isCloseTo(0.77 * 0.1 / 1.1, within(0.005));
        time.advance(Duration.ofSeconds(10));
        assertThat(local()).isEqualTo(1.0);
    }

    @Test
    void leavingAgainStopsTheRamp() {
        balancer(SlowStartPolicy.of(Duration.ofSeconds(10), 1.0, 10));
        lb.setZoneAvailable(R1A, false);
        lb.setZoneAvailable(R1A, true);
        time.advance(Duration.ofSeconds(5));

        lb.setZoneAvailable(R1A, false);
        lb.setZoneAvailable(R1A, true);

        assertThat(local()).as("the ramp starts again from its minimum").isCloseTo(0.14, within(1e-9));
    }

    @Test
    void aServiceThatComesBackWholeRampsWithoutPanic() {
        // Envoy's slow start changes endpoint weights, not priority health: a tier whose every
        // endpoint is available is not below the panic threshold because they all ramp.
        lb = LocalityLoadBalancer.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(zone("r1", "r1-a", 2, 0))).caller(TestEndpoints.CALLER)
                .slowStart(SlowStartPolicy.of(Duration.ofSeconds(10), 1.0, 10), time).build();
        lb.setZoneAvailable(R1A, false);

        lb.setZoneAvailable(R1A, true);

        assertThat(lb.plan().panic()).isFalse();
        assertThat(lb.plan().tiers().get(0).healthyFraction()).as("healthyWeight / totalWeight").isEqualTo(1.0);
        assertThat(local()).isEqualTo(1.0);
    }

    @Test
    void offByDefaultAReturningZoneTakesItsFullShareAtOnce() {
        balancer(SlowStartPolicy.disabled());
        lb.setZoneAvailable(R1A, false);

        lb.setZoneAvailable(R1A, true);

        assertThat(local()).isEqualTo(1.0);
        assertThat(time.pendingTimers()).isZero();
    }

    @Test
    void theRegionTakingOverAFailoverTakesTheWholeLoadAtOnce() {
        // docs/resilience.md, "Crossed failures and regional surge": holding part of the load back from
        // the region that takes over would leave it on the region that failed, where it fails.
        List<Endpoint> endpoints = new ArrayList<>(zone("r1", "r1-a", 2, 0));
        endpoints.addAll(zone("r1", "r1-b", 2, 0));
        endpoints.addAll(zone("r2", "r2-a", 2, 0));
        lb = LocalityLoadBalancer.builder(TestEndpoints.SERVICE).registry(StaticRegistry.of(endpoints))
                .caller(TestEndpoints.CALLER).slowStart(TEN_SECONDS, time).build();

        lb.setZoneAvailable(R1A, false);
        lb.setZoneAvailable(Locality.of("r1", "r1-b"), false);

        assertThat(lb.plan().shareByZone()).containsEntry(Locality.of("r2", "r2-a"), 1.0);
        assertThat(lb.plan().endpoints()).allSatisfy(e -> assertThat(e.rampFactor()).isEqualTo(1.0));
        assertThat(time.pendingTimers()).as("nothing ramps").isZero();
    }

    @Test
    void badSettingsNameTheProperty() {
        assertInvalid(() -> SlowStartPolicy.of(Duration.ofSeconds(-1), 1, 10), "window", Duration.ofSeconds(-1),
                "must be zero or positive");
        assertInvalid(() -> SlowStartPolicy.of(Duration.ofSeconds(1), 0, 10), "aggression", 0.0,
                "must be a number above 0");
        assertInvalid(() -> SlowStartPolicy.of(Duration.ofSeconds(1), 1, 101), "minWeightPercent", "101%",
                "must be between 0% and 100%");
    }

    /**
     * Endpoints added to the service after the first plan (a scale-up), as Envoy ramps newly added
     * hosts: inside their zone only, never moving traffic between zones.
     */
    @Nested
    class ScaleUp {

        private final AtomicInteger failovers = new AtomicInteger();
        private StaticRegistry registry;

        /** Zones r1-a (the caller's) and r1-b with two endpoints each, weighted round robin. */
        private LocalityLoadBalancer scaling(SlowStartPolicy slowStart, EndpointStrategy strategy,
                                             List<Endpoint> more) {
            List<Endpoint> endpoints = new ArrayList<>(zone("r1", "r1-a", 2, 0));
            endpoints.addAll(zone("r1", "r1-b", 2, 0));
            endpoints.addAll(more);
            registry = StaticRegistry.of(endpoints);
            lb = LocalityLoadBalancer.builder(TestEndpoints.SERVICE).registry(registry).caller(TestEndpoints.CALLER)
                    .policy(LoadBalancingPolicy.defaults().toBuilder().endpointStrategy(strategy).build())
                    .listener(new BalancerListener() {
                        @Override
                        public void onFailover(RoutingPlan previous, RoutingPlan current) {
                            failovers.incrementAndGet();
                        }
                    })
                    .slowStart(slowStart, time).build();
            return lb;
        }

        private LocalityLoadBalancer scaling(SlowStartPolicy slowStart) {
            return scaling(slowStart, EndpointStrategy.WEIGHTED_ROUND_ROBIN, List.of());
        }

        private double picksOf(String id) {
            return endpointFractions(lb::pick, PICKS).getOrDefault(id, 0.0);
        }

        /** Asserts the new endpoint's share of the zone's picks and of the plan, the zone keeping it all. */
        private void assertZoneShare(String id, double expected) {
            assertThat(local()).as("the caller's zone keeps all the traffic").isEqualTo(1.0);
            assertThat(lb.plan().tiers().get(0).health()).as("the tier's health counts the new endpoint in full")
                    .isEqualTo(1.0);
            assertThat(picksOf(id)).as("share of the zone's picks").isCloseTo(expected, within(1e-9));
            assertThat(lb.plan().shareByEndpoint().get(id)).as("the plan's share").isCloseTo(expected, within(1e-9));
        }

        @Test
        void aNewEndpointRampsInsideItsZoneWhileTheZoneKeepsAllItsTraffic() {
            scaling(TEN_SECONDS);

            registry.put(endpoint("r1-a-2", "r1", "r1-a"));

            // weights 1, 1 and 1 x 10 %: 0.1 / 2.1 of the zone's picks
            assertZoneShare("r1-a-2", 0.1 / 2.1);
            time.advance(Duration.ofSeconds(5));
            assertZoneShare("r1-a-2", 0.5 / 2.5);
            time.advance(Duration.ofSeconds(5));
            assertZoneShare("r1-a-2", 1.0 / 3);
            assertThat(lb.plan().shareByZone()).containsOnlyKeys(R1A, Locality.of("r1", "r1-b"));
            assertThat(failovers).as("a scale-up is no failover").hasValue(0);
            assertThat(lb.plan().panic()).isFalse();
            assertThat(time.pendingTimers()).as("the ramp's timer stops with the window").isZero();
        }

        @Test
        void endpointsOfTheFirstPlanDoNotRamp() {
            scaling(TEN_SECONDS);

            assertThat(lb.plan().endpoints()).allSatisfy(e -> assertThat(e.rampFactor()).isEqualTo(1.0));
            assertThat(picksOf("r1-a-0")).isEqualTo(0.5);
            assertThat(time.pendingTimers()).isZero();
        }

        @Test
        void anEndpointWhoseMetadataChangesIsNotNew() {
            scaling(TEN_SECONDS);
            Endpoint listed = registry.current(TestEndpoints.SERVICE).endpoints().stream()
                    .filter(e -> e.id().equals("r1-a-0")).findFirst().orElseThrow();

            registry.put(listed.toBuilder().metadata("version", "2").build());

            assertThat(lb.plan().shareByEndpoint().get("r1-a-0")).isEqualTo(0.5);
            assertThat(time.pendingTimers()).isZero();
        }

        @Test
        void offANewEndpointTakesItsFullShareAtOnce() {
            scaling(SlowStartPolicy.disabled());

            registry.put(endpoint("r1-a-2", "r1", "r1-a"));

            assertZoneShare("r1-a-2", 1.0 / 3);
            assertThat(time.pendingTimers()).isZero();
        }

        @Test
        void aNewEndpointRampsFromWhenItFirstPassesItsChecks() {
            // Consul lists a new instance with its checks critical until they first pass.
            scaling(TEN_SECONDS);
            registry.put(endpoint("r1-a-2", "r1", "r1-a", 1, HealthStatus.CRITICAL));
            time.advance(Duration.ofSeconds(30));

            registry.put(endpoint("r1-a-2", "r1", "r1-a"));

            assertZoneShare("r1-a-2", 0.1 / 2.1);
        }

        @Test
        void aNewEndpointInAnotherZoneLeavesTheTiersSharesAlone() {
            scaling(TEN_SECONDS, EndpointStrategy.WEIGHTED_ROUND_ROBIN, zone("r2", "r2-a", 2, 0));
            lb.setZoneAvailable(R1A, false);
            Map<Integer, Double> before = lb.plan().shareByTier();

            registry.put(endpoint("r1-b-2", "r1", "r1-b"));

            // Counted at 10 % in its tier's health, r1-b would fall to 2.1 / 3 x 1.4 = 98 % and spill 2 % to r2.
            assertThat(lb.plan().shareByTier()).isEqualTo(before).containsEntry(1, 1.0);
            assertThat(lb.plan().tiers().get(1).health()).isEqualTo(1.0);
            assertThat(picksOf("r1-b-2")).isCloseTo(0.1 / 2.1, within(1e-9));
        }

        @Test
        void aNewEndpointThatIsEjectedAndReturnsRampsAsAReturningOne() {
            scaling(TEN_SECONDS);
            registry.put(endpoint("r1-a-2", "r1", "r1-a"));
            time.advance(Duration.ofSeconds(5));

            lb.setEjected("r1-a-2", true);
            lb.setEjected("r1-a-2", false);

            // returning rules win: (2 + 0.1) / 3 x 1.4 = 98 % of the traffic stays in the zone
            assertThat(local()).isCloseTo(0.98, within(1e-9));
            assertThat(lb.plan().shareByEndpoint().get("r1-a-2")).isCloseTo(0.98 * 0.1 / 2.1, within(1e-9));
        }

        @ParameterizedTest
        @EnumSource(value = EndpointStrategy.class, names = {"RANDOM", "LEAST_REQUEST"})
        void everyStrategyWeighsANewEndpointByItsFactor(EndpointStrategy strategy) {
            scaling(TEN_SECONDS, strategy, List.of());

            registry.put(endpoint("r1-a-2", "r1", "r1-a"));

            // Random draws: 0.005 around 0.1 / 2.1 is over 7 sigma for 100,000 picks (sigma about 0.00067).
            Map<String, Double> shares = endpointFractions(lb::pick, 100_000);
            assertThat(shares.get("r1-a-2")).isCloseTo(0.1 / 2.1, within(0.005));
            assertThat(shares.get("r1-a-0")).isCloseTo(1.0 / 2.1, within(0.01));
        }
    }
}
