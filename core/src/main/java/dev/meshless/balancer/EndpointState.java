package dev.meshless.balancer;

/**
 * Whether an endpoint may receive traffic, and if not, which health input removed it. When several
 * apply, the first in declaration order after {@link #AVAILABLE} is reported.
 */
public enum EndpointState {
    /** Healthy by every input: the balancer may send it traffic. */
    AVAILABLE,
    /** Its region is missing from the region order and the policy excludes unlisted regions. */
    REGION_EXCLUDED,
    /** The registry reports it critical (or warning, when warnings do not count as healthy). */
    UNHEALTHY,
    /** Its zone was marked unavailable, for example by an open zone circuit breaker. */
    ZONE_UNAVAILABLE,
    /** Outlier detection ejected it. */
    EJECTED,
    /**
     * Only being probed: its ejection just expired, or its zone's breaker is half-open. While
     * known-good capacity exists it receives a bounded share of first attempts
     * ({@link LoadBalancingPolicy#probeSharePercent()}) and no retry; when none exists it counts as
     * available.
     */
    PROBING
}
