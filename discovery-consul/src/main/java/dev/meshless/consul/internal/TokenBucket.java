package dev.meshless.consul.internal;

import java.time.Duration;

/**
 * Rate limit of one blocking-query loop, as Consul's documentation recommends: a token bucket that
 * lets {@code burst} requests go at once and then one per {@code interval}. Implemented as a
 * theoretical arrival time (GCRA), so it needs no timer of its own.
 *
 * <p>Not thread-safe: each watch uses its own, on its serial executor.
 */
public final class TokenBucket {

    private final long intervalNanos;
    private final long burstNanos;
    /** When the bucket would be empty if no request were made from now on; starts full. */
    private long theoreticalArrival = Long.MIN_VALUE;

    /**
     * @param burst requests allowed back to back, at least 1
     * @param interval time to earn one more request, positive
     */
    public TokenBucket(int burst, Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.burstNanos = (burst - 1) * intervalNanos;
    }

    /**
     * Takes a token for a request about to be made.
     *
     * @param now the current {@code nanoTime}
     * @return nanoseconds to wait before making the request; 0 to go now
     */
    public long reserve(long now) {
        if (theoreticalArrival == Long.MIN_VALUE) {
            theoreticalArrival = now;
        }
        long earliest = Math.max(now, theoreticalArrival - burstNanos);
        theoreticalArrival = Math.max(theoreticalArrival, now) + intervalNanos;
        return earliest - now;
    }
}
