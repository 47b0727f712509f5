package dev.meshless.balancer;

import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a retry must avoid: endpoints already tried (Envoy's previous hosts), whole tiers already
 * tried (Envoy's previous priorities), zones that failed or may not take the call right now (a
 * half-open zone breaker with no probe permit left) and regions that failed as a whole (a connect
 * failure, a zone-level failure). Immutable; each {@code with} returns a new value.
 *
 * <p>An excluded endpoint is never picked again while another routable endpoint remains. Excluded
 * tiers are removed from the spillover maths and the remaining tiers' shares are recomputed as if
 * the excluded ones had no health. Excluded zones and regions take no part in the pick.
 */
public final class Exclusions {

    private static final Exclusions NONE = new Exclusions(new String[0], new Locality[0], new String[0], 0L);

    private final String[] endpointIds;
    private final Locality[] zones;
    private final String[] regions;
    private final long tierMask;

    private Exclusions(String[] endpointIds, Locality[] zones, String[] regions, long tierMask) {
        this.endpointIds = endpointIds;
        this.zones = zones;
        this.regions = regions;
        this.tierMask = tierMask;
    }

    /** @return nothing excluded */
    public static Exclusions none() {
        return NONE;
    }

    /**
     * @param endpoint an endpoint already tried
     * @return these exclusions plus that endpoint
     */
    public Exclusions withEndpoint(Endpoint endpoint) {
        return withEndpointId(endpoint.id());
    }

    /**
     * @param endpointId the id of an endpoint already tried
     * @return these exclusions plus that endpoint
     */
    public Exclusions withEndpointId(String endpointId) {
        if (excludesEndpoint(endpointId)) {
            return this;
        }
        String[] ids = Arrays.copyOf(endpointIds, endpointIds.length + 1);
        ids[endpointIds.length] = endpointId;
        return new Exclusions(ids, zones, regions, tierMask);
    }

    /**
     * @param zone a zone to avoid (its sub-zone, if any, is ignored)
     * @return these exclusions plus that zone
     */
    public Exclusions withZone(Locality zone) {
        Locality key = zone.withoutSubZone();
        if (excludesZone(key)) {
            return this;
        }
        Locality[] more = Arrays.copyOf(zones, zones.length + 1);
        more[zones.length] = key;
        return new Exclusions(endpointIds, more, regions, tierMask);
    }

    /**
     * @param region a region to avoid
     * @return these exclusions plus that region
     */
    public Exclusions withRegion(String region) {
        if (excludesRegion(region)) {
            return this;
        }
        String[] more = Arrays.copyOf(regions, regions.length + 1);
        more[regions.length] = region;
        return new Exclusions(endpointIds, zones, more, tierMask);
    }

    /**
     * @param other more exclusions
     * @return these exclusions plus every endpoint, zone, region and tier of {@code other}
     */
    public Exclusions with(Exclusions other) {
        if (other.isEmpty() || other == this) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Exclusions merged = this;
        for (String id : other.endpointIds) {
            merged = merged.withEndpointId(id);
        }
        for (Locality z : other.zones) {
            merged = merged.withZone(z);
        }
        for (String r : other.regions) {
            merged = merged.withRegion(r);
        }
        return other.tierMask == 0 ? merged
                : new Exclusions(merged.endpointIds, merged.zones, merged.regions, merged.tierMask | other.tierMask);
    }

    /**
     * @param tier a tier already tried, 0 to 63
     * @return these exclusions plus that tier
     */
    public Exclusions withTier(int tier) {
        if (tier < 0 || tier > 63) {
            throw new IllegalArgumentException("tier must be between 0 and 63, but was " + tier);
        }
        return new Exclusions(endpointIds, zones, regions, tierMask | (1L << tier));
    }

    /**
     * @param endpointId an endpoint id
     * @return whether it is excluded
     */
    public boolean excludesEndpoint(String endpointId) {
        for (String id : endpointIds) {
            if (id.equals(endpointId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param zone a zone, without sub-zone
     * @return whether it is excluded
     */
    public boolean excludesZone(Locality zone) {
        for (Locality z : zones) {
            if (z.sameZoneAs(zone)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param zone a zone or any locality in it
     * @return whether its zone or its region is excluded
     */
    public boolean excludesLocality(Locality zone) {
        return (zones.length > 0 && excludesZone(zone)) || (regions.length > 0 && excludesRegion(zone.region()));
    }

    /**
     * @param region a region name
     * @return whether it is excluded
     */
    public boolean excludesRegion(String region) {
        for (String r : regions) {
            if (r.equals(region)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param tier a tier number
     * @return whether it is excluded
     */
    public boolean excludesTier(int tier) {
        return tier >= 0 && tier < 64 && (tierMask & (1L << tier)) != 0;
    }

    /** @return whether at least one tier is excluded */
    public boolean hasTiers() {
        return tierMask != 0;
    }

    /** @return how many endpoints are excluded */
    public int endpointCount() {
        return endpointIds.length;
    }

    /** @return whether nothing is excluded */
    public boolean isEmpty() {
        return endpointIds.length == 0 && zones.length == 0 && regions.length == 0 && tierMask == 0;
    }

    /** @return ids of the excluded endpoints, in the order they were added */
    public List<String> endpointIds() {
        return List.of(endpointIds);
    }

    /** @return the excluded zones, in the order they were added */
    public List<Locality> zones() {
        return List.of(zones);
    }

    /** @return the excluded regions, in the order they were added */
    public List<String> regions() {
        return List.of(regions);
    }

    /** @return the excluded tiers, ascending */
    public List<Integer> tiers() {
        List<Integer> tiers = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
            if (excludesTier(t)) {
                tiers.add(t);
            }
        }
        return tiers;
    }

    @Override
    public String toString() {
        return "Exclusions{endpoints=" + endpointIds() + ", zones=" + zones() + ", regions=" + regions() + ", tiers="
                + tiers() + "}";
    }
}
