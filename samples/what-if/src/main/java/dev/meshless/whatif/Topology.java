package dev.meshless.whatif;

import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import java.util.List;

/**
 * A validated what-if topology: everything the simulator needs, with defaults applied.
 *
 * @param caller where the calling instance runs
 * @param policy the load-balancing policy to apply
 * @param callers how the caller's own service spreads over zones, or {@code null} when the file
 *     gives no {@code callers} (capacity-aware zone routing then has nothing to work with)
 * @param endpoints the upstream endpoints, in file order, ids unique
 * @param unavailableZones zones whose circuit breaker is open
 * @param picks how many picks to sample; 0 reports the plan's exact shares
 */
record Topology(Locality caller, LoadBalancingPolicy policy, List<CallerGroup> callers,
                List<EndpointSpec> endpoints, List<Locality> unavailableZones, int picks) {

    /** Default for {@code picks}. */
    static final int DEFAULT_PICKS = 100_000;
    /** Largest accepted {@code picks}; about a few seconds of picking. */
    static final int MAX_PICKS = 100_000_000;
    /** Largest accepted {@code callers[].count}; each caller becomes one synthetic registry entry. */
    static final int MAX_CALLER_COUNT = 100_000;

    Topology {
        callers = callers == null ? null : List.copyOf(callers);
        endpoints = List.copyOf(endpoints);
        unavailableZones = List.copyOf(unavailableZones);
    }

    /**
     * Instances of the caller's own service in one zone.
     *
     * @param zone where they run
     * @param count how many, at least 1
     */
    record CallerGroup(Locality zone, int count) {
    }

    /**
     * One upstream endpoint as the file declares it.
     *
     * @param id unique id
     * @param zone where it runs
     * @param weight relative weight
     * @param health registry health
     * @param ejected whether outlier detection has ejected it
     */
    record EndpointSpec(String id, Locality zone, int weight, HealthStatus health, boolean ejected) {
    }
}
