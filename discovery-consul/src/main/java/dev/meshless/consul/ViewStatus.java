package dev.meshless.consul;

import java.time.Duration;
import java.time.Instant;

/**
 * What the registry knows about one service in one datacenter (or cluster peer): the numbers behind
 * the gauges and the actuator output. Holds no secrets.
 *
 * @param service the service
 * @param datacenter the datacenter, or the cluster peer's name
 * @param region the region its endpoints are labelled with
 * @param endpoints endpoints in the last good view; 0 when there is none yet
 * @param origin where the last good view came from
 * @param lastGood when the last good view was last confirmed by Consul (or written to the snapshot
 *     it was loaded from); null when there is none
 * @param age how old the view may be: zero while the watch is healthy (a blocking query is waiting
 *     for the next change), otherwise the time since {@code lastGood}; null when there is no view
 * @param consecutiveErrors failed or rejected reads since the last good one
 * @param lastError reason and message of the latest failure since the last good read, or null
 * @param permanentError whether that failure will not go away by itself ({@link ConsulException#permanent()}):
 *     a token without {@code service:read}, a filter Consul rejects
 * @param aclFiltered whether the last answer said some or all instances were hidden by the token's ACLs
 * @param skipped entries of the last answer left out as unusable
 * @param maintenance endpoints of the last good view in maintenance (routed as critical)
 * @param lastContact {@code X-Consul-LastContact} of the last answer: how long its server had not heard
 *     from the leader; null when it means nothing (streaming backend) or no answer came yet
 * @param knownLeader {@code X-Consul-KnownLeader} of the last answer; null when it means nothing
 * @param backend {@code X-Consul-Query-Backend} of the last answer ({@code blocking-query},
 *     {@code streaming}), or null
 */
public record ViewStatus(String service, String datacenter, String region, int endpoints, Origin origin,
        Instant lastGood, Duration age, int consecutiveErrors, String lastError, boolean permanentError,
        boolean aclFiltered, int skipped, int maintenance, Duration lastContact, Boolean knownLeader,
        String backend) {

    /** Where a view came from. */
    public enum Origin {
        /** Nothing known yet. */
        NONE,
        /** Read from Consul by this process. */
        CONSUL,
        /** Loaded from the snapshot file because Consul could not be reached. */
        SNAPSHOT
    }

    /**
     * A status without the details of the last answer.
     *
     * @param service the service
     * @param datacenter the datacenter
     * @param region its region
     * @param endpoints endpoints in the last good view
     * @param origin where the view came from
     * @param lastGood when Consul last confirmed it, or null
     * @param age how old it may be, or null
     * @param consecutiveErrors failed reads since the last good one
     * @param lastError the latest failure, or null
     */
    public ViewStatus(String service, String datacenter, String region, int endpoints, Origin origin, Instant lastGood,
            Duration age, int consecutiveErrors, String lastError) {
        this(service, datacenter, region, endpoints, origin, lastGood, age, consecutiveErrors, lastError, false, false,
                0, 0, null, null, null);
    }

    /**
     * @return whether the view cannot be trusted to be current: it comes from the snapshot, its reads
     *     fail, or its last answer came from servers that know no leader
     */
    public boolean stale() {
        return origin == Origin.SNAPSHOT || consecutiveErrors > 0 || Boolean.FALSE.equals(knownLeader);
    }
}
