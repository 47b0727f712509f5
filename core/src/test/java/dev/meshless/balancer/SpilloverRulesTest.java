package dev.meshless.balancer;

import static dev.meshless.testing.TestEndpoints.balancer;
import static dev.meshless.testing.TestEndpoints.concat;
import static dev.meshless.testing.TestEndpoints.endpointFractions;
import static dev.meshless.testing.TestEndpoints.zone;
import static dev.meshless.testing.TestEndpoints.zoneFractions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.meshless.registry.EndpointListener;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.registry.Subscription;
import dev.meshless.testing.TestEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The spillover, region-order and panic rules, with worked numbers. */
class SpilloverRulesTest {

    private static final int PICKS = 100_000;
    private static final double TOLERANCE = 0.01;

    @Nested
    class Tiers {

        @Test
        void healthyLocalZoneKeepsAllTraffic() {
            LocalityLoadBalancer lb = balancer(TestEndpoints.twoRegionsThreeZones(2));

            assertThat(lb.plan().shareByTier()).containsEntry(0, 1.0).containsEntry(1, 0.0).containsEntry(2, 0.0);
            assertThat(zoneFractions(lb::pick, 10_000)).containsOnlyKeys("r1-a");
        }

        @Test
        void tierNumbersFollowZoneThenRegionThenRegionOrder() {
            List<Endpoint> endpoints = concat(zone("r1", "r1-a", 1, 0), zone("r1", "r1-b", 1, 0),
                    zone("r3", "r3-a", 1, 0), zone("r2", "r2-a", 1, 0), zone("r4", "r4-a", 1, 0));
            LocalityLoadBalancer lb = balancer(endpoints, LoadBalancingPolicy.builder()
                    .regionOrder("r1", "r3", "r2").build());

            Map<String, Integer> tierByZone = new java.util.TreeMap<>();
            lb.plan().tiers().forEach(t -> t.zones().forEach(z -> tierByZone.put(z.zone().zone(), t.tier())));
            // r1 listed first is the caller's region and is skipped; unlisted r4 comes last.
            assertThat(tierByZone).containsExactlyInAnyOrderEntriesOf(
                    Map.of("r1-a", 0, "r1-b", 1, "r3-a", 2, "r2-a", 3, "r4-a", 4));
            assertThat(lb.plan().tiers()).extracting(RoutingPlan.TierPlan::kind).containsExactly(
                    TierKind.SAME_ZONE, TierKind.SAME_REGION, TierKind.OTHER_REGION, TierKind.OTHER_REGION,
                    TierKind.OTHER_REGION);
        }

        @Test
        void everyUnlistedRegionIsItsOwnTierByName() {
            List<Endpoint> endpoints = concat(zone("r1", "r1-a", 0, 1), zone("r3", "r3-a", 1, 0),
                    zone("r2", "r2-a", 1, 0));
            LocalityLoadBalancer lb = balancer(endpoints, LoadBalancingPolicy.defaults());

            assertThat(lb.plan().tiers()).extracting(RoutingPlan.TierPlan::tier).containsExactly(0, 2, 3);
            assertThat(lb.regionOrder()).containsExactly("r2", "r3");
            assertThat(zoneFractions(lb::pick, 10_000)).containsOnlyKeys("r2-a");
        }

        @Test
        void listedRegionsComeFirstThenTheRegistrysProximityOrder() {
            List<Endpoint> endpoints = concat(zone("r1", "r1-a", 1, 0), zone("r2", "r2-a", 1, 0),
                    zone("r3", "r3-a", 1, 0), zone("r4", "r4-a", 1, 0));
            StaticRegistry source = StaticRegistry.of(endpoints);
            EndpointRegistry registry = new EndpointRegistry() {
                @Override
                public Subscription subscribe(String service, EndpointListener listener) {
                    return source.subscribe(service, listener);
                }

                @Override
                public List<String> regionsByProximity() {
                    return List.of("r1", "r3", "r2"); // Consul lists its own datacenter first
                }
            };
            LocalityLoadBalancer lb = LocalityLoadBalancer.builder(TestEndpoints.SERVICE).registry(registry).caller(TestEndpoints.CALLER)
                    .policy(LoadBalancingPolicy.builder().regionOrder("r4").build()).build();

            assertThat(lb.regionOrder()).containsExactly("r4", "r3", "r2");
            assertThat(lb.plan().tiers()).extracting(t -> t.zones().get(0).zone().region())
                    .containsExactly("r1", "r4", "r3", "r2");
        }

        @Test
        void excludedUnlistedRegionsNeverReceiveTraffic() {
            List<Endpoint> endpoints = concat(zone("r1", "r1-a", 0, 2), zone("r2", "r2-a", 1, 0),
                    zone("r3", "r3-a", 5, 0));
            LocalityLoadBalancer lb = balancer(endpoints, LoadBalancingPolicy.builder()
                    .regionOrder("r2").excludeUnlistedRegions(true).panicThresholdPercent(0).build());

            assertThat(lb.plan().excludedByRegion()).extracting(e -> e.endpoint().id())
                    .containsExactly("r3-a-0", "r3-a-1", "r3-a-2", "r3-a-3", "r3-a-4");
            assertThat(zoneFractions(lb::pick, 10_000)).containsOnlyKeys("r2-a");
        }

        @Test
        void onlyExcludedRegionsMeansNoEndpoints() {
            LocalityLoadBalancer lb = balancer(zone("r3", "r3-a", 2, 0), LoadBalancingPolicy.builder()
                    .regionOrder("r2").excludeUnlistedRegions(true).build());

            assertThatThrownBy(lb::pick).isInstanceOfSatisfying(NoEndpointAvailableException.class, e -> {
                assertThat(e.reason()).isEqualTo(NoEndpointAvailableException.Reason.NO_ENDPOINTS);
                assertThat(e.service()).isEqualTo("inventory");
                assertThat(e).hasMessageContaining("regions the policy excludes").hasMessageContaining("[r2]");
            });
        }
    }

    @Nested
    class GradualSpillover {

        @Test
        void halfHealthyLocalZoneKeepsSeventyPercent() {
            // Tier 0: 2 of 4 healthy → health min(1, 0.5 × 1.4) = 0.7. Tier 1 fully healthy takes the rest.
            List<Endpoint> endpoints = concat(zone("r1", "r1-a", 2, 2), zone("r1", "r1-b", 4, 0));
            LocalityLoadBalancer lb = balancer(endpoints);

            assertThat(lb.plan().tierShare(0)).isCloseTo(0.7, within(1e-12));
            assertThat(lb.plan().tierShare(1)).isCloseTo(0.3, within(1e-12));
            Map<String, Double> byZone = zoneFractions(lb::pick, PICKS);
            assertThat(byZone.get("r1-a")).isCloseTo(0.7, within(TOLERANCE));
            assertThat(byZone.get("r1-b")).isCloseTo(0.3, within(TOLERANCE));
        }

        @Test
        void localZoneAboveOneOverFactorKeepsEverything() {
            // 3 of 4 healthy: 0.75 × 1.4 = 1.05 → capped at 1: no spill.
            LocalityLoadBalancer lb = balancer(concat(zone("r1", "r1-a", 3, 1), zone("r1", "r1-b", 4, 0)));

            assertThat(lb.plan().tierShare(0)).isEqualTo(1.0);
        }

        @Test
        void weightsNotCountsDecideTierHealth() {
            // One heavy endpoint (weight 3) down out of weights 3+1: 25 % healthy → 0.35.
            List<Endpoint> endpoints = List.of(
                    TestEndpoints.endpoint("heavy", "r1", "r1-a", 3, HealthStatus.CRITICAL),
                    TestEndpoints.endpoint("light", "r1", "r1-a", 1, HealthStatus.PASSING),
                    TestEndpoints.endpoint("other", "r1", "r1-b", 1, HealthStatus.PASSING));
            LocalityLoadBalancer lb = balancer(endpoints);

            assertThat(lb.plan().tierShare(0)).isCloseTo(0.35, within(1e-12));
            assertThat(lb.plan().tierShare(1)).isCloseTo(0.65, within(1e-12));
        }

        @Test
        void spillSkipsToTheNextRegionWhenTheRegionIsDegraded() {
            // Tier 0: 1/4 → 0.35; tier 1: 1/4 → 0.35; total 0.7 + tier 2 healthy 1.0 → normalised 1.
            List<Endpoint> endpoints = concat(zone("r1", "r1-a", 1, 3), zone("r1", "r1-b", 1, 3),
                    zone("r2", "r2-a", 4, 0));
            LocalityLoadBalancer lb = balancer(endpoints, LoadBalancingPolicy.builder().regionOrder("r2").build());

            assertThat(lb.plan().tierShare(0)).isCloseTo(0.35, within(1e-12));
            assertThat(lb.plan().tierShare(1)).isCloseTo(0.35, within(1e-12));
            assertThat(lb.plan().tierShare(2)).isCloseTo(0.30, within(1e-12));
            assertThat(lb.plan().panic()).isFalse();
            Map<String, Double> byZone = zoneFractions(lb::pick, PICKS);
            assertThat(byZone.get("r2-a")).isCloseTo(0.3, within(TOLERANCE));
        }

        @Test
        void degradedTiersShareInProportionToHealth() {
            // Factor 1: tiers at 20 % and 30 % health share 40 / 60; panic disabled to isolate the split.
            List<Endpoint> endpoints = concat(zone("r1", "r1-a", 1, 4), zone("r1", "r1-b", 3, 7));
            LocalityLoadBalancer lb = balancer(endpoints, LoadBalancingPolicy.builder()
                    .overprovisioningFactor(1.0).panicThresholdPercent(0).build());

            assertThat(lb.plan().tierShare(0)).isCloseTo(0.4, within(1e-12));
            assertThat(lb.plan().tierShare(1)).isCloseTo(0.6, within(1e-12));
            assertThat(endpointFractions(lb::pick, PICKS)).containsOnlyKeys(
                    "r1-a-0", "r1-b-0", "r1-b-1", "r1-b-2");
        }

        @Test
        void zonesOfATierShareByHealthyWeight() {
            // Local zone empty; r1-b has 1 healthy, r1-c has 3 healthy.
            List<Endpoint> endpoints = concat(zone("r1", "r1-b", 1, 1), zone("r1", "r1-c", 3, 0));
            LocalityLoadBalancer lb = balancer(endpoints);

            Map<String, Double> byZone = zoneFractions(lb::pick, PICKS);
            assertThat(byZone.get("r1-b")).isCloseTo(0.25, within(TOLERANCE));
            assertThat(byZone.get("r1-c")).isCloseTo(0.75, within(TOLERANCE));
        }

        @Test
        void warningCountsAsHealthyUnlessThePolicySaysOtherwise() {
            List<Endpoint> endpoints = List.of(
                    TestEndpoints.endpoint("warn", "r1", "r1-a", 1, HealthStatus.WARNING),
                    TestEndpoints.endpoint("ok", "r1", "r1-b", 1, HealthStatus.PASSING));

            assertThat(balancer(endpoints).plan().tierShare(0)).isEqualTo(1.0);
            LocalityLoadBalancer strict = balancer(endpoints, LoadBalancingPolicy.builder()
                    .warningIsHealthy(false).build());
            assertThat(strict.plan().tierShare(0)).isEqualTo(0.0);
            assertThat(strict.plan().endpoints().get(0).state()).isEqualTo(EndpointState.UNHEALTHY);
        }
    }

    @Nested
    class Panic {

        @Test
        void notConsultedWhileNormalisedHealthIsFull() {
            // Tier 0 is 25 % healthy (below 50 %) but tier 1 makes the total 100 %: no panic.
            LocalityLoadBalancer lb = balancer(concat(zone("r1", "r1-a", 1, 3), zone("r1", "r1-b", 4, 0)));

            assertThat(lb.plan().panic()).isFalse();
            assertThat(lb.plan().tierShare(0)).isCloseTo(0.35, within(1e-12));
            assertThat(endpointFractions(lb::pick, 20_000)).doesNotContainKeys("r1-a-1", "r1-a-2", "r1-a-3");
        }

        @Test
        void degradedServiceSpreadsAPanickingTierOverAllItsEndpoints() {
            // Tier 0: 1/4 healthy (0.35), tier 1: 1/4 healthy (0.35); total 0.7 < 1 and both below 50 %.
            LocalityLoadBalancer lb = balancer(concat(zone("r1", "r1-a", 1, 3), zone("r1", "r1-b", 1, 3)));

            assertThat(lb.plan().panicTiers()).containsExactly(0, 1);
            assertThat(lb.plan().tierShare(0)).isCloseTo(0.5, within(1e-12));
            Map<String, Double> byEndpoint = endpointFractions(lb::pick, PICKS);
            assertThat(byEndpoint).hasSize(8);
            byEndpoint.values().forEach(f -> assertThat(f).isCloseTo(0.125, within(TOLERANCE)));
        }

        @Test
        void onlyTiersBelowTheThresholdPanic() {
            // Tier 0: 3/5 healthy = 60 % (0.84); tier 1: 0/5. Total 0.84 < 1, but 60 % ≥ 50 %.
            LocalityLoadBalancer lb = balancer(concat(zone("r1", "r1-a", 3, 2), zone("r1", "r1-b", 0, 5)));

            assertThat(lb.plan().panic()).isFalse();
            assertThat(lb.plan().tierShare(0)).isEqualTo(1.0);
            assertThat(endpointFractions(lb::pick, 10_000)).containsOnlyKeys("r1-a-0", "r1-a-1", "r1-a-2");
        }

        @Test
        void nothingHealthyAnywhereSendsEverythingToTierZeroInPanic() {
            LocalityLoadBalancer lb = balancer(concat(zone("r1", "r1-a", 0, 2), zone("r1", "r1-b", 0, 2)));

            assertThat(lb.plan().panicTiers()).containsExactly(0);
            assertThat(lb.plan().tierShare(0)).isEqualTo(1.0);
            assertThat(endpointFractions(lb::pick, 10_000)).containsOnlyKeys("r1-a-0", "r1-a-1");
        }

        @Test
        void nothingHealthyAndNoLocalZoneUsesTheFirstTierThatExists() {
            LocalityLoadBalancer lb = balancer(concat(zone("r2", "r2-a", 0, 2), zone("r1", "r1-b", 0, 2)));

            assertThat(lb.plan().panicTiers()).containsExactly(1);
            assertThat(zoneFractions(lb::pick, 1_000)).containsOnlyKeys("r1-b");
        }

        @Test
        void zeroThresholdDisablesPanicAndFailsWithTheReason() {
            LocalityLoadBalancer lb = balancer(concat(zone("r1", "r1-a", 0, 2), zone("r1", "r1-b", 0, 1)),
                    LoadBalancingPolicy.builder().panicThresholdPercent(0).build());

            assertThatThrownBy(lb::pick).isInstanceOfSatisfying(NoEndpointAvailableException.class, e -> {
                assertThat(e.reason()).isEqualTo(NoEndpointAvailableException.Reason.ALL_UNHEALTHY);
                assertThat(e).hasMessage("No endpoint available for service 'inventory': none of its 3 endpoints"
                        + " is available (3 unhealthy) and panic is disabled (panicThresholdPercent=0)");
            });
        }

        @Test
        void zeroThresholdStillRoutesToWhatIsHealthy() {
            LocalityLoadBalancer lb = balancer(concat(zone("r1", "r1-a", 1, 3), zone("r1", "r1-b", 1, 3)),
                    LoadBalancingPolicy.builder().panicThresholdPercent(0).build());

            assertThat(lb.plan().panic()).isFalse();
            assertThat(endpointFractions(lb::pick, 10_000)).containsOnlyKeys("r1-a-0", "r1-b-0");
        }
    }

    @Test
    void emptyRegistryFailsWithNoEndpoints() {
        LocalityLoadBalancer lb = balancer(StaticRegistry.builder().service("inventory").build(),
                LoadBalancingPolicy.defaults());

        assertThatThrownBy(lb::pick).isInstanceOfSatisfying(NoEndpointAvailableException.class, e -> {
            assertThat(e.reason()).isEqualTo(NoEndpointAvailableException.Reason.NO_ENDPOINTS);
            assertThat(e).hasMessage("No endpoint available for service 'inventory': the registry lists no endpoints");
        });
    }
}
