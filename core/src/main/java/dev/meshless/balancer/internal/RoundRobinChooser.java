package dev.meshless.balancer.internal;

import dev.meshless.balancer.Pick;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Weighted round robin without a lock: the picks' weights are laid end to end on a line of length
 * {@code W = Σ weights}, and pick number {@code n} lands at position {@code n × stride mod W}, with
 * a stride coprime to {@code W} near {@code W × 0.618}. Every position is visited exactly once per
 * {@code W} picks, so each endpoint gets exactly its weight's worth per cycle, and the golden-ratio
 * stride scatters consecutive picks over the line instead of sending bursts to one endpoint.
 *
 * <p>Lines longer than 2³⁰ (only with huge weights on huge pools) are first divided by the weights'
 * greatest common divisor and, if still too long, scaled down proportionally, so that
 * {@code position × stride} never overflows.
 */
final class RoundRobinChooser extends EndpointChooser {

    private static final double GOLDEN = 0.6180339887498949;
    static final long MAX_LINE = 1L << 30;

    /** Cumulative (possibly scaled) weights: pick i owns positions [line[i-1], line[i]). */
    private final long[] line;
    private final long length;
    private final long stride;
    /** Picks taken from this chooser; incremented by every choosing thread. Starts at a random offset
     * so that callers restarting together do not all begin with the same endpoint. */
    private final AtomicLong sequence;

    RoundRobinChooser(List<Pick> picks, long[] weights) {
        super(picks, weights);
        this.line = lineOf(this.weights);
        this.length = line[line.length - 1];
        this.stride = strideFor(length);
        this.sequence = new AtomicLong(ThreadLocalRandom.current().nextLong(length));
    }

    @Override
    public Pick choose(ThreadLocalRandom random) {
        if (picks.length == 1) {
            return picks[0];
        }
        long position = Math.floorMod(sequence.getAndIncrement(), length) * stride % length;
        if (length == picks.length) {
            return picks[(int) position];
        }
        int lo = 0;
        int hi = line.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (line[mid] > position) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return picks[lo];
    }

    /** Cumulative weights, divided by their gcd and scaled to at most {@link #MAX_LINE} in total. */
    static long[] lineOf(long[] weights) {
        long divisor = 0;
        long total = 0;
        for (long w : weights) {
            divisor = gcd(divisor, w);
            total += w;
        }
        total /= divisor;
        double scale = total > MAX_LINE ? (double) MAX_LINE / total : 1.0;
        long[] line = new long[weights.length];
        long acc = 0;
        for (int i = 0; i < weights.length; i++) {
            long w = weights[i] / divisor;
            acc += scale < 1.0 ? Math.max(1, (long) (w * scale)) : w;
            line[i] = acc;
        }
        return line;
    }

    static long strideFor(long length) {
        if (length <= 2) {
            return 1;
        }
        long s = Math.max(1, Math.round(length * GOLDEN));
        while (gcd(s, length) != 1) {
            s++;
        }
        return s;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
