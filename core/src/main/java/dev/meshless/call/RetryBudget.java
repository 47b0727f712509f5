package dev.meshless.call;

import dev.meshless.time.TimeSource;
import java.time.Duration;

/**
 * Caps retries to a fraction of requests, as Finagle and Linkerd do, so that a total outage cannot
 * multiply the load on a service: over any window of {@code ttl}, retries may not exceed
 * {@code ratio × requests + minRetriesPerSecond × ttl}. The floor lets a quiet service still retry.
 *
 * <p>Counts live in ten buckets of {@code ttl / 10} that expire as time moves on. Thread-safe; each
 * method holds a short lock.
 */
public final class RetryBudget {

    private static final int BUCKETS = 10;

    private final double ratio;
    private final long reserve;
    private final long bucketNanos;
    private final TimeSource time;
    private final long[] requests = new long[BUCKETS];
    private final long[] retries = new long[BUCKETS];
    private final long[] epochs = new long[BUCKETS];
    // Sums over live buckets, kept up to date as buckets expire.
    private long requestSum;
    private long retrySum;

    /**
     * @param ratio retries allowed per request, 0 or more (0.2 = 20 %)
     * @param minRetriesPerSecond retries always allowed per second, 0 or more
     * @param ttl the window, positive
     * @param time the time source
     */
    public RetryBudget(double ratio, int minRetriesPerSecond, Duration ttl, TimeSource time) {
        this.ratio = ratio;
        this.reserve = (long) Math.floor(minRetriesPerSecond * (ttl.toNanos() / 1e9));
        this.bucketNanos = Math.max(1, ttl.toNanos() / BUCKETS);
        this.time = time;
        java.util.Arrays.fill(epochs, Long.MIN_VALUE);
    }

    /** Records a request (a first attempt): it earns {@code ratio} retries for the window. */
    public synchronized void onRequest() {
        int b = advance();
        requests[b]++;
        requestSum++;
    }

    /**
     * Takes one retry from the budget if there is one.
     *
     * @return whether the retry may go ahead
     */
    public synchronized boolean tryRetry() {
        int b = advance();
        if (retrySum + 1 > ratio * requestSum + reserve) {
            return false;
        }
        retries[b]++;
        retrySum++;
        return true;
    }

    /** @return retries still allowed in the current window */
    public synchronized long remaining() {
        advance();
        return Math.max(0, (long) Math.floor(ratio * requestSum + reserve) - retrySum);
    }

    /** Clears buckets that fell out of the window; returns the current bucket's index. */
    private int advance() {
        long epoch = Math.floorDiv(time.nanoTime(), bucketNanos);
        int index = (int) Math.floorMod(epoch, BUCKETS);
        if (epochs[index] != epoch) {
            for (int i = 0; i < BUCKETS; i++) {
                if (epochs[i] != Long.MIN_VALUE && epoch - epochs[i] >= BUCKETS) {
                    requestSum -= requests[i];
                    retrySum -= retries[i];
                    requests[i] = 0;
                    retries[i] = 0;
                    epochs[i] = Long.MIN_VALUE;
                }
            }
            requestSum -= requests[index];
            retrySum -= retries[index];
            requests[index] = 0;
            retries[index] = 0;
            epochs[index] = epoch;
        }
        return index;
    }
}
