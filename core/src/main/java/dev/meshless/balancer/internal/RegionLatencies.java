package dev.meshless.balancer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An exponentially weighted moving average of the latency of successful attempts, per region: the
 * measured part of the proximity order of regions. Bounded by the number of regions the service
 * runs in.
 *
 * <p>{@link #record} runs on the call path, from any thread (a map read and a compare-and-set, no
 * lock); {@link #nearestFirst} and {@link #retain} on the balancer's control side, one at a time.
 */
public final class RegionLatencies {

    /** Weight of a new sample: about the last ten samples dominate. */
    static final double ALPHA = 0.2;

    /** A region moves ahead of another only when its average is lower by more than this share of the other's. */
    static final double REORDER_FRACTION = 0.2;
    /** ... and by more than this many milliseconds (loopback and same-campus latencies are noise). */
    static final double REORDER_MIN_MILLIS = 1.0;

    /** Region → EWMA in nanoseconds, as the bits of a double. */
    private final Map<String, AtomicLong> ewma = new ConcurrentHashMap<>();
    /** The order {@link #nearestFirst} returned last; control side only. */
    private List<String> order = List.of();

    /**
     * @param region the region of the endpoint that answered
     * @param nanos how long the successful attempt took
     */
    public void record(String region, long nanos) {
        AtomicLong cell = ewma.get(region);
        if (cell == null) {
            cell = ewma.computeIfAbsent(region, r -> new AtomicLong(Double.doubleToRawLongBits(Double.NaN)));
        }
        double sample = Math.max(0, nanos);
        while (true) {
            long bits = cell.get();
            double old = Double.longBitsToDouble(bits);
            double next = Double.isNaN(old) ? sample : old + ALPHA * (sample - old);
            if (cell.compareAndSet(bits, Double.doubleToRawLongBits(next))) {
                return;
            }
        }
    }

    /**
     * @param region a region
     * @return its average latency in nanoseconds, or {@code NaN} when it has no sample
     */
    public double averageNanos(String region) {
        AtomicLong cell = ewma.get(region);
        return cell == null ? Double.NaN : Double.longBitsToDouble(cell.get());
    }

    /**
     * The measured regions, nearest first, with hysteresis: the order last returned is kept unless a
     * region is clearly nearer than one before it — its average lower by more than
     * {@value #REORDER_FRACTION} of the other's and by more than {@value #REORDER_MIN_MILLIS} ms —
     * so that two regions at about the same distance do not trade places (and failover traffic
     * between them) with every plan change. A region measured for the first time takes its place
     * by average latency, ties by name. Control side only: it remembers the order it returned.
     *
     * @return the measured regions, nearest first
     */
    public List<String> nearestFirst() {
        List<String> regions = new ArrayList<>();
        for (String region : order) {
            if (measured(region)) {
                regions.add(region);
            }
        }
        List<String> added = new ArrayList<>();
        ewma.forEach((region, cell) -> {
            if (!regions.contains(region) && measured(region)) {
                added.add(region);
            }
        });
        added.sort((a, b) -> {
            int byLatency = Double.compare(averageNanos(a), averageNanos(b));
            return byLatency != 0 ? byLatency : a.compareTo(b);
        });
        for (String region : added) {
            int at = regions.size();
            while (at > 0 && nearer(region, regions.get(at - 1), false)) {
                at--;
            }
            regions.add(at, region);
        }
        // A region moves ahead of the earliest region it is clearly nearer than, past regions it is
        // at least nearer than: a chain of small gaps (c 12 ms, b 11 ms, a 9 ms) cannot keep it behind
        // a region it is clearly nearer than, while neighbours within the band keep their order.
        for (int j = 1; j < regions.size(); j++) {
            String region = regions.get(j);
            int to = j;
            for (int i = j - 1; i >= 0 && nearer(region, regions.get(i), false); i--) {
                if (nearer(region, regions.get(i), true)) {
                    to = i;
                }
            }
            if (to < j) {
                regions.remove(j);
                regions.add(to, region);
            }
        }
        order = List.copyOf(regions);
        return regions;
    }

    private boolean measured(String region) {
        return !Double.isNaN(averageNanos(region));
    }

    /** @return whether {@code a} is nearer than {@code b}: at all, or clearly (with hysteresis) */
    private boolean nearer(String a, String b, boolean clearly) {
        double la = averageNanos(a);
        double lb = averageNanos(b);
        if (!clearly) {
            return la < lb || (la == lb && a.compareTo(b) < 0);
        }
        return lb - la > REORDER_FRACTION * lb && lb - la > REORDER_MIN_MILLIS * 1e6;
    }

    /**
     * @param regions the regions still in use
     */
    public void retain(java.util.Set<String> regions) {
        ewma.keySet().retainAll(regions);
    }
}
