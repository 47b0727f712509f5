package dev.meshless.spring.boot.ratelimit.reactive;

import dev.meshless.spring.boot.ratelimit.RateLimitRequest;
import dev.meshless.spring.boot.ratelimit.RateLimitRoutes;
import java.security.Principal;
import java.util.Map;
import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;

/** A WebFlux exchange as a {@link RateLimitRequest}, with its principal resolved beforehand. */
final class ReactiveRateLimitRequest implements RateLimitRequest {

    private final ServerWebExchange exchange;
    private final PathPattern pattern;
    private final PathContainer path;
    private final Principal principal;

    ReactiveRateLimitRequest(ServerWebExchange exchange, PathPattern pattern, PathContainer path, Principal principal) {
        this.exchange = exchange;
        this.pattern = pattern;
        this.path = path;
        this.principal = principal;
    }

    @Override
    public String method() {
        return exchange.getRequest().getMethod().name();
    }

    @Override
    public String path() {
        return path.value();
    }

    @Override
    public String header(String name) {
        return exchange.getRequest().getHeaders().getFirst(name);
    }

    @Override
    public Map<String, String> pathVariables() {
        return RateLimitRoutes.Rule.pathVariables(pattern, path);
    }

    @Override
    public Principal principal() {
        return principal;
    }

    @Override
    public Object nativeRequest() {
        return exchange;
    }
}
