package dev.meshless.ratelimit;

/**
 * A limit applied separately to each key value (user, tenant, API key), as the code that asks sees
 * it: on this instance ({@link KeyedRateLimiter}) or across the fleet ({@link SharedKeyedRateLimiter}).
 * Thread-safe.
 */
public interface KeyedLimiter {

    /** @return the limit's name */
    String name();

    /** @return the limit of keys without an override */
    RateLimit defaultLimit();

    /**
     * @param key a key value
     * @return the limit that applies to it
     */
    RateLimit limitFor(String key);

    /**
     * Takes a permit for the key and describes the result.
     *
     * @param key the key value
     * @return the decision; always permitted in shadow mode
     */
    Decision decide(String key);

    /**
     * @return whether {@link #decide} may block the calling thread (to wait for a permit, or for a
     *     shared store), so that an event loop must hand it to another thread
     */
    default boolean mayBlock() {
        return !defaultLimit().timeout().isZero();
    }
}
