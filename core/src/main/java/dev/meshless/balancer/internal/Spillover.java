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
     * The routing rule over tiers, the one place it lives: the plan applies it with no tier
     * excluded, retries with the tiers they already tried excluded, so that a change here reaches
     * both. An excluded tier takes no part, as if it had no endpoints.
     *
     * <ul>
     *   <li><b>Spillover.</b> With {@code total = min(1, Σ health)} over the tiers taking part,
     *       each tier in priority order receives {@code health_i / total}, capped by what the
     *       tiers before it left over.</li>
     *   <li><b>Panic.</b> Only when {@code total < 1} and panic is on: a tier that receives
     *       traffic and whose healthy fraction is below the threshold is in panic (its share goes
     *       to all of its endpoints).</li>
     *   <li><b>Nothing healthy.</b> With no health at all, everything goes to the first tier
     *       taking part, in panic, or nowhere when panic is off.</li>
     * </ul>
     *
     * @param health each tier's health, 0 to 1, in priority order
     * @param healthyFraction each tier's healthy weight over its total weight, 0 to 1
     * @param panicThresholdPercent 0 to 100; 0 turns panic off
     * @param excludedTiers bit {@code i} set: the tier at index {@code i} takes no part (indices
     *     from 64 on cannot be excluded)
     * @return each tier's share and panic flag, or why nothing can be routed
     */
    public static TierLoads tierLoads(double[] health, double[] healthyFraction, double panicThresholdPercent,
                                      long excludedTiers) {
        int n = health.length;
        TierLoads loads = new TierLoads(n);
        double sum = 0.0;
        int first = -1;
        for (int i = 0; i < n; i++) {
            if (!excluded(excludedTiers, i)) {
                sum += health[i];
                first = first < 0 ? i : first;
            }
        }
        if (first < 0) {
            loads.verdict = Verdict.NO_TIERS;
        } else if (sum <= 0.0) {
            if (panicThresholdPercent > 0.0) {
                loads.shares[first] = 1.0;
                loads.panic[first] = true;
            } else {
                loads.verdict = Verdict.NO_HEALTH;
            }
        } else {
            double total = Math.min(1.0, sum);
            boolean panicPossible = total < 1.0 && panicThresholdPercent > 0.0;
            double remaining = 1.0;
            for (int i = 0; i < n && remaining > 0.0; i++) {
                if (!excluded(excludedTiers, i)) {
                    double share = Math.min(remaining, health[i] / total);
                    loads.shares[i] = share;
                    loads.panic[i] = panicPossible && share > 0.0 && healthyFraction[i] * 100.0 < panicThresholdPercent;
                    remaining -= share;
                }
            }
        }
        return loads;
    }

    private static boolean excluded(long mask, int index) {
        return index < 64 && (mask & (1L << index)) != 0;
    }

    /** Whether {@link #tierLoads} found anywhere to send traffic. */
    public enum Verdict {
        /** Shares sum to 1 over the tiers taking part. */
        ROUTABLE,
        /** No tier takes part: none has endpoints, or every one is excluded. */
        NO_TIERS,
        /** No tier taking part has any health, and panic is off. */
        NO_HEALTH
    }

    /**
     * Each tier's share of the traffic and whether it is in panic, by tier index; all zero unless
     * {@link #verdict()} is {@link Verdict#ROUTABLE}. Immutable once {@link #tierLoads} returns it.
     */
    public static final class TierLoads {
        private final double[] shares;
        private final boolean[] panic;
        private Verdict verdict = Verdict.ROUTABLE;

        private TierLoads(int tiers) {
            this.shares = new double[tiers];
            this.panic = new boolean[tiers];
        }

        /** @return whether traffic can go anywhere, and if not why */
        public Verdict verdict() {
            return verdict;
        }

        /**
         * @param index a tier index
         * @return its share, 0 to 1
         */
        public double share(int index) {
            return shares[index];
        }

        /**
         * @param index a tier index
         * @return whether it is in panic
         */
        public boolean panic(int index) {
            return panic[index];
        }

        /** @return a copy of the shares by tier index */
        public double[] shares() {
            return shares.clone();
        }

        /** @return a copy of the panic flags by tier index */
        public boolean[] panicFlags() {
            return panic.clone();
        }
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
