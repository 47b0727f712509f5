package dev.meshless.consul;

import java.time.Duration;
import java.time.Instant;

/**
 * What the registry knows about one service in one datacenter: the numbers behind the age gauge
 * and the actuator output. Holds no secrets.
 *
 * @param service the service
 * @param datacenter the datacenter
 * @param region the region its endpoints are labelled with
 * @param endpoints endpoints in the last good view; 0 when there is none yet
 * @param origin where the last good view came from
 * @param lastGood when the last good view was last confirmed by Consul (or written to the snapshot
 *     it was loaded from); null when there is none
 * @param age how old the view may be: zero while the watch is healthy (a blocking query is waiting
 *     for the next change), otherwise the time since {@code lastGood}; null when there is no view
 * @param consecutiveErrors failed or rejected reads since the last good one
 * @param lastError reason and message of the latest failure since the last good read, or null
 */
public record ViewStatus(String service, String datacenter, String region, int endpoints, Origin origin,
        Instant lastGood, Duration age, int consecutiveErrors, String lastError) {

    /** Where a view came from. */
    public enum Origin {
        /** Nothing known yet. */
        NONE,
        /** Read from Consul by this process. */
        CONSUL,
        /** Loaded from the snapshot file because Consul could not be reached. */
        SNAPSHOT
    }
}
