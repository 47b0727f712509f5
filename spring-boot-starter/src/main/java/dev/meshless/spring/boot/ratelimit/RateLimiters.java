package dev.meshless.spring.boot.ratelimit;

import dev.meshless.ratelimit.InboundRateLimit;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every inbound limit of the application, by name: what {@code meshless.rate-limit.limits}
 * configures (the auto-configuration builds it) or what an application declares as its own bean
 * of this type. Closing it stops the global limits following the registry.
 *
 * <p>Immutable after construction; thread-safe.
 */
public final class RateLimiters implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RateLimiters.class);

    private final Map<String, InboundRateLimit> byName;

    private RateLimiters(Map<String, InboundRateLimit> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * @param limits the limits, in the order the HTTP filters apply them; names must be unique
     * @return the limits by name
     * @throws IllegalArgumentException when a name repeats
     */
    public static RateLimiters of(Collection<InboundRateLimit> limits) {
        Map<String, InboundRateLimit> byName = new LinkedHashMap<>();
        for (InboundRateLimit limit : limits) {
            if (byName.putIfAbsent(limit.name(), limit) != null) {
                throw new IllegalArgumentException("rate limit name '" + limit.name() + "' is used twice");
            }
        }
        return new RateLimiters(byName);
    }

    /** @return the names of the limits, in configuration order */
    public Set<String> names() {
        return byName.keySet();
    }

    /** @return the limits, in configuration order */
    public Collection<InboundRateLimit> all() {
        return byName.values();
    }

    /**
     * @param name a limit's name
     * @return the limit, or empty when none has that name
     */
    public Optional<InboundRateLimit> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * @param name a limit's name
     * @return the limit
     * @throws IllegalArgumentException when none has that name
     */
    public InboundRateLimit get(String name) {
        InboundRateLimit limit = byName.get(name);
        if (limit == null) {
            throw new IllegalArgumentException("no rate limit named '" + name + "'; configured: " + describeNames());
        }
        return limit;
    }

    /** @return the names as an operator reads them in an error message */
    public String describeNames() {
        return byName.isEmpty() ? "none" : String.join(", ", byName.keySet());
    }

    /** Stops the global limits following the registry (their last share holds). Idempotent. */
    @Override
    public void close() {
        for (InboundRateLimit limit : byName.values()) {
            try {
                limit.close();
            } catch (RuntimeException e) {
                log.warn("{}", e.getMessage(), e.getCause());
            }
        }
    }

    @Override
    public String toString() {
        return "RateLimiters" + byName.values();
    }
}
