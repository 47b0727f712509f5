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

    LeastRequestChooser(List<Pick> picks) {
        super(picks);
    }

    @Override
    public Pick choose(ThreadLocalRandom random) {
        if (picks.length == 1) {
            return picks[0];
        }
        Pick a = picks[weightedIndex(random)];
        Pick b = picks[weightedIndex(random)];
        return lessLoaded(a, b);
    }

    @Override
    public Pick choose(ThreadLocalRandom random, Exclusions exclusions) {
        Pick a = weightedAmongRemaining(random, exclusions);
        if (a == null) {
            return null;
        }
        return lessLoaded(a, weightedAmongRemaining(random, exclusions));
    }

    private static Pick lessLoaded(Pick a, Pick b) {
        if (a == b) {
            return a;
        }
        // inFlight(b) / weight(b) < inFlight(a) / weight(a), without division.
        long loadA = (long) a.callsInFlight() * b.endpoint().weight();
        long loadB = (long) b.callsInFlight() * a.endpoint().weight();
        return loadB < loadA ? b : a;
    }
}
