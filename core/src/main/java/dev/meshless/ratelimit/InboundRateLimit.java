package dev.meshless.ratelimit;

import dev.meshless.config.Values;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named limit on what this service receives, as integrations apply it (the Spring Boot
 * starter's HTTP filters and {@code @RateLimited} aspect): a {@link RateLimiter} (local or global)
 * or a {@link KeyedLimiter} (per key, on this instance or across the fleet) behind one call, {@link #decide(String)}, that also logs at
 * DEBUG what shadow mode lets through. {@link InboundRateLimits} builds them from configuration.
 *
 * <p>For a per-key limit, a missing or blank key counts under {@link #ANONYMOUS_KEY}: requests that
 * carry no key share one bucket (which an override for {@code anonymous} can size), so leaving the
 * key out is neither a way around the limit nor a reason to fail the request.
 *
 * <p>Thread-safe.
 */
public final class InboundRateLimit implements AutoCloseable {

    /** The key under which requests without a key are counted by a per-key limit. */
    public static final String ANONYMOUS_KEY = "anonymous";

    private static final Logger log = LoggerFactory.getLogger(InboundRateLimit.class);

    private final String service;
    private final RateLimiter limiter;
    private final KeyedLimiter keyed;

    private InboundRateLimit(String service, RateLimiter limiter, KeyedLimiter keyed) {
        this.service = Objects.requireNonNull(service, "service");
        this.limiter = limiter;
        this.keyed = keyed;
    }

    /**
     * @param service this service's name, reported in rejections
     * @param limiter a limit without keys (local or global)
     * @return the inbound limit
     */
    public static InboundRateLimit of(String service, RateLimiter limiter) {
        return new InboundRateLimit(service, Objects.requireNonNull(limiter, "limiter"), null);
    }

    /**
     * @param service this service's name, reported in rejections
     * @param limiter a per-key limit
     * @return the inbound limit
     */
    public static InboundRateLimit keyed(String service, KeyedLimiter limiter) {
        return new InboundRateLimit(service, null, Objects.requireNonNull(limiter, "limiter"));
    }

    /** @return the limit's name */
    public String name() {
        return keyed != null ? keyed.name() : limiter.name();
    }

    /** @return the service reported in rejections */
    public String service() {
        return service;
    }

    /** @return whether the limit counts each key separately */
    public boolean isKeyed() {
        return keyed != null;
    }

    /** @return the limiter of a limit without keys; empty for a per-key limit */
    public Optional<RateLimiter> limiter() {
        return Optional.ofNullable(limiter);
    }

    /** @return the limiter of a per-key limit on this instance; empty for other limits */
    public Optional<KeyedRateLimiter> keyedLimiter() {
        return keyed instanceof KeyedRateLimiter local ? Optional.of(local) : Optional.empty();
    }

    /** @return the limiter of a per-key limit, on this instance or across the fleet; empty for a limit without keys */
    public Optional<KeyedLimiter> perKeyLimiter() {
        return Optional.ofNullable(keyed);
    }

    /**
     * @param key a key value; ignored by a limit without keys
     * @return the key the limit counts the request under: {@code null} for a limit without keys,
     *     {@link #ANONYMOUS_KEY} for a missing or blank key
     */
    public String effectiveKey(String key) {
        if (keyed == null) {
            return null;
        }
        return key == null || key.isBlank() ? ANONYMOUS_KEY : key;
    }

    /**
     * @param key a key value, or {@code null}
     * @return the limit in force for that key (for a global limit: this instance's share)
     */
    public RateLimit limit(String key) {
        return keyed != null ? keyed.limitFor(effectiveKey(key)) : limiter.limit();
    }

    /**
     * @return whether a decision may block the calling thread — to wait for a permit (a positive
     *     timeout) or for the shared store of an exact fleet-wide limit — rather than answer at once
     */
    public boolean mayWait() {
        return keyed != null ? keyed.mayBlock() : limiter.mayBlock();
    }

    /**
     * Takes a permit, waiting up to the limit's timeout (blocking the calling thread).
     *
     * @param key the key value for a per-key limit ({@code null} or blank: {@link #ANONYMOUS_KEY});
     *     ignored otherwise
     * @return the decision; {@link Decision#permitted()} is always true in shadow mode
     */
    public Decision decide(String key) {
        String k = effectiveKey(key);
        Decision decision = keyed != null ? keyed.decide(k) : limiter.decide();
        if (decision.wouldReject() && decision.permitted() && log.isDebugEnabled()) {
            log.debug("Rate limit '{}' (shadow) would have rejected a request{}: {} per {}; letting it through",
                    name(), k == null ? "" : " for key '" + k + "'", decision.limit(),
                    Values.format(limit(k).period()));
        }
        return decision;
    }

    /**
     * Takes a permit or throws.
     *
     * @param key the key value, as for {@link #decide(String)}
     * @return the decision, permitted
     * @throws RateLimitedException when the limit refuses
     */
    public Decision acquire(String key) {
        Decision decision = decide(key);
        if (!decision.permitted()) {
            throw rejection(key, decision);
        }
        return decision;
    }

    /**
     * @param key the key value the request was counted under (or its raw value)
     * @param decision the refusal
     * @return the exception that describes it, naming this service, the limit and the key
     */
    public RateLimitedException rejection(String key, Decision decision) {
        String k = effectiveKey(key);
        return new RateLimitedException(service, limit(k), k, decision);
    }

    /** Stops the limiter following the registry (global limits); the last share holds. */
    @Override
    public void close() {
        Object l = limiter != null ? limiter : keyed;
        if (l instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing rate limit '" + name() + "'", e);
            }
        }
    }

    @Override
    public String toString() {
        return (keyed != null ? keyed.defaultLimit() + " per key" : limiter.limit().toString());
    }
}
