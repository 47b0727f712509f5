package dev.meshless.health;

import java.time.Instant;

/**
 * One endpoint under active health checks, as the actuator shows it.
 *
 * @param endpointId the endpoint
 * @param address its {@code host:port}
 * @param reason why it is probed: {@code ejected}, {@code zone unavailable}, {@code unhealthy}
 *     (continuous checks failed it) or {@code continuous}
 * @param healthy the continuous checks' verdict (always true without them)
 * @param consecutivePasses passes in a row so far
 * @param consecutiveFailures failures in a row so far
 * @param lastResult the last probe's result, or {@code null} before the first
 * @param lastAt when the last probe ended, or {@code null} before the first
 */
public record ProbeStatus(String endpointId, String address, String reason, boolean healthy, int consecutivePasses,
                          int consecutiveFailures, ProbeResult lastResult, Instant lastAt) {
}
