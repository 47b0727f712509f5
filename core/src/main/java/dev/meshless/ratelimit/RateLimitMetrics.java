package dev.meshless.ratelimit;

/**
 * Receives every permit decision. Called on the request path: implementations must be fast,
 * thread-safe and must not throw. {@code dev.meshless.micrometer.MicrometerRateLimitMetrics} makes
 * meters of them.
 */
public interface RateLimitMetrics {

    /** Records nothing. */
    RateLimitMetrics NOOP = new RateLimitMetrics() { };

    /** @param limit the limit's name */
    default void permitted(String limit) {
    }

    /** @param limit the limit's name */
    default void rejected(String limit) {
    }

    /** @param limit the limit's name; the request was let through because the limit is in shadow mode */
    default void shadowRejected(String limit) {
    }

    /**
     * @param limit the limit's name; the shared store of an exact limit did not answer in time, so
     *     this instance's share decided (that decision is recorded as well)
     */
    default void fallback(String limit) {
    }
}
