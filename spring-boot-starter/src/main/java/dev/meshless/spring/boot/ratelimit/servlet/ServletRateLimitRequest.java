package dev.meshless.spring.boot.ratelimit.servlet;

import dev.meshless.spring.boot.ratelimit.RateLimitRequest;
import dev.meshless.spring.boot.ratelimit.RateLimitRoutes;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Map;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;

/** A servlet request as a {@link RateLimitRequest}. Used on the request's thread only. */
final class ServletRateLimitRequest implements RateLimitRequest {

    private final HttpServletRequest request;
    private final PathPattern pattern;
    private final PathContainer path;

    ServletRateLimitRequest(HttpServletRequest request, PathPattern pattern, PathContainer path) {
        this.request = request;
        this.pattern = pattern;
        this.path = path;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        return path.value();
    }

    @Override
    public String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public Map<String, String> pathVariables() {
        return RateLimitRoutes.Rule.pathVariables(pattern, path);
    }

    @Override
    public Principal principal() {
        return request.getUserPrincipal();
    }

    @Override
    public Object nativeRequest() {
        return request;
    }
}
