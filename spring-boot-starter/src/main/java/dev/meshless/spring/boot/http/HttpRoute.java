package dev.meshless.spring.boot.http;

import java.util.Objects;

/**
 * How Meshless treats one HTTP request to a service, carried as the request attribute
 * {@link #ATTRIBUTE}: the service's name (which must be the URL's host), the policy section that
 * applies and whether the request may be repeated safely. The clients of {@code @ZoneAware} HTTP
 * service interfaces set it on every request; an application may set it on its own requests, for
 * example to let a POST be retried:
 *
 * <pre>{@code
 * restClient.post().uri("http://orders/orders").attribute(HttpRoute.ATTRIBUTE,
 *         HttpRoute.to("orders").withIdempotent(true)).body(order).retrieve().toEntity(Order.class);
 * }</pre>
 *
 * A request carrying a route is routed even when its host is not otherwise known to Meshless.
 * Immutable.
 *
 * @param service the service, as it appears in the URL's host; not blank
 * @param policy the {@code meshless.services} section whose policies apply, or {@code null} for the
 *     service's own
 * @param idempotent whether the request is retried on every retryable failure whatever its method
 */
public record HttpRoute(String service, String policy, boolean idempotent) {

    /** The name of the request attribute (RestClient, RestTemplate, WebClient) that holds a route. */
    public static final String ATTRIBUTE = HttpRoute.class.getName();

    /**
     * @param service the service, as it appears in the URL's host; not blank
     * @param policy the policy section, or {@code null} or empty for the service's own
     * @param idempotent whether the request may be repeated safely
     */
    public HttpRoute {
        Objects.requireNonNull(service, "service");
        if (service.isBlank()) {
            throw new IllegalArgumentException("service must be a non-blank service name, but was '" + service + "'");
        }
        policy = policy == null || policy.isBlank() ? null : policy;
    }

    /**
     * @param service the service, as it appears in the URL's host
     * @return a route with the service's own policies, not declared idempotent
     */
    public static HttpRoute to(String service) {
        return new HttpRoute(service, null, false);
    }

    /**
     * @param isIdempotent whether the request may be repeated safely
     * @return a copy with that flag
     */
    public HttpRoute withIdempotent(boolean isIdempotent) {
        return new HttpRoute(service, policy, isIdempotent);
    }

    /**
     * @param policyName the {@code meshless.services} section whose policies apply
     * @return a copy with that policy
     */
    public HttpRoute withPolicy(String policyName) {
        return new HttpRoute(service, policyName, idempotent);
    }
}
