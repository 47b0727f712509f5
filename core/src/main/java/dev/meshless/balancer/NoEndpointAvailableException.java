package dev.meshless.balancer;

import dev.meshless.MeshlessException;
import java.util.List;

/**
 * Thrown by a pick when the service has no endpoint that may receive the call. Says which service,
 * why, and what the pick was told to avoid.
 */
public final class NoEndpointAvailableException extends MeshlessException {

    /** Why nothing could be picked. */
    public enum Reason {
        /** The registry lists no endpoint for the service (or none yet, or only excluded regions). */
        NO_ENDPOINTS,
        /** Routable endpoints exist but every one was excluded by the caller (all tried already). */
        ALL_EXCLUDED,
        /** Every endpoint is unhealthy, ejected or in an unavailable zone, and panic is disabled. */
        ALL_UNHEALTHY
    }

    private final Reason reason;
    private final List<String> excludedEndpoints;
    private final List<Integer> excludedTiers;

    NoEndpointAvailableException(String service, Reason reason, String detail, Exclusions exclusions) {
        super(service, "No endpoint available for service '" + service + "': " + detail
                + (exclusions.isEmpty() ? "" : " (excluded endpoints " + exclusions.endpointIds()
                        + (exclusions.zones().isEmpty() ? "" : ", excluded zones " + exclusions.zones())
                        + ", excluded tiers " + exclusions.tiers() + ")"), null);
        this.reason = reason;
        this.excludedEndpoints = exclusions.endpointIds();
        this.excludedTiers = exclusions.tiers();
    }

    /** @return why nothing could be picked */
    public Reason reason() {
        return reason;
    }

    /** @return ids of the endpoints the pick was told to avoid (already tried) */
    public List<String> excludedEndpoints() {
        return excludedEndpoints;
    }

    /** @return the tiers the pick was told to avoid */
    public List<Integer> excludedTiers() {
        return excludedTiers;
    }
}
