package dev.meshless.spring.boot.ratelimit.servlet;

import dev.meshless.ratelimit.Decision;
import dev.meshless.ratelimit.InboundRateLimit;
import dev.meshless.ratelimit.RateLimitedException;
import dev.meshless.spring.boot.ratelimit.RateLimitResponses;
import dev.meshless.spring.boot.ratelimit.RateLimitRoutes;
import dev.meshless.spring.boot.ratelimit.RateLimitRoutes.Rule;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.security.Principal;
import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Applies the limits whose routes match each request, in configuration order, before the request
 * reaches the application. A refused request gets 429 with {@code Retry-After}, the
 * {@code RateLimit-*} headers and a problem+json body, written here; a permitted one goes on with
 * the {@code RateLimit-*} headers of the most restrictive limit that applied. Permits taken by
 * earlier limits are not returned when a later one refuses.
 *
 * <p>Runs once per request (not again on error or async dispatches). A limit with a positive
 * timeout makes the request's thread wait for a permit. Thread-safe.
 */
public class RateLimitServletFilter extends OncePerRequestFilter implements Ordered {

    private final RateLimitRoutes routes;
    private final URI problemType;
    private final int order;

    /**
     * @param routes the limits and where they apply
     * @param problemType the {@code type} of rejection bodies
     * @param order the filter's order
     */
    public RateLimitServletFilter(RateLimitRoutes routes, URI problemType, int order) {
        this.routes = Objects.requireNonNull(routes, "routes");
        this.problemType = Objects.requireNonNull(problemType, "problemType");
        this.order = order;
    }

    @Override
    public int getOrder() {
        return order;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (routes.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        PathContainer path = RequestPath.parse(request.getRequestURI(), request.getContextPath())
                .pathWithinApplication();
        String method = request.getMethod();
        Decision shown = null;
        for (int i = 0; i < routes.size(); i++) {
            Rule rule = routes.rule(i);
            PathPattern matched = rule.match(method, path);
            if (matched == null) {
                continue;
            }
            InboundRateLimit limit = rule.limit();
            String key = rule.keySource() == null ? null : key(rule, matched, path, request);
            Decision decision = limit.decide(key);
            if (!decision.permitted()) {
                reject(request, response, limit.rejection(key, decision), problemType);
                return;
            }
            shown = RateLimitResponses.moreRestrictive(shown, decision);
        }
        if (shown != null) {
            RateLimitResponses.forEach(shown, response::setHeader);
        }
        chain.doFilter(request, response);
    }

    private static String key(Rule rule, PathPattern matched, PathContainer path, HttpServletRequest request) {
        return switch (rule.keySource()) {
            case HEADER -> request.getHeader(rule.keyName());
            case PATH_VARIABLE -> Rule.pathVariables(matched, path).get(rule.keyName());
            case PRINCIPAL -> {
                Principal principal = request.getUserPrincipal();
                yield principal == null ? null : principal.getName();
            }
            case BEAN -> rule.resolver().resolveKey(new ServletRateLimitRequest(request, matched, path));
        };
    }

    /**
     * Writes a 429 rejection.
     *
     * @param request the refused request
     * @param response its response, not yet committed
     * @param rejection the refusal
     * @param problemType the {@code type} of the body
     * @throws IOException when the body cannot be written
     */
    static void reject(HttpServletRequest request, HttpServletResponse response, RateLimitedException rejection,
                       URI problemType) throws IOException {
        byte[] body = RateLimitResponses.problem(problemType, rejection, request.getRequestURI());
        response.setStatus(RateLimitResponses.STATUS);
        RateLimitResponses.forEachOfRejection(rejection.decision(), response::setHeader);
        response.setContentType(RateLimitResponses.PROBLEM_JSON);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }
}
