package dev.meshless.whatif;

import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.balancer.Pick;
import dev.meshless.balancer.RoutingPlan;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs a {@link Topology} through the real {@link LocalityLoadBalancer}: the same registry,
 * policy, ejection and zone-availability calls an application makes, then either the plan's exact
 * shares ({@code picks = 0}) or the fractions observed over that many {@link LocalityLoadBalancer#pick()}
 * calls.
 *
 * <p>Callers are not simulated as traffic sources: they are synthetic registry entries of
 * {@value #CALLER_SERVICE}, which is how the balancer learns how callers spread over zones.
 * Nothing reports calls in flight, so {@code least-request} behaves as weighted random here.
 */
final class Simulator {

    /** Service name of the upstream endpoints. */
    static final String SERVICE = "upstream";
    /** Service name of the synthetic caller instances. */
    static final String CALLER_SERVICE = "what-if-caller";

    private static final int FIRST_PORT = 10_000;
    private static final int PORT_RANGE = 50_000;

    private Simulator() {
    }

    /**
     * @param topology a validated topology
     * @return how the balancer splits the caller's traffic
     */
    static Split run(Topology topology) {
        LocalityLoadBalancer.Builder builder = LocalityLoadBalancer.builder(SERVICE)
                .registry(StaticRegistry.of(registryEntries(topology)))
                .caller(topology.caller())
                .policy(topology.policy());
        if (topology.callers() != null) {
            builder.callerService(CALLER_SERVICE);
        }
        // Given to the builder, not set afterwards, so that the first plan is already the answer.
        for (Topology.EndpointSpec e : topology.endpoints()) {
            if (e.ejected()) {
                builder.ejected(e.id());
            }
        }
        topology.unavailableZones().forEach(builder::unavailableZone);
        try (LocalityLoadBalancer lb = builder.build()) {
            RoutingPlan plan = lb.plan();
            if (!plan.routable()) {
                return Split.unroutable(plan.unroutableDetail()).withRegionOrder(lb.regionOrder());
            }
            return (topology.picks() == 0 ? planned(plan) : sampled(lb, plan, topology.picks()))
                    .withRegionOrder(lb.regionOrder());
        }
    }

    private static List<Endpoint> registryEntries(Topology topology) {
        List<Endpoint> entries = new ArrayList<>();
        List<Topology.EndpointSpec> endpoints = topology.endpoints();
        for (int i = 0; i < endpoints.size(); i++) {
            Topology.EndpointSpec e = endpoints.get(i);
            entries.add(Endpoint.builder(SERVICE, e.id())
                    .address("127.0.0.1", port(i))
                    .locality(e.zone())
                    .weight(e.weight())
                    .health(e.health())
                    .build());
        }
        if (topology.callers() != null) {
            int n = 0;
            for (int g = 0; g < topology.callers().size(); g++) {
                Topology.CallerGroup group = topology.callers().get(g);
                for (int i = 0; i < group.count(); i++) {
                    entries.add(Endpoint.builder(CALLER_SERVICE, "caller-" + g + "-" + i)
                            .address("127.0.0.2", port(n++))
                            .locality(group.zone())
                            .build());
                }
            }
        }
        return entries;
    }

    private static int port(int i) {
        return FIRST_PORT + i % PORT_RANGE;
    }

    private static Split planned(RoutingPlan plan) {
        Layout layout = new Layout(plan);
        Map<Integer, Double> tiers = plan.shareByTier();
        Map<Locality, Double> zones = plan.shareByZone();
        Map<String, Double> regions = plan.shareByRegion();
        Map<String, Double> endpoints = plan.shareByEndpoint();
        return layout.split(plan, t -> tiers.getOrDefault(t, 0.0), z -> zones.getOrDefault(z, 0.0),
                r -> regions.getOrDefault(r, 0.0), id -> endpoints.getOrDefault(id, 0.0));
    }

    private static Split sampled(LocalityLoadBalancer lb, RoutingPlan plan, int picks) {
        // Picks are built with the snapshot and reused, so identity is a cheap key on this hot loop.
        Map<Pick, long[]> counts = new IdentityHashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.computeIfAbsent(lb.pick(), p -> new long[1])[0]++;
        }
        Map<Integer, Long> tiers = new HashMap<>();
        Map<Locality, Long> zones = new HashMap<>();
        Map<String, Long> regions = new HashMap<>();
        Map<String, Long> endpoints = new HashMap<>();
        counts.forEach((pick, count) -> {
            Locality zone = pick.endpoint().locality().withoutSubZone();
            tiers.merge(pick.tier(), count[0], Long::sum);
            zones.merge(zone, count[0], Long::sum);
            regions.merge(zone.region(), count[0], Long::sum);
            endpoints.merge(pick.endpoint().id(), count[0], Long::sum);
        });
        double total = picks;
        return new Layout(plan).split(plan, t -> tiers.getOrDefault(t, 0L) / total,
                z -> zones.getOrDefault(z, 0L) / total, r -> regions.getOrDefault(r, 0L) / total,
                id -> endpoints.getOrDefault(id, 0L) / total);
    }

    /**
     * The keys of the output in plan order: tiers, then zones, regions and endpoints as the tiers
     * list them, then those in regions the policy excludes (which always get 0).
     */
    private static final class Layout {
        final List<Integer> tiers = new ArrayList<>();
        final Set<Locality> zones = new LinkedHashSet<>();
        final Set<String> regions = new LinkedHashSet<>();
        final List<String> endpoints = new ArrayList<>();
        /** Zone names that exist in more than one region; those are keyed {@code region/zone}. */
        final Set<String> ambiguousZoneNames = new HashSet<>();

        Layout(RoutingPlan plan) {
            for (RoutingPlan.TierPlan tier : plan.tiers()) {
                tiers.add(tier.tier());
            }
            for (RoutingPlan.EndpointPlan e : plan.endpoints()) {
                add(e.endpoint());
            }
            for (RoutingPlan.EndpointPlan e : plan.excludedByRegion()) {
                add(e.endpoint());
            }
            Map<String, String> regionOfZoneName = new HashMap<>();
            for (Locality zone : zones) {
                String region = regionOfZoneName.putIfAbsent(zone.zone(), zone.region());
                if (region != null && !region.equals(zone.region())) {
                    ambiguousZoneNames.add(zone.zone());
                }
            }
        }

        private void add(Endpoint endpoint) {
            Locality zone = endpoint.locality().withoutSubZone();
            zones.add(zone);
            regions.add(zone.region());
            endpoints.add(endpoint.id());
        }

        String key(Locality zone) {
            return ambiguousZoneNames.contains(zone.zone()) ? zone.region() + "/" + zone.zone() : zone.zone();
        }

        Split split(RoutingPlan plan, Function<Integer, Double> tierShare, Function<Locality, Double> zoneShare,
                    Function<String, Double> regionShare, Function<String, Double> endpointShare) {
            Map<String, Double> byTier = new LinkedHashMap<>();
            tiers.forEach(t -> byTier.put(String.valueOf(t), tierShare.apply(t)));
            Map<String, Double> byZone = new LinkedHashMap<>();
            zones.forEach(z -> byZone.put(key(z), zoneShare.apply(z)));
            Map<String, Double> byRegion = new LinkedHashMap<>();
            regions.forEach(r -> byRegion.put(r, regionShare.apply(r)));
            Map<String, Double> byEndpoint = new LinkedHashMap<>();
            endpoints.forEach(id -> byEndpoint.put(id, endpointShare.apply(id)));
            return new Split(byTier, byZone, byRegion, byEndpoint, plan.panic(), plan.panicTiers(), null);
        }
    }
}
