package dev.meshless.call;

import dev.meshless.adaptive.AdaptiveConcurrencyLimiter;
import dev.meshless.balancer.BalancerListener;
import dev.meshless.breaker.ZoneBreakerListener;
import dev.meshless.health.HealthCheckListener;
import dev.meshless.outlier.OutlierListener;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * Every event of a {@link ServiceClient} in one listener: plan changes, failovers and panic (from
 * the balancer), ejections and returns (from outlier detection), breakers coming into use, zone
 * breaker transitions, probes and their verdicts (from active health checks). Implement the methods
 * of interest; all do nothing by default. Calls are never made for each call or attempt, and a
 * listener's exception is logged, never propagated.
 */
public interface CallListener extends BalancerListener, OutlierListener, ZoneBreakerListener, HealthCheckListener {

    /**
     * The service's breaker came into use: created, or found in a shared registry, when the client
     * was built. For meters that read it when they are published (never on the call path).
     *
     * @param service the service
     * @param breaker its Resilience4j breaker
     */
    default void onServiceBreakerCreated(String service, CircuitBreaker breaker) {
    }

    /**
     * The service's adaptive concurrency limiter was made, when the client was built with adaptive
     * concurrency on. For meters that read its limit, calls in flight and refusals when they are
     * published (never on the call path).
     *
     * @param service the service
     * @param limiter its limiter
     */
    default void onConcurrencyLimiterCreated(String service, AdaptiveConcurrencyLimiter limiter) {
    }
}
