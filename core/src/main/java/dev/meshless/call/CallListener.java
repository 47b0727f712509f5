package dev.meshless.call;

import dev.meshless.balancer.BalancerListener;
import dev.meshless.breaker.ZoneBreakerListener;
import dev.meshless.health.HealthCheckListener;
import dev.meshless.outlier.OutlierListener;

/**
 * Every event of a {@link ServiceClient} in one listener: plan changes, failovers and panic (from
 * the balancer), ejections and returns (from outlier detection), zone breaker transitions, probes
 * and their verdicts (from active health checks).
 * Implement the methods of interest; all do nothing by default. Calls never come from the call
 * path and a listener's exception is logged, never propagated.
 */
public interface CallListener extends BalancerListener, OutlierListener, ZoneBreakerListener, HealthCheckListener {
}
