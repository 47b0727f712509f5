package dev.meshless.balancer.internal;

import dev.meshless.balancer.EndpointStrategy;
import dev.meshless.balancer.Exclusions;
import dev.meshless.balancer.Pick;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses one pick inside a locality. Built once per snapshot from the locality's routable picks;
 * {@link #choose} is the hot path and must not allocate or lock.
 *
 * <p>Thread-safe: any number of threads may choose concurrently.
 */
public abstract class EndpointChooser {

    private static final int REJECTION_ATTEMPTS = 8;

    final Pick[] picks;
    /** The weight each pick is drawn by: its configured weight, or that times its slow-start factor. */
    final long[] weights;
    /** Cumulative weights, {@code cumulative[i] = Σ weights[0..i]}; null when all weights are equal. */
    private final long[] cumulative;
    private final long totalWeight;

    EndpointChooser(List<Pick> picks, long[] weights) {
        if (picks.isEmpty()) {
            throw new IllegalArgumentException("a locality chooser needs at least one endpoint");
        }
        if (weights.length != picks.size()) {
            throw new IllegalArgumentException("one weight per pick: " + weights.length + " for " + picks.size());
        }
        this.picks = picks.toArray(new Pick[0]);
        this.weights = weights.clone();
        long sum = 0;
        boolean uniform = true;
        long[] cum = new long[this.picks.length];
        for (int i = 0; i < this.picks.length; i++) {
            long w = this.weights[i];
            if (w <= 0) {
                throw new IllegalArgumentException("weights must be positive, but " + this.picks[i].endpoint().id()
                        + " has " + w);
            }
            uniform &= w == this.weights[0];
            sum += w;
            cum[i] = sum;
        }
        this.totalWeight = sum;
        this.cumulative = uniform ? null : cum;
    }

    /**
     * @param strategy the policy's strategy
     * @param picks the routable picks of one locality, at least one
     * @return a chooser for them that draws by their configured weights
     */
    public static EndpointChooser create(EndpointStrategy strategy, List<Pick> picks) {
        long[] weights = new long[picks.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = picks.get(i).endpoint().weight();
        }
        return create(strategy, picks, weights);
    }

    /**
     * @param strategy the policy's strategy
     * @param picks the routable picks of one locality, at least one
     * @param weights the weight each pick is drawn by, in the same order, each above 0 (for slow
     *     start: the configured weight times the ramp factor, in a finer unit)
     * @return a chooser for them
     */
    public static EndpointChooser create(EndpointStrategy strategy, List<Pick> picks, long[] weights) {
        switch (strategy) {
            case LEAST_REQUEST:
                return new LeastRequestChooser(picks, weights);
            case WEIGHTED_ROUND_ROBIN:
                return new RoundRobinChooser(picks, weights);
            case RANDOM:
                return new RandomChooser(picks, weights);
            default:
                throw new IllegalArgumentException("endpointStrategy " + strategy + " is not supported");
        }
    }

    /**
     * @param random the calling thread's random source
     * @return the chosen pick
     */
    public abstract Pick choose(ThreadLocalRandom random);

    /**
     * Chooses among the picks that are not excluded. Off the hot path (retries only).
     *
     * @param random the calling thread's random source
     * @param exclusions endpoints to avoid
     * @return the chosen pick, or {@code null} when every pick is excluded
     */
    public Pick choose(ThreadLocalRandom random, Exclusions exclusions) {
        return weightedAmongRemaining(random, exclusions);
    }

    /**
     * @param exclusions endpoints to avoid
     * @return whether at least one pick is not excluded
     */
    public boolean hasRemaining(Exclusions exclusions) {
        if (exclusions.endpointCount() < picks.length) {
            return true; // fewer exclusions than picks: something is left
        }
        for (Pick p : picks) {
            if (!exclusions.excludesEndpoint(p.endpoint().id())) {
                return true;
            }
        }
        return false;
    }

    /** @return the picks this chooser chooses from */
    public List<Pick> picks() {
        return List.of(picks);
    }

    /** Draws an index in proportion to the weights. */
    final int weightedIndex(ThreadLocalRandom random) {
        if (cumulative == null) {
            return picks.length == 1 ? 0 : random.nextInt(picks.length);
        }
        long r = random.nextLong(totalWeight);
        int lo = 0;
        int hi = picks.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > r) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * A weighted draw among the picks that are not excluded. Exclusions are few (the endpoints a
     * call already tried), so a few draws over all picks, rejecting excluded ones, almost always
     * succeed; rejection keeps the proportions exact. A scan settles the rare remaining cases.
     */
    final Pick weightedAmongRemaining(ThreadLocalRandom random, Exclusions exclusions) {
        int i = weightedIndexAmongRemaining(random, exclusions);
        return i < 0 ? null : picks[i];
    }

    /** As {@link #weightedAmongRemaining}, the index of the pick; -1 when every pick is excluded. */
    final int weightedIndexAmongRemaining(ThreadLocalRandom random, Exclusions exclusions) {
        for (int attempt = 0; attempt < REJECTION_ATTEMPTS; attempt++) {
            int i = weightedIndex(random);
            if (!exclusions.excludesEndpoint(picks[i].endpoint().id())) {
                return i;
            }
        }
        long remaining = 0;
        for (int i = 0; i < picks.length; i++) {
            if (!exclusions.excludesEndpoint(picks[i].endpoint().id())) {
                remaining += weights[i];
            }
        }
        if (remaining == 0) {
            return -1;
        }
        long r = random.nextLong(remaining);
        for (int i = 0; i < picks.length; i++) {
            if (!exclusions.excludesEndpoint(picks[i].endpoint().id())) {
                r -= weights[i];
                if (r < 0) {
                    return i;
                }
            }
        }
        throw new IllegalStateException("unreachable: weights changed while choosing");
    }
}
