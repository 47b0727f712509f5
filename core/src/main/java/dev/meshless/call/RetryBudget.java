package dev.meshless.call;

import dev.meshless.time.TimeSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Caps retries to a fraction of requests, as Finagle and Linkerd do, so that a total outage cannot
 * multiply the load on a service: over any window of {@code ttl}, retries may not exceed
 * {@code ratio × requests + minRetriesPerSecond × ttl}. The floor lets a quiet service still retry.
 *
 * <p>Counts live in ten buckets of {@code ttl / 10} that expire as time moves on. Thread-safe;
 * counting a request takes no lock, taking a retry holds a short one.
 */
public final class RetryBudget {

    private static final int BUCKETS = 10;

    private final double ratio;
    private final long reserve;
    private final long bucketNanos;
    private final TimeSource time;
    /** Requests per bucket; incremented without a lock on every call. */
    private final AtomicLongArray requests = new AtomicLongArray(BUCKETS);
    /** Retries per bucket; changed under the lock (retries are rare). */
    private final long[] retries = new long[BUCKETS];
    /** The epoch (time / bucket length) each bucket counts for; a bucket is reset when its epoch is stale. */
    private final AtomicLongArray epochs = new AtomicLongArray(BUCKETS);
    /**
     * The bucket the latest request fell in, so that counting a request within it costs a subtraction
     * and a comparison instead of a 64-bit division; replaced once per bucket length.
     */
    private volatile Current current = new Current(Long.MIN_VALUE, 0, Long.MIN_VALUE);

    /** A bucket's epoch, index and first instant; immutable. */
    private record Current(long epoch, int index, long startNanos) {
    }

    /**
     * @param percent retries allowed over the window in percent of requests, 0 or more (20 = one
     *     retry per five requests)
     * @param minRetriesPerSecond retries always allowed per second, 0 or more
     * @param ttl the window, positive
     * @param time the time source
     */
    public RetryBudget(double percent, int minRetriesPerSecond, Duration ttl, TimeSource time) {
        this.ratio = percent / 100.0;
        this.reserve = (long) Math.floor(minRetriesPerSecond * (ttl.toNanos() / 1e9));
        this.bucketNanos = Math.max(1, ttl.toNanos() / BUCKETS);
        this.time = time;
        for (int i = 0; i < BUCKETS; i++) {
            epochs.set(i, Long.MIN_VALUE);
        }
    }

    /** Records a request (a first attempt): it earns {@code ratio} retries for the window. */
    public void onRequest() {
        onRequest(time.nanoTime());
    }

    /**
     * As {@link #onRequest()}, with the time already read by the caller. Lock-free except once per
     * bucket length, when the bucket is recycled.
     *
     * @param nowNanos the time source's current time
     */
    public void onRequest(long nowNanos) {
        Current c = current;
        long offset = nowNanos - c.startNanos;
        if (c.epoch == Long.MIN_VALUE || offset < 0 || offset >= bucketNanos) {
            c = enter(nowNanos);
        }
        requests.incrementAndGet(c.index);
    }

    /** The bucket for a time outside the current one, recycled if stale; becomes current if newer. */
    private Current enter(long nowNanos) {
        long epoch = Math.floorDiv(nowNanos, bucketNanos);
        int index = (int) Math.floorMod(epoch, BUCKETS);
        if (epochs.get(index) != epoch) {
            recycle(index, epoch);
        }
        Current c = new Current(epoch, index, epoch * bucketNanos);
        if (epoch > current.epoch) {
            current = c;
        }
        return c;
    }

    /**
     * Takes one retry from the budget if there is one.
     *
     * @return whether the retry may go ahead
     */
    public synchronized boolean tryRetry() {
        long epoch = Math.floorDiv(time.nanoTime(), bucketNanos);
        int index = (int) Math.floorMod(epoch, BUCKETS);
        if (epochs.get(index) != epoch) {
            recycle(index, epoch);
        }
        if (retriesInWindow(epoch) + 1 > ratio * requestsInWindow(epoch) + reserve) {
            return false;
        }
        retries[index]++;
        return true;
    }

    /** @return retries still allowed in the current window */
    public synchronized long remaining() {
        long epoch = Math.floorDiv(time.nanoTime(), bucketNanos);
        return Math.max(0, (long) Math.floor(ratio * requestsInWindow(epoch) + reserve) - retriesInWindow(epoch));
    }

    private synchronized void recycle(int index, long epoch) {
        if (epochs.get(index) != epoch) {
            requests.set(index, 0);
            retries[index] = 0;
            epochs.set(index, epoch);
        }
    }

    /** Buckets whose epoch lies in the last {@code BUCKETS} epochs count; older ones are stale. */
    private long requestsInWindow(long epoch) {
        long sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long e = epochs.get(i);
            if (e != Long.MIN_VALUE && epoch - e < BUCKETS) {
                sum += requests.get(i);
            }
        }
        return sum;
    }

    private long retriesInWindow(long epoch) {
        long sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long e = epochs.get(i);
            if (e != Long.MIN_VALUE && epoch - e < BUCKETS) {
                sum += retries[i];
            }
        }
        return sum;
    }
}
