package dev.meshless.spring.boot.ratelimit;

import java.security.Principal;
import java.util.Map;

/**
 * What a {@link RateLimitKeyResolver} sees of an HTTP request, the same for servlet and WebFlux
 * applications. Valid only during the call to the resolver.
 */
public interface RateLimitRequest {

    /** @return the HTTP method, upper case, for example {@code GET} */
    String method();

    /** @return the path within the application (without the context path), still URL-encoded */
    String path();

    /**
     * @param name a header name, case-insensitive
     * @return the header's first value, or {@code null} when the request has none
     */
    String header(String name);

    /** @return the variables of the route pattern that matched the request (decoded); empty when it has none */
    Map<String, String> pathVariables();

    /**
     * @return the authenticated principal, or {@code null}. In a WebFlux application it is resolved
     *     before the resolver is called only for limits whose key source is {@code principal} or
     *     {@code bean}.
     */
    Principal principal();

    /**
     * @return the underlying request: a {@code jakarta.servlet.http.HttpServletRequest} in a servlet
     *     application, a {@code org.springframework.web.server.ServerWebExchange} in a WebFlux one
     */
    Object nativeRequest();
}
