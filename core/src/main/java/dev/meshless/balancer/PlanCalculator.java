package dev.meshless.balancer;

import dev.meshless.balancer.internal.Spillover;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns topology, health and policy into a {@link RoutingPlan}. Runs on the control side only,
 * whenever an input changes; nothing here is on the pick path. Stateless.
 */
final class PlanCalculator {

    private static final Comparator<Locality> BY_ZONE =
            Comparator.comparing(Locality::region).thenComparing(Locality::zone);

    /**
     * Everything a plan depends on. Sets and maps are read, never kept.
     *
     * @param probing endpoints only being probed (an ejection just expired)
     * @param probingZones zones only being probed (their breaker is half-open)
     * @param proximity regions nearest first, as far as known (the registry's order, then measured
     *     latency); orders the regions the policy does not list
     * @param probesAsCapacity whether probing endpoints count as available: set by
     *     {@link #compute} when nothing known-good is left
     * @param ramp the slow-start factor, below 1, of endpoints that came back recently: it counts in
     *     their tier's and zone's health and share and inside their zone; others count with their
     *     full weight
     * @param zoneRamp the slow-start factor, below 1, of endpoints newly added to the service (a
     *     scale-up): it counts inside their zone only, their zone and tier counting them in full;
     *     an endpoint in {@code ramp} too follows {@code ramp}
     */
    record Input(String service, Locality caller, LoadBalancingPolicy policy, List<Endpoint> endpoints,
                 Map<Locality, Integer> callerCounts, Set<String> ejected, Set<Locality> unavailableZones,
                 Set<String> probing, Set<Locality> probingZones, List<String> proximity, boolean probesAsCapacity,
                 Map<String, Double> ramp, Map<String, Double> zoneRamp) {

        Input(String service, Locality caller, LoadBalancingPolicy policy, List<Endpoint> endpoints,
              Map<Locality, Integer> callerCounts, Set<String> ejected, Set<Locality> unavailableZones) {
            this(service, caller, policy, endpoints, callerCounts, ejected, unavailableZones, Set.of(), Set.of(),
                    List.of(), false, Map.of(), Map.of());
        }

        Input withProbesAsCapacity() {
            return new Input(service, caller, policy, endpoints, callerCounts, ejected, unavailableZones, probing,
                    probingZones, proximity, true, ramp, zoneRamp);
        }
    }

    private PlanCalculator() {
    }

    static RoutingPlan compute(Input given) {
        LoadBalancingPolicy policy = given.policy();
        Locality callerZone = given.caller() == null ? null : given.caller().withoutSubZone();
        List<String> otherRegions = regionTiers(given, callerZone);
        Input in = knownGoodLeft(given, callerZone, otherRegions) ? given : given.withProbesAsCapacity();

        // Group by tier, then zone; sort so that equal inputs always give equal plans.
        TreeMap<Integer, TreeMap<Locality, List<Endpoint>>> grouped = new TreeMap<>();
        List<RoutingPlan.EndpointPlan> regionExcluded = new ArrayList<>();
        List<Endpoint> sorted = new ArrayList<>(in.endpoints());
        sorted.sort(Comparator.comparing(Endpoint::id));
        for (Endpoint e : sorted) {
            int tier = tierOf(e.locality(), callerZone, otherRegions, policy.excludeUnlistedRegions());
            if (tier < 0) {
                regionExcluded.add(new RoutingPlan.EndpointPlan(e, EndpointState.REGION_EXCLUDED, 0.0));
                continue;
            }
            grouped.computeIfAbsent(tier, t -> new TreeMap<>(BY_ZONE))
                    .computeIfAbsent(e.locality().withoutSubZone(), z -> new ArrayList<>())
                    .add(e);
        }

        int n = grouped.size();
        int[] tierNumbers = new int[n];
        long[] totalWeight = new long[n];
        long[] healthyWeight = new long[n];
        double[] healthyFraction = new double[n];
        double[] rampedWeight = new double[n]; // healthy weight, returning endpoints at their slow-start factor
        double[] health = new double[n];
        int i = 0;
        for (Map.Entry<Integer, TreeMap<Locality, List<Endpoint>>> tier : grouped.entrySet()) {
            tierNumbers[i] = tier.getKey();
            for (List<Endpoint> zone : tier.getValue().values()) {
                for (Endpoint e : zone) {
                    totalWeight[i] += e.weight();
                    if (counts(e, in)) {
                        healthyWeight[i] += e.weight();
                        rampedWeight[i] += e.weight() * rampOf(e, in);
                    }
                }
            }
            // Slow start lowers a tier's health, so that traffic comes back over the window, but not
            // its healthy fraction, which decides panic: endpoints ramping up are available.
            healthyFraction[i] = (double) healthyWeight[i] / totalWeight[i];
            health[i] = Spillover.tierHealth(rampedWeight[i] / totalWeight[i], policy.overprovisioningFactor());
            i++;
        }

        Spillover.TierLoads loads = Spillover.tierLoads(health, healthyFraction, policy.panicThresholdPercent(), 0L);
        double[] shares = loads.shares();
        boolean[] panic = loads.panicFlags();
        NoEndpointAvailableException.Reason reason = null;
        String detail = null;
        if (loads.verdict() == Spillover.Verdict.NO_TIERS) {
            reason = NoEndpointAvailableException.Reason.NO_ENDPOINTS;
            detail = in.endpoints().isEmpty() ? "the registry lists no endpoints"
                    : "all " + in.endpoints().size() + " endpoints are in regions the policy excludes (regionOrder="
                            + policy.regionOrder() + ", excludeUnlistedRegions=true)";
        } else if (loads.verdict() == Spillover.Verdict.NO_HEALTH) {
            reason = NoEndpointAvailableException.Reason.ALL_UNHEALTHY;
            detail = (sorted.size() == 1 ? "its only endpoint is not available ("
                    : "none of its " + sorted.size() + " endpoints is available (")
                    + describeStates(grouped, in) + ") and panic is disabled (panicThresholdPercent=0)";
        }

        // Zone shares inside each tier: by healthy weight, or by total weight in panic.
        List<List<Locality>> zoneKeys = new ArrayList<>();
        double[][] zoneShares = new double[n][];
        i = 0;
        for (TreeMap<Locality, List<Endpoint>> zones : grouped.values()) {
            zoneKeys.add(new ArrayList<>(zones.keySet()));
            zoneShares[i] = new double[zones.size()];
            int z = 0;
            for (List<Endpoint> zone : zones.values()) {
                double w = panic[i] ? weightOf(zone, null) : rampedWeightOf(zone, in);
                double tierW = panic[i] ? totalWeight[i] : rampedWeight[i];
                zoneShares[i][z++] = tierW == 0 ? 0.0 : shares[i] * w / tierW;
            }
            i++;
        }

        boolean zoneAware = reason == null && applyZoneAware(in, callerZone, grouped, tierNumbers, healthyWeight,
                shares, panic, zoneShares);

        // Probes: a bounded share of first attempts, taken from the known-good plan, for probing
        // endpoints of the tiers up to the last one that receives traffic (a far region's returning
        // endpoint is probed when the plan reaches its region, not in steady state).
        int lastServing = -1;
        for (int t = 0; t < n; t++) {
            lastServing = shares[t] > 0.0 ? t : lastServing;
        }
        boolean[] probed = new boolean[n];
        long probeWeight = 0;
        if (reason == null && !in.probesAsCapacity()) {
            i = 0;
            for (TreeMap<Locality, List<Endpoint>> zones : grouped.values()) {
                probed[i] = !panic[i] && i <= lastServing;
                for (List<Endpoint> zone : zones.values()) {
                    probeWeight += probed[i] ? probingWeight(zone, in) : 0;
                }
                i++;
            }
        }
        double probeShare = probeWeight == 0 ? 0.0 : policy.probeSharePercent() / 100.0;

        List<RoutingPlan.TierPlan> tiers = new ArrayList<>(n);
        i = 0;
        for (TreeMap<Locality, List<Endpoint>> zones : grouped.values()) {
            List<RoutingPlan.ZonePlan> zonePlans = new ArrayList<>(zones.size());
            double tierShare = 0.0;
            int z = 0;
            for (Map.Entry<Locality, List<Endpoint>> zone : zones.entrySet()) {
                RoutingPlan.ZonePlan plan = zonePlan(zone.getKey(), zone.getValue(),
                        zoneShares[i][z++] * (1.0 - probeShare), panic[i], probed[i] ? probeShare : 0.0,
                        probeWeight, in);
                tierShare += plan.share();
                zonePlans.add(plan);
            }
            tiers.add(new RoutingPlan.TierPlan(tierNumbers[i], TierKind.of(tierNumbers[i], callerZone != null),
                    totalWeight[i], healthyWeight[i], healthyFraction[i], health[i],
                    probeShare == 0.0 ? shares[i] : tierShare, panic[i], zonePlans));
            i++;
        }
        return new RoutingPlan(in.service(), in.caller(), tiers, regionExcluded, zoneAware, reason, detail,
                probeShare, in.probesAsCapacity());
    }

    /**
     * The regions after the caller's, in tier order: those the policy lists, in its order; then,
     * unless the policy excludes them, every other region of the endpoints, each its own tier,
     * nearest first ({@link Input#proximity}), then by name.
     */
    static List<String> regionTiers(Input in, Locality callerZone) {
        List<String> regions = new ArrayList<>(in.policy().regionOrder());
        String own = callerZone == null ? null : callerZone.region();
        regions.remove(own);
        if (in.policy().excludeUnlistedRegions() || callerZone == null) {
            return regions;
        }
        List<String> unlisted = new ArrayList<>();
        for (Endpoint e : in.endpoints()) {
            String r = e.locality().region();
            if (!r.equals(own) && !regions.contains(r) && !unlisted.contains(r)) {
                unlisted.add(r);
            }
        }
        List<String> proximity = in.proximity();
        unlisted.sort(Comparator.<String>comparingInt(r -> {
            int rank = proximity.indexOf(r);
            return rank < 0 ? Integer.MAX_VALUE : rank;
        }).thenComparing(Comparator.naturalOrder()));
        regions.addAll(unlisted);
        return regions;
    }

    /** Whether some endpoint with a tier is available by every health input, probes aside. */
    private static boolean knownGoodLeft(Input in, Locality callerZone, List<String> otherRegions) {
        for (Endpoint e : in.endpoints()) {
            if (stateOf(e, in) == EndpointState.AVAILABLE
                    && tierOf(e.locality(), callerZone, otherRegions, in.policy().excludeUnlistedRegions()) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether the endpoint's weight counts as healthy: available, or probing when nothing known-good is left. */
    static boolean counts(Endpoint e, Input in) {
        EndpointState state = stateOf(e, in);
        return state == EndpointState.AVAILABLE || (state == EndpointState.PROBING && in.probesAsCapacity());
    }

    /** The slow-start factor of an endpoint: below 1 while it ramps up after coming back. */
    private static double rampOf(Endpoint e, Input in) {
        if (in.ramp().isEmpty()) {
            return 1.0;
        }
        Double f = in.ramp().get(e.id());
        return f == null ? 1.0 : f;
    }

    /**
     * The factor an endpoint's weight counts with inside its zone: its returning factor, else its
     * new-endpoint factor, else 1.
     */
    private static double zoneRampOf(Endpoint e, Input in) {
        if (in.ramp().isEmpty() && in.zoneRamp().isEmpty()) {
            return 1.0;
        }
        Double f = in.ramp().get(e.id());
        if (f == null) {
            f = in.zoneRamp().get(e.id());
        }
        return f == null ? 1.0 : f;
    }

    /** Sum of the weights of endpoints that count as healthy, each at its (returning) slow-start factor. */
    private static double rampedWeightOf(List<Endpoint> endpoints, Input in) {
        double w = 0;
        for (Endpoint e : endpoints) {
            if (counts(e, in)) {
                w += e.weight() * rampOf(e, in);
            }
        }
        return w;
    }

    private static long probingWeight(List<Endpoint> endpoints, Input in) {
        long w = 0;
        for (Endpoint e : endpoints) {
            if (stateOf(e, in) == EndpointState.PROBING) {
                w += e.weight();
            }
        }
        return w;
    }

    /**
     * Moves part of tier 0's share to the other zones of the region when the caller's zone holds a
     * larger share of the callers than of the healthy upstream weight. Only ever moves traffic out of
     * the caller's zone: the result is the smaller of the spillover share and the capacity share.
     *
     * @return whether any traffic moved
     */
    private static boolean applyZoneAware(Input in, Locality callerZone,
                                          TreeMap<Integer, TreeMap<Locality, List<Endpoint>>> grouped,
                                          int[] tierNumbers, long[] healthyWeight, double[] shares,
                                          boolean[] panic, double[][] zoneShares) {
        LoadBalancingPolicy policy = in.policy();
        if (!policy.zoneAware() || callerZone == null || tierNumbers.length < 2 || tierNumbers[0] != 0
                || tierNumbers[1] != 1 || panic[0] || panic[1] || shares[0] <= 0.0 || healthyWeight[1] == 0) {
            return false;
        }
        long callersTotal = 0;
        long callersInRegion = 0;
        for (Map.Entry<Locality, Integer> c : in.callerCounts().entrySet()) {
            callersTotal += c.getValue();
            if (c.getKey().region().equals(callerZone.region())) {
                callersInRegion += c.getValue();
            }
        }
        int callersLocal = in.callerCounts().getOrDefault(callerZone, 0);
        if (callersTotal < policy.minClusterSize() || callersLocal == 0) {
            return false;
        }
        double upstreamInRegion = healthyWeight[0] + healthyWeight[1];
        double callerShare = (double) callersLocal / callersInRegion;
        double upstreamShare = healthyWeight[0] / upstreamInRegion;
        double keep = Spillover.localKeepRatio(callerShare, upstreamShare);
        double capacityShare = (shares[0] + shares[1]) * keep;
        if (capacityShare >= shares[0]) {
            return false;
        }
        double moved = shares[0] - capacityShare;

        List<List<Endpoint>> otherZones = new ArrayList<>(grouped.get(1).values());
        List<Locality> otherKeys = new ArrayList<>(grouped.get(1).keySet());
        double[] residual = new double[otherZones.size()];
        double residualSum = 0.0;
        for (int z = 0; z < residual.length; z++) {
            long zoneHealthy = weightOf(otherZones.get(z), in);
            if (zoneHealthy == 0) {
                continue;
            }
            double zoneCallers = (double) in.callerCounts().getOrDefault(otherKeys.get(z), 0) / callersInRegion;
            residual[z] = Spillover.residualCapacity(zoneCallers, zoneHealthy / upstreamInRegion);
            residualSum += residual[z];
        }
        if (residualSum <= 0.0) {
            // Callers outside the caller's zone all sit in zones without upstream: spread by capacity.
            for (int z = 0; z < residual.length; z++) {
                residual[z] = weightOf(otherZones.get(z), in);
                residualSum += residual[z];
            }
        }
        for (int z = 0; z < residual.length; z++) {
            zoneShares[1][z] += moved * residual[z] / residualSum;
        }
        shares[0] = capacityShare;
        shares[1] += moved;
        zoneShares[0][0] = capacityShare;
        return true;
    }

    /**
     * @param zoneShare the zone's share of known-good traffic
     * @param probeShare the share of all traffic that goes to probes, spread by weight over
     *     {@code probeWeight}
     */
    private static RoutingPlan.ZonePlan zonePlan(Locality zone, List<Endpoint> endpoints, double zoneShare,
                                                 boolean panic, double probeShare, long probeWeight, Input in) {
        long total = weightOf(endpoints, null);
        long healthy = weightOf(endpoints, in);
        // Inside the zone, returning and new endpoints alike count at their factor (not in panic).
        double routable = total;
        if (!panic) {
            routable = 0.0;
            for (Endpoint e : endpoints) {
                routable += counts(e, in) ? e.weight() * zoneRampOf(e, in) : 0.0;
            }
        }
        double share = zoneShare;
        List<RoutingPlan.EndpointPlan> plans = new ArrayList<>(endpoints.size());
        for (Endpoint e : endpoints) {
            EndpointState state = stateOf(e, in);
            double endpointShare = 0.0;
            double factor = !panic && counts(e, in) ? zoneRampOf(e, in) : 1.0;
            if (routable > 0 && (panic || counts(e, in))) {
                endpointShare = zoneShare * e.weight() * factor / routable;
            } else if (state == EndpointState.PROBING && probeShare > 0.0) {
                endpointShare = probeShare * e.weight() / probeWeight;
                share += endpointShare;
            }
            plans.add(new RoutingPlan.EndpointPlan(e, state, endpointShare, factor));
        }
        return new RoutingPlan.ZonePlan(zone, total, healthy, share, plans);
    }

    /** Tier of a locality relative to the caller's zone, or -1 when its region is excluded. */
    static int tierOf(Locality locality, Locality callerZone, List<String> otherRegions, boolean excludeUnlisted) {
        if (callerZone == null || locality.sameZoneAs(callerZone)) {
            return 0;
        }
        if (locality.sameRegionAs(callerZone)) {
            return 1;
        }
        int index = otherRegions.indexOf(locality.region());
        if (index >= 0) {
            return 2 + index;
        }
        return excludeUnlisted ? -1 : 2 + otherRegions.size();
    }

    static EndpointState stateOf(Endpoint e, Input in) {
        if (e.health() == HealthStatus.CRITICAL
                || (e.health() == HealthStatus.WARNING && !in.policy().warningIsHealthy())) {
            return EndpointState.UNHEALTHY;
        }
        if (!in.unavailableZones().isEmpty() && in.unavailableZones().contains(e.locality().withoutSubZone())) {
            return EndpointState.ZONE_UNAVAILABLE;
        }
        if (in.ejected().contains(e.id())) {
            return EndpointState.EJECTED;
        }
        if ((!in.probing().isEmpty() && in.probing().contains(e.id()))
                || (!in.probingZones().isEmpty() && in.probingZones().contains(e.locality().withoutSubZone()))) {
            return EndpointState.PROBING;
        }
        return EndpointState.AVAILABLE;
    }

    /** Sum of weights; of available endpoints only when {@code in} is given, of all otherwise. */
    private static long weightOf(List<Endpoint> endpoints, Input in) {
        long w = 0;
        for (Endpoint e : endpoints) {
            if (in == null || counts(e, in)) {
                w += e.weight();
            }
        }
        return w;
    }

    private static String describeStates(TreeMap<Integer, TreeMap<Locality, List<Endpoint>>> grouped, Input in) {
        int[] counts = new int[EndpointState.values().length];
        for (TreeMap<Locality, List<Endpoint>> zones : grouped.values()) {
            for (List<Endpoint> zone : zones.values()) {
                for (Endpoint e : zone) {
                    counts[stateOf(e, in).ordinal()]++;
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (EndpointState s : EndpointState.values()) {
            if (counts[s.ordinal()] > 0) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(counts[s.ordinal()]).append(' ').append(s.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            }
        }
        return sb.toString();
    }
}
