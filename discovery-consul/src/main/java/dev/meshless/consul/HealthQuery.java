package dev.meshless.consul;

import java.time.Duration;
import java.util.Objects;

/**
 * Parameters of {@code GET /v1/health/service/:service}.
 *
 * @param service the service name, not blank
 * @param datacenter {@code dc}; null for the agent's own datacenter
 * @param passingOnly {@code passing}: only instances whose checks all pass
 * @param filter {@code filter} expression, or null
 * @param stale {@code stale}: any server may answer
 * @param index {@code index} to block on; 0 asks without blocking
 * @param waitTime {@code wait}, only sent when {@code index} is at least 1; null for Consul's default
 * @param maxStale {@code max_stale}, only sent with {@code stale}: a server's answer older than this is
 *     read again from the leader; null or zero sends none
 * @param peer {@code peer}: the cluster peer whose imported instances to read, or null
 * @param namespace {@code ns} (Consul Enterprise), or null for the token's default
 * @param partition {@code partition} (Consul Enterprise), or null for the agent's
 */
public record HealthQuery(String service, String datacenter, boolean passingOnly, String filter, boolean stale,
        long index, Duration waitTime, Duration maxStale, String peer, String namespace, String partition) {

    // Checks the arguments.
    public HealthQuery {
        Objects.requireNonNull(service, "service");
        if (service.isBlank()) {
            throw new IllegalArgumentException("service must be a non-blank name, but was '" + service + "'");
        }
        if (index < 0) {
            throw new IllegalArgumentException("index must be at least 0, but was " + index);
        }
    }

    /**
     * A query without {@code max_stale}, peer, namespace or partition.
     *
     * @param service the service name
     * @param datacenter {@code dc}, or null
     * @param passingOnly {@code passing}
     * @param filter {@code filter}, or null
     * @param stale {@code stale}
     * @param index {@code index}
     * @param waitTime {@code wait}, or null
     */
    public HealthQuery(String service, String datacenter, boolean passingOnly, String filter, boolean stale,
            long index, Duration waitTime) {
        this(service, datacenter, passingOnly, filter, stale, index, waitTime, null, null, null, null);
    }

    /**
     * @param service the service name
     * @return a non-blocking, default-consistency query of the agent's own datacenter
     */
    public static HealthQuery of(String service) {
        return new HealthQuery(service, null, false, null, false, 0, null);
    }

    /**
     * @param datacenter the datacenter to ask, or null
     * @return a copy asking that datacenter
     */
    public HealthQuery inDatacenter(String datacenter) {
        return new HealthQuery(service, datacenter, passingOnly, filter, stale, index, waitTime, maxStale, peer,
                namespace, partition);
    }

    /**
     * @param index the index to block on, 0 for none
     * @param waitTime the longest time to block
     * @return a copy that blocks
     */
    public HealthQuery blocking(long index, Duration waitTime) {
        return new HealthQuery(service, datacenter, passingOnly, filter, stale, index, waitTime, maxStale, peer,
                namespace, partition);
    }

    /** @return whether this query blocks ({@code index} at least 1) */
    public boolean isBlocking() {
        return index >= 1;
    }
}
