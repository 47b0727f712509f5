package dev.meshless.balancer;

/**
 * Hears about a balancer's plan changes: for metrics, logs, reports and tests. Calls come from the
 * balancer's control side, one at a time and in order, never from the pick path. An exception
 * thrown by a listener is logged and does not affect routing or other listeners.
 */
public interface BalancerListener {

    /**
     * The plan changed (traffic shares, endpoint states or panic) and a new picker is live.
     *
     * @param previous the plan before
     * @param current the plan now in force
     */
    default void onPlanChanged(RoutingPlan previous, RoutingPlan current) {
    }

    /**
     * Traffic moved between tiers: a tier's planned share changed (failover, or return after
     * recovery). Called after {@link #onPlanChanged}, once per change; also logged once at INFO.
     *
     * @param previous the plan before
     * @param current the plan now in force
     */
    default void onFailover(RoutingPlan previous, RoutingPlan current) {
    }

    /**
     * At least one tier that receives traffic entered panic: its share is now spread over all its
     * endpoints regardless of health. Called after {@link #onPlanChanged}.
     *
     * @param plan the plan now in force; {@link RoutingPlan#panicTiers()} says which tiers
     */
    default void onPanicEntered(RoutingPlan plan) {
    }

    /**
     * No tier is in panic any more. Called after {@link #onPlanChanged}.
     *
     * @param plan the plan now in force
     */
    default void onPanicExited(RoutingPlan plan) {
    }
}
