package dev.meshless.ratelimit;

/**
 * A limit on how often something may happen, as seen by the code that asks. Thread-safe.
 * {@link #tryAcquire()} is the hot path (no allocation); {@link #decide()} says more, for HTTP
 * headers and rejections.
 */
public interface RateLimiter {

    /** @return the limit's name */
    String name();

    /** @return the limit in force (for a global limit: this instance's share of it) */
    RateLimit limit();

    /**
     * Takes a permit, waiting up to the limit's timeout. In shadow mode always true, and an
     * exceeded limit is only counted.
     *
     * @return whether the request may go ahead
     */
    boolean tryAcquire();

    /**
     * Takes a permit like {@link #tryAcquire()} and describes the result.
     *
     * @return the decision
     */
    Decision decide();

    /**
     * @return whether {@link #tryAcquire()} and {@link #decide()} may block the calling thread (to wait
     *     for a permit, or for a shared store), so that an event loop must hand them to another thread
     */
    default boolean mayBlock() {
        return !limit().timeout().isZero();
    }
}
