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
 * <p>Thread-safe: {@link #record} runs on the call path (a map read and a compare-and-set, no
 * lock); {@link #nearestFirst} on the balancer's control side.
 */
public final class RegionLatencies {

    /** Weight of a new sample: about the last ten samples dominate. */
    static final double ALPHA = 0.2;

    /** Region → EWMA in nanoseconds, as the bits of a double. */
    private final Map<String, AtomicLong> ewma = new ConcurrentHashMap<>();

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

    /** @return the measured regions, lowest average latency first, ties by name */
    public List<String> nearestFirst() {
        List<String> regions = new ArrayList<>();
        ewma.forEach((region, cell) -> {
            if (!Double.isNaN(Double.longBitsToDouble(cell.get()))) {
                regions.add(region);
            }
        });
        regions.sort((a, b) -> {
            int byLatency = Double.compare(averageNanos(a), averageNanos(b));
            return byLatency != 0 ? byLatency : a.compareTo(b);
        });
        return regions;
    }

    /**
     * @param regions the regions still in use
     */
    public void retain(java.util.Set<String> regions) {
        ewma.keySet().retainAll(regions);
    }
}
