package dev.meshless.health;

import dev.meshless.topology.Endpoint;

/**
 * Hears active health checks: every probe's result, endpoints that continuous checks mark
 * unhealthy or healthy, and recoveries the probes confirm. Calls come from the checker's control
 * side, one at a time, never from the call path; an exception is logged and ignored.
 */
public interface HealthCheckListener {

    /**
     * @param service the service
     * @param endpoint the probed endpoint
     * @param result what the probe found
     */
    default void onProbed(String service, Endpoint endpoint, ProbeResult result) {
    }

    /**
     * Continuous checks changed their verdict on an endpoint; the plan follows as it follows the
     * registry's health.
     *
     * @param service the service
     * @param endpoint the endpoint
     * @param healthy the verdict now
     */
    default void onHealthChanged(String service, Endpoint endpoint, boolean healthy) {
    }

    /**
     * An endpoint out of the plan (ejected, or in a zone whose breaker is open) passed its healthy
     * threshold: it, or its zone, is being brought back.
     *
     * @param service the service
     * @param endpoint the endpoint
     * @param evidence what passed ("2 probes in a row: HTTP 200")
     */
    default void onRecoveryConfirmed(String service, Endpoint endpoint, String evidence) {
    }
}
