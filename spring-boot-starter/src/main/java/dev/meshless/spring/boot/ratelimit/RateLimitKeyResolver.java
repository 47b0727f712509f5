package dev.meshless.spring.boot.ratelimit;

/**
 * Computes a per-key limit's key from an HTTP request, for keys that a header, a path variable or
 * the principal do not give directly (a tenant from a JWT claim, an API key's account, a client
 * address behind a trusted proxy). Declare it as a bean and name the bean in
 * {@code meshless.rate-limit.limits.<name>.key.name} with {@code key.source: bean}.
 *
 * <p>Called on the request path for every request a route of the limit matches, on the servlet
 * container's thread or on a WebFlux event-loop thread: implementations must be fast, thread-safe
 * and must not block.
 */
@FunctionalInterface
public interface RateLimitKeyResolver {

    /**
     * @param request the request
     * @return the key, or {@code null} (or blank) when the request has none: it is then counted
     *     under {@link dev.meshless.ratelimit.InboundRateLimit#ANONYMOUS_KEY}
     */
    String resolveKey(RateLimitRequest request);
}
