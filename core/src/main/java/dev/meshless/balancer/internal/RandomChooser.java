package dev.meshless.balancer.internal;

import dev.meshless.balancer.Pick;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Weighted random choice. */
final class RandomChooser extends EndpointChooser {

    RandomChooser(List<Pick> picks, long[] weights) {
        super(picks, weights);
    }

    @Override
    public Pick choose(ThreadLocalRandom random) {
        return picks[weightedIndex(random)];
    }
}
