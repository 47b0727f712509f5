package dev.meshless.outlier;

import dev.meshless.topology.Endpoint;
import java.time.Duration;

/**
 * Hears endpoints leave and rejoin the pool. Calls come one at a time from the detector's control
 * side, never from the call path; an exception is logged and ignored.
 */
public interface OutlierListener {

    /**
     * @param service the service
     * @param endpoint the ejected endpoint
     * @param reason the rule that ejected it
     * @param ejectionTime how long it stays out
     */
    default void onEjected(String service, Endpoint endpoint, EjectionReason reason, Duration ejectionTime) {
    }

    /**
     * @param service the service
     * @param endpoint the endpoint back in the pool
     */
    default void onReturned(String service, Endpoint endpoint) {
    }
}
