package dev.meshless.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meshless.registry.StaticRegistry;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Invariants of the plan and the picker over random topologies, health and policies. */
class BalancerPropertiesTest {

    private static final String SERVICE = "inventory";
    private static final String CALLERS = "frontend";
    private static final List<String> REGIONS = List.of("r1", "r2", "r3");

    /** One random situation: endpoints with health, ejections, unavailable zones, callers and policy. */
    record Scenario(List<Endpoint> endpoints, Set<String> ejected, Set<Locality> downZones, List<Endpoint> callers,
                    LoadBalancingPolicy policy) {

        LocalityLoadBalancer balancer() {
            List<Endpoint> all = new ArrayList<>(endpoints);
            all.addAll(callers);
            LocalityLoadBalancer lb = LocalityLoadBalancer.builder(SERVICE).registry(StaticRegistry.of(all))
                    .caller(Locality.of("r1", "r1-a")).callerService(CALLERS).policy(policy).build();
            ejected.forEach(id -> lb.setEjected(id, true));
            downZones.forEach(z -> lb.setZoneAvailable(z, false));
            return lb;
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<List<Endpoint>> endpoints = endpointSpecs().list().ofMinSize(1).ofMaxSize(40).map(specs -> {
            List<Endpoint> list = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                EndpointSpec s = specs.get(i);
                list.add(Endpoint.builder(SERVICE, "e" + i).address("10.0.0.1", 1000 + i)
                        .locality(s.region, s.region + "-" + s.zone).weight(s.weight).health(s.health).build());
            }
            return list;
        });
        Arbitrary<LoadBalancingPolicy> policies = Combinators.combine(
                Arbitraries.doubles().between(1.0, 3.0),
                Arbitraries.of(0.0, 10.0, 50.0, 75.0, 100.0),
                Arbitraries.subsetOf(REGIONS).map(ArrayList::new),
                Arbitraries.of(true, false),
                Arbitraries.of(true, false),
                Arbitraries.of(EndpointStrategy.class),
                Arbitraries.integers().between(1, 8)).as((factor, panic, order, exclude, zoneAware, strategy, min) ->
                LoadBalancingPolicy.builder().overprovisioningFactor(factor).panicThresholdPercent(panic)
                        .regionOrder(order).excludeUnlistedRegions(exclude).zoneAware(zoneAware)
                        .endpointStrategy(strategy).minClusterSize(min).build());
        Arbitrary<List<Endpoint>> callers = Arbitraries.integers().between(0, 4).list().ofSize(3).map(counts -> {
            List<Endpoint> list = new ArrayList<>();
            for (int z = 0; z < 3; z++) {
                for (int i = 0; i < counts.get(z); i++) {
                    list.add(Endpoint.builder(CALLERS, "c" + z + "-" + i).address("10.0.1.1", 1000 + 10 * z + i)
                            .locality("r1", "r1-" + "abc".charAt(z)).build());
                }
            }
            return list;
        });
        return Combinators.combine(endpoints, Arbitraries.integers().between(0, 39).set().ofMaxSize(6),
                Arbitraries.of("a", "b", "c").set().ofMaxSize(2), callers, policies).as(
                (eps, ejectedIdx, down, cs, policy) -> {
                    Set<String> ejected = new HashSet<>();
                    ejectedIdx.forEach(i -> ejected.add("e" + i));
                    Set<Locality> zones = new HashSet<>();
                    down.forEach(z -> zones.add(Locality.of("r1", "r1-" + z)));
                    return new Scenario(eps, ejected, zones, cs, policy);
                });
    }

    record EndpointSpec(String region, String zone, int weight, HealthStatus health) {
    }

    private Arbitrary<EndpointSpec> endpointSpecs() {
        return Combinators.combine(Arbitraries.of(REGIONS), Arbitraries.of("a", "b", "c"),
                Arbitraries.integers().between(1, 10), Arbitraries.of(HealthStatus.class)).as(EndpointSpec::new);
    }

    @Property(tries = 300)
    void sharesAlwaysSumToOne(@ForAll("scenarios") Scenario scenario) {
        RoutingPlan plan = scenario.balancer().plan();
        if (!plan.routable()) {
            assertThat(plan.shareByEndpoint().values()).allMatch(s -> s == 0.0);
            return;
        }
        assertThat(sum(plan.shareByTier())).isCloseTo(1.0, within(1e-9));
        assertThat(sum(plan.shareByZone())).isCloseTo(1.0, within(1e-9));
        assertThat(sum(plan.shareByRegion())).isCloseTo(1.0, within(1e-9));
        assertThat(sum(plan.shareByEndpoint())).isCloseTo(1.0, within(1e-9));
        assertThat(plan.shareByEndpoint().values()).allMatch(s -> s >= 0.0 && s <= 1.0 + 1e-12);
    }

    @Property(tries = 300)
    void unhealthyEndpointsGetNothingOutsidePanic(@ForAll("scenarios") Scenario scenario) {
        LocalityLoadBalancer lb = scenario.balancer();
        RoutingPlan plan = lb.plan();
        Set<String> forbidden = new HashSet<>();
        for (RoutingPlan.TierPlan tier : plan.tiers()) {
            for (RoutingPlan.ZonePlan zone : tier.zones()) {
                for (RoutingPlan.EndpointPlan e : zone.endpoints()) {
                    if (!tier.panic() && e.state() != EndpointState.AVAILABLE) {
                        assertThat(e.share()).as("%s in tier %d", e, tier.tier()).isZero();
                        forbidden.add(e.endpoint().id());
                    }
                }
            }
        }
        plan.excludedByRegion().forEach(e -> forbidden.add(e.endpoint().id()));
        if (plan.routable()) {
            for (int i = 0; i < 200; i++) {
                assertThat(forbidden).doesNotContain(lb.pick().endpoint().id());
            }
        }
    }

    @Property(tries = 300)
    void healthyLocalZoneWithCapacityKeepsAllTraffic(@ForAll("scenarios") Scenario scenario) {
        LocalityLoadBalancer lb = scenario.balancer();
        RoutingPlan plan = lb.plan();
        RoutingPlan.TierPlan local = plan.tiers().isEmpty() ? null : plan.tiers().get(0);
        if (local == null || local.tier() != 0 || local.health() < 1.0) {
            return;
        }
        if (scenario.policy().zoneAware() && !hasCapacity(scenario, plan)) {
            return;
        }
        assertThat(plan.tierShare(0)).isEqualTo(1.0);
        for (int i = 0; i < 200; i++) {
            assertThat(lb.pick().tier()).isZero();
        }
    }

    @Property(tries = 200)
    void retriesNeverRepeatAnEndpointWhileUntriedOnesRemain(@ForAll("scenarios") Scenario scenario) {
        LocalityLoadBalancer lb = scenario.balancer();
        if (!lb.plan().routable()) {
            return;
        }
        Exclusions tried = Exclusions.none();
        Set<String> seen = new HashSet<>();
        for (int attempt = 0; attempt < 50; attempt++) {
            Pick p;
            try {
                p = lb.pick(tried);
            } catch (NoEndpointAvailableException e) {
                assertThat(e.reason()).isIn(NoEndpointAvailableException.Reason.ALL_EXCLUDED,
                        NoEndpointAvailableException.Reason.ALL_UNHEALTHY);
                return;
            }
            assertThat(seen.add(p.endpoint().id())).as("repeated %s after %s", p, seen).isTrue();
            tried = tried.withEndpoint(p.endpoint());
        }
    }

    /**
     * Retries follow the plan's routing rule: with some tiers excluded, each remaining tier's share
     * and panic flag are exactly what the plan calculator gives for the same endpoints without the
     * excluded tiers (and without capacity-aware routing, which retries do not apply).
     */
    @Property(tries = 300)
    void retriesSplitTiersByThePlansRule(@ForAll("scenarios") Scenario scenario,
                                         @ForAll("tierMasks") int excludedIndices) {
        Picker picker = scenario.balancer().picker();
        RoutingPlan plan = picker.plan();
        if (!plan.routable()) {
            return;
        }
        Exclusions exclusions = Exclusions.none();
        Set<String> inExcludedTiers = new HashSet<>();
        for (int t = 0; t < plan.tiers().size(); t++) {
            if ((excludedIndices & (1 << t)) != 0) {
                exclusions = exclusions.withTier(plan.tiers().get(t).tier());
                plan.tiers().get(t).zones().forEach(z -> z.endpoints().forEach(e -> inExcludedTiers.add(e.endpoint().id())));
            }
        }
        List<Endpoint> left = scenario.endpoints().stream().filter(e -> !inExcludedTiers.contains(e.id())).toList();
        // The same region order, so that each region keeps its tier number without the excluded ones.
        LoadBalancingPolicy samePolicy = scenario.policy().toBuilder()
                .regionOrder(scenario.balancer().regionOrder()).build();
        RoutingPlan reference = PlanCalculator.compute(new PlanCalculator.Input(SERVICE, Locality.of("r1", "r1-a"),
                samePolicy, left, Map.of(), scenario.ejected(), scenario.downZones()));

        dev.meshless.balancer.internal.Spillover.TierLoads loads;
        try {
            loads = picker.loads(exclusions);
        } catch (NoEndpointAvailableException e) {
            assertThat(reference.routable()).as("retry refused (%s) where the plan routes", e.reason()).isFalse();
            assertThat(e.reason()).isEqualTo(reference.unroutableReason() == NoEndpointAvailableException.Reason.NO_ENDPOINTS
                    ? NoEndpointAvailableException.Reason.ALL_EXCLUDED : reference.unroutableReason());
            return;
        }
        assertThat(reference.routable()).as("the plan of the tiers left is unroutable").isTrue();
        for (int t = 0; t < plan.tiers().size(); t++) {
            int tier = plan.tiers().get(t).tier();
            double expected = exclusions.excludesTier(tier) ? 0.0 : reference.tierShare(tier);
            assertThat(loads.share(t)).as("share of tier %d", tier).isEqualTo(expected);
            assertThat(loads.panic(t)).as("panic of tier %d", tier).isEqualTo(reference.panicTiers().contains(tier));
        }
    }

    @Provide
    Arbitrary<Integer> tierMasks() {
        return Arbitraries.integers().between(0, 31);
    }

    /** The caller's zone holds at least its callers' share of the healthy upstream weight in the region. */
    private static boolean hasCapacity(Scenario scenario, RoutingPlan plan) {
        long callersInRegion = scenario.callers().size();
        long localCallers = scenario.callers().stream().filter(c -> c.locality().zone().equals("r1-a")).count();
        if (callersInRegion < scenario.policy().minClusterSize() || localCallers == 0) {
            return true; // zone-aware routing does not apply
        }
        long healthy0 = plan.tiers().get(0).healthyWeight();
        long healthy1 = plan.tiers().size() > 1 && plan.tiers().get(1).tier() == 1
                ? plan.tiers().get(1).healthyWeight() : 0;
        return (double) healthy0 / (healthy0 + healthy1) >= (double) localCallers / callersInRegion;
    }

    private static double sum(Map<?, Double> shares) {
        return shares.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
