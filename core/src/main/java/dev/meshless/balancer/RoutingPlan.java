package dev.meshless.balancer;

import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a service's traffic is planned to split right now: per tier, per zone and per endpoint,
 * with the health figures behind the split. The picker follows this plan; reports, metrics and the
 * what-if simulator read it.
 *
 * <p>Immutable. Shares are fractions of the caller's traffic (0 to 1) and, when the plan is
 * routable, sum to 1 over tiers, over zones and over endpoints. Two plans are equal when they
 * would route identically and report the same figures.
 */
public final class RoutingPlan {

    private final String service;
    private final Locality caller;
    private final List<TierPlan> tiers;
    private final List<EndpointPlan> excludedByRegion;
    private final boolean zoneAwareApplied;
    private final NoEndpointAvailableException.Reason unroutableReason;
    private final String unroutableDetail;
    private final double probeShare;
    private final boolean probesAsCapacity;

    RoutingPlan(String service, Locality caller, List<TierPlan> tiers, List<EndpointPlan> excludedByRegion,
                boolean zoneAwareApplied, NoEndpointAvailableException.Reason unroutableReason,
                String unroutableDetail) {
        this(service, caller, tiers, excludedByRegion, zoneAwareApplied, unroutableReason, unroutableDetail, 0.0,
                false);
    }

    RoutingPlan(String service, Locality caller, List<TierPlan> tiers, List<EndpointPlan> excludedByRegion,
                boolean zoneAwareApplied, NoEndpointAvailableException.Reason unroutableReason,
                String unroutableDetail, double probeShare, boolean probesAsCapacity) {
        this.probeShare = probeShare;
        this.probesAsCapacity = probesAsCapacity;
        this.service = service;
        this.caller = caller;
        this.tiers = List.copyOf(tiers);
        this.excludedByRegion = List.copyOf(excludedByRegion);
        this.zoneAwareApplied = zoneAwareApplied;
        this.unroutableReason = unroutableReason;
        this.unroutableDetail = unroutableDetail;
    }

    /** @return the service this plan routes to */
    public String service() {
        return service;
    }

    /** @return the caller's locality, or {@code null} when unknown (no locality preference) */
    public Locality caller() {
        return caller;
    }

    /** @return the tiers that hold at least one endpoint, in priority order */
    public List<TierPlan> tiers() {
        return tiers;
    }

    /**
     * @return endpoints in regions the policy excludes ({@link EndpointState#REGION_EXCLUDED}); they
     *     belong to no tier and never receive traffic
     */
    public List<EndpointPlan> excludedByRegion() {
        return excludedByRegion;
    }

    /** @return whether capacity-aware zone routing moved traffic out of the caller's zone */
    public boolean zoneAwareApplied() {
        return zoneAwareApplied;
    }

    /** @return whether any endpoint can be picked */
    public boolean routable() {
        return unroutableReason == null;
    }

    /** @return why nothing can be picked, or {@code null} when the plan is routable */
    public NoEndpointAvailableException.Reason unroutableReason() {
        return unroutableReason;
    }

    /** @return a sentence saying why nothing can be picked, or {@code null} when routable */
    public String unroutableDetail() {
        return unroutableDetail;
    }

    /**
     * @return the share of first attempts planned for endpoints only being probed
     *     ({@link EndpointState#PROBING}) while known-good capacity exists; 0 when none are probed,
     *     or when they count as available because nothing known-good is left
     */
    public double probeShare() {
        return probeShare;
    }

    /**
     * @return whether probing endpoints count as available, because no endpoint that receives
     *     traffic is known to be good; retries may then go to them
     */
    public boolean probesAsCapacity() {
        return probesAsCapacity;
    }

    /**
     * @param state an endpoint's state in this plan
     * @return whether an endpoint in that state takes part in the known-good plan (and retries)
     */
    public boolean routableState(EndpointState state) {
        return state == EndpointState.AVAILABLE || (state == EndpointState.PROBING && probesAsCapacity);
    }

    /** @return whether any tier that receives traffic is in panic */
    public boolean panic() {
        for (TierPlan t : tiers) {
            if (t.panic()) {
                return true;
            }
        }
        return false;
    }

    /** @return the tiers in panic, ascending */
    public List<Integer> panicTiers() {
        List<Integer> panic = new ArrayList<>();
        for (TierPlan t : tiers) {
            if (t.panic()) {
                panic.add(t.tier());
            }
        }
        return panic;
    }

    /**
     * @param tier a tier number
     * @return that tier's planned share, 0 when it has no endpoints
     */
    public double tierShare(int tier) {
        for (TierPlan t : tiers) {
            if (t.tier() == tier) {
                return t.share();
            }
        }
        return 0.0;
    }

    /** @return planned share per tier number, in priority order */
    public Map<Integer, Double> shareByTier() {
        Map<Integer, Double> shares = new LinkedHashMap<>();
        for (TierPlan t : tiers) {
            shares.put(t.tier(), t.share());
        }
        return shares;
    }

    /** @return planned share per zone (region and zone), in priority order */
    public Map<Locality, Double> shareByZone() {
        Map<Locality, Double> shares = new LinkedHashMap<>();
        for (TierPlan t : tiers) {
            for (ZonePlan z : t.zones()) {
                shares.merge(z.zone(), z.share(), Double::sum);
            }
        }
        return shares;
    }

    /** @return planned share per region, in priority order */
    public Map<String, Double> shareByRegion() {
        Map<String, Double> shares = new LinkedHashMap<>();
        for (TierPlan t : tiers) {
            for (ZonePlan z : t.zones()) {
                shares.merge(z.zone().region(), z.share(), Double::sum);
            }
        }
        return shares;
    }

    /** @return planned share per endpoint id, in priority order */
    public Map<String, Double> shareByEndpoint() {
        Map<String, Double> shares = new LinkedHashMap<>();
        for (TierPlan t : tiers) {
            for (ZonePlan z : t.zones()) {
                for (EndpointPlan e : z.endpoints()) {
                    shares.put(e.endpoint().id(), e.share());
                }
            }
        }
        return shares;
    }

    /** @return every endpoint the plan knows, with its state and share, in priority order */
    public List<EndpointPlan> endpoints() {
        List<EndpointPlan> all = new ArrayList<>();
        for (TierPlan t : tiers) {
            for (ZonePlan z : t.zones()) {
                all.addAll(z.endpoints());
            }
        }
        return all;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RoutingPlan)) {
            return false;
        }
        RoutingPlan that = (RoutingPlan) o;
        return zoneAwareApplied == that.zoneAwareApplied && service.equals(that.service)
                && Double.compare(probeShare, that.probeShare) == 0 && probesAsCapacity == that.probesAsCapacity
                && Objects.equals(caller, that.caller) && tiers.equals(that.tiers)
                && excludedByRegion.equals(that.excludedByRegion)
                && unroutableReason == that.unroutableReason
                && Objects.equals(unroutableDetail, that.unroutableDetail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, caller, tiers, excludedByRegion, zoneAwareApplied, unroutableReason, unroutableDetail,
                probeShare, probesAsCapacity);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(service).append(" from ").append(caller).append(':');
        if (!routable()) {
            sb.append(" unroutable (").append(unroutableDetail).append(')');
        }
        for (TierPlan t : tiers) {
            sb.append(String.format(java.util.Locale.ROOT, " tier %d %.1f%%%s", t.tier(), t.share() * 100,
                    t.panic() ? " PANIC" : ""));
        }
        if (probeShare > 0.0) {
            sb.append(String.format(java.util.Locale.ROOT, " (probes %.1f%%)", probeShare * 100));
        }
        return sb.toString();
    }

    /**
     * One priority tier.
     *
     * @param tier tier number: 0 same zone, 1 same region, 2.. other regions, one each, nearest first
     * @param kind where the tier lies relative to the caller
     * @param totalWeight sum of the weights of all its endpoints
     * @param healthyWeight sum of the weights of its available endpoints (probing ones only when
     *     nothing known-good is left)
     * @param healthyFraction {@code healthyWeight / totalWeight}
     * @param health {@code min(1, healthyFraction × over-provisioning factor)}, endpoints in slow
     *     start counting at their ramp factor
     * @param share planned fraction of the caller's traffic, probes included
     * @param panic whether its share is spread over all its endpoints regardless of health
     * @param zones its zones, by region and zone name
     */
    public record TierPlan(int tier, TierKind kind, long totalWeight, long healthyWeight, double healthyFraction,
                           double health, double share, boolean panic, List<ZonePlan> zones) {
        /** Copies the zone list. */
        public TierPlan {
            zones = List.copyOf(zones);
        }
    }

    /**
     * One zone within a tier.
     *
     * @param zone the zone (region and zone, no sub-zone)
     * @param totalWeight sum of the weights of all its endpoints
     * @param healthyWeight sum of the weights of its available endpoints
     * @param share planned fraction of the caller's traffic, probes included
     * @param endpoints its endpoints, by id
     */
    public record ZonePlan(Locality zone, long totalWeight, long healthyWeight, double share,
                           List<EndpointPlan> endpoints) {
        /** Copies the endpoint list. */
        public ZonePlan {
            endpoints = List.copyOf(endpoints);
        }
    }

    /**
     * One endpoint.
     *
     * @param endpoint the endpoint as the registry reported it
     * @param state whether it may receive traffic, and if not why
     * @param share planned fraction of the caller's traffic (non-zero for unavailable endpoints
     *     only in a tier in panic; for a probing endpoint, its part of {@link #probeShare()})
     * @param rampFactor the slow-start factor, in (0, 1], its weight counts with inside its zone
     *     (the endpoint chooser weighs it by {@code weight × rampFactor}); 1 unless it ramps up
     */
    public record EndpointPlan(Endpoint endpoint, EndpointState state, double share, double rampFactor) {

        /**
         * An endpoint that does not ramp up.
         *
         * @param endpoint the endpoint as the registry reported it
         * @param state whether it may receive traffic, and if not why
         * @param share planned fraction of the caller's traffic
         */
        public EndpointPlan(Endpoint endpoint, EndpointState state, double share) {
            this(endpoint, state, share, 1.0);
        }
    }
}
