package dev.meshless.health;

import dev.meshless.topology.Endpoint;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Checks one endpoint out of band: not a user's request, so a failing probe costs no user an error.
 * {@link HealthProbes} has an HTTP and a TCP probe; supply your own (a gRPC health check, a
 * database ping) to {@code ServiceClient.Builder.healthProbe}.
 *
 * <p>Called on a timer thread: start the check and return at once; never block. The checker
 * enforces the timeout too, so a probe that never completes counts as failed after it.
 */
@FunctionalInterface
public interface HealthProbe {

    /**
     * @param endpoint the endpoint to check
     * @param timeout how long the check may take
     * @return the result to come; an exceptional completion counts as a failed probe, except with a
     *     {@link ProbeNotSentException} (the prober had no capacity), which counts as nothing and
     *     is tried again shortly
     */
    CompletionStage<ProbeResult> check(Endpoint endpoint, Duration timeout);
}
