package dev.meshless.balancer.internal;

import dev.meshless.balancer.Exclusions;
import dev.meshless.balancer.Pick;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Power of two choices over calls in flight: two weighted random draws, keep the one with fewer
 * calls in flight per unit of weight; a tie keeps the first draw, so an idle pool is exactly a
 * weighted random choice.
 */
final class LeastRequestChooser extends EndpointChooser {

    LeastRequestChooser(List<Pick> picks, long[] weights) {
        super(picks, weights);
    }

    @Override
    public Pick choose(ThreadLocalRandom random) {
        if (picks.length == 1) {
            return picks[0];
        }
        return lessLoaded(weightedIndex(random), weightedIndex(random));
    }

    @Override
    public Pick choose(ThreadLocalRandom random, Exclusions exclusions) {
        int a = weightedIndexAmongRemaining(random, exclusions);
        if (a < 0) {
            return null;
        }
        return lessLoaded(a, weightedIndexAmongRemaining(random, exclusions));
    }

    /** The pick with fewer calls in flight per unit of the weight it is drawn by (ramped weights included). */
    private Pick lessLoaded(int a, int b) {
        if (a == b) {
            return picks[a];
        }
        // inFlight(b) / weight(b) < inFlight(a) / weight(a), without division.
        long loadA = picks[a].callsInFlight() * weights[b];
        long loadB = picks[b].callsInFlight() * weights[a];
        return loadB < loadA ? picks[b] : picks[a];
    }
}
