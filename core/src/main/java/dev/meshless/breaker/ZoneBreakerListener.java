package dev.meshless.breaker;

import dev.meshless.topology.Locality;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * Hears zone circuit breakers come into use and change state. Calls come from the breakers'
 * control side, one at a time; an exception is logged and ignored.
 */
public interface ZoneBreakerListener {

    /**
     * A zone's breaker came into use, on the zone's first attempt: created, or found in a shared
     * registry. For meters that read it when they are published (never on the call path).
     *
     * @param service the service
     * @param zone the zone
     * @param breaker its Resilience4j breaker
     */
    default void onZoneBreakerCreated(String service, Locality zone, CircuitBreaker breaker) {
    }

    /**
     * The zone's breaker opened: the zone takes no traffic until it half-opens.
     *
     * @param service the service
     * @param zone the zone
     */
    default void onZoneBreakerOpened(String service, Locality zone) {
    }

    /**
     * The zone's breaker half-opened: the zone is back in the plan and a few calls probe it.
     *
     * @param service the service
     * @param zone the zone
     */
    default void onZoneBreakerHalfOpened(String service, Locality zone) {
    }

    /**
     * The zone's breaker closed: the zone is healthy again.
     *
     * @param service the service
     * @param zone the zone
     */
    default void onZoneBreakerClosed(String service, Locality zone) {
    }
}
