package dev.meshless.consul.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": the n-th consecutive failure waits between half and all
 * of {@code min(max, initial × 2^(n-1))}. The random half spreads the retries of many instances
 * after a shared outage; the fixed half keeps the delay from collapsing to zero.
 *
 * <p>Not thread-safe: each loop uses its own.
 */
public final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final DoubleSupplier random;
    private int failures;

    /**
     * @param initial delay before the first retry (upper bound)
     * @param max largest delay
     */
    public Backoff(Duration initial, Duration max) {
        this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param initial delay before the first retry (upper bound)
     * @param max largest delay
     * @param random values in [0, 1), replaceable in tests
     */
    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
    }

    /** @return the delay before the next attempt, after one more failure */
    public Duration nextDelay() {
        failures++;
        long ceiling = initialNanos;
        for (int i = 1; i < failures && ceiling < maxNanos; i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, maxNanos);
        long half = ceiling / 2;
        return Duration.ofNanos(half + (long) (random.getAsDouble() * (ceiling - half)));
    }

    /** @return consecutive failures since the last {@link #reset()} */
    public int failures() {
        return failures;
    }

    /** Forgets the failures after a success. */
    public void reset() {
        failures = 0;
    }
}
