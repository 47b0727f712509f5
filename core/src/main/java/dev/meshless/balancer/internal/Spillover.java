package dev.meshless.balancer.internal;

/**
 * The priority-level maths of Envoy, on fractions instead of integer percentages.
 * See {@code docs/load-balancing.md} for the derivation and worked examples.
 *
 * <p>Stateless and thread-safe.
 */
public final class Spillover {

    private Spillover() {
    }

    /**
     * A tier's health: {@code min(1, healthyFraction × factor)}.
     *
     * @param healthyFraction healthy weight over total weight, 0 to 1
     * @param overprovisioningFactor at least 1
     * @return the health, 0 to 1
     */
    public static double tierHealth(double healthyFraction, double overprovisioningFactor) {
        return Math.min(1.0, healthyFraction * overprovisioningFactor);
    }

    /**
     * Splits traffic over tiers in priority order. With {@code total = min(1, Σ health)}, tier 0
     * receives {@code min(1, health₀ / total)} and each next tier {@code health_i / total}, capped by
     * what the tiers before it left over.
     *
     * @param health each tier's health, 0 to 1, in priority order
     * @return each tier's share; all zero when no tier has any health (the caller decides on panic)
     */
    public static double[] shares(double[] health) {
        double[] shares = new double[health.length];
        double sum = 0.0;
        for (double h : health) {
            sum += h;
        }
        if (sum <= 0.0) {
            return shares;
        }
        double total = Math.min(1.0, sum);
        double remaining = 1.0;
        for (int i = 0; i < health.length && remaining > 0.0; i++) {
            double s = Math.min(remaining, health[i] / total);
            shares[i] = s;
            remaining -= s;
        }
        return shares;
    }

    /**
     * The normalised total health: {@code min(1, Σ health)}. Panic is consulted only below 1.
     *
     * @param health each tier's health
     * @return the normalised total health, 0 to 1
     */
    public static double normalisedTotal(double[] health) {
        double sum = 0.0;
        for (double h : health) {
            sum += h;
        }
        return Math.min(1.0, sum);
    }

    /**
     * Capacity-aware zone routing (Envoy's zone-aware routing): the fraction of the caller zone's
     * regional traffic that may stay in the zone so that every upstream endpoint sees about the same
     * load. When the zone holds at least its callers' share of the upstream capacity, everything
     * stays; otherwise {@code upstreamShare / callerShare} does.
     *
     * @param callerShare the caller zone's fraction of the callers in the region, above 0
     * @param upstreamShare the caller zone's fraction of the healthy upstream weight in the region
     * @return the fraction to keep local, 0 to 1
     */
    public static double localKeepRatio(double callerShare, double upstreamShare) {
        if (callerShare <= 0.0 || upstreamShare >= callerShare) {
            return 1.0;
        }
        return upstreamShare / callerShare;
    }

    /**
     * Spare capacity of another zone: how much more of the upstream it holds than of the callers.
     *
     * @param callerShare the zone's fraction of the callers in the region
     * @param upstreamShare the zone's fraction of the healthy upstream weight in the region
     * @return {@code max(0, upstreamShare − callerShare)}
     */
    public static double residualCapacity(double callerShare, double upstreamShare) {
        return Math.max(0.0, upstreamShare - callerShare);
    }
}
