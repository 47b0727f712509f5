package dev.meshless.spring.boot.ratelimit.reactive;

import dev.meshless.ratelimit.Decision;
import dev.meshless.ratelimit.InboundRateLimit;
import dev.meshless.ratelimit.RateLimitedException;
import dev.meshless.spring.boot.ratelimit.RateLimitResponses;
import dev.meshless.spring.boot.ratelimit.RateLimitRoutes;
import dev.meshless.spring.boot.ratelimit.RateLimitRoutes.Rule;
import java.net.URI;
import java.security.Principal;
import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Applies the limits whose routes match each request of a WebFlux application, in configuration
 * order: a refused request gets 429 with {@code Retry-After}, the {@code RateLimit-*} headers and a
 * problem+json body, written here; a permitted one goes on with the {@code RateLimit-*} headers of
 * the most restrictive limit that applied. Permits taken by earlier limits are not returned when a
 * later one refuses.
 *
 * <p>Decisions run on the calling (event-loop) thread, except when a matching limit has a positive
 * timeout: waiting for a permit then happens on Reactor's bounded-elastic scheduler. The principal
 * is resolved first only when a matching limit's key needs it (key sources {@code principal} and
 * {@code bean}). Thread-safe.
 */
public class RateLimitWebFilter implements WebFilter, Ordered {

    private final RateLimitRoutes routes;
    private final URI problemType;
    private final int order;

    /**
     * @param routes the limits and where they apply
     * @param problemType the {@code type} of rejection bodies
     * @param order the filter's order
     */
    public RateLimitWebFilter(RateLimitRoutes routes, URI problemType, int order) {
        this.routes = Objects.requireNonNull(routes, "routes");
        this.problemType = Objects.requireNonNull(problemType, "problemType");
        this.order = order;
    }

    @Override
    public int getOrder() {
        return order;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (routes.isEmpty()) {
            return chain.filter(exchange);
        }
        ServerHttpRequest request = exchange.getRequest();
        PathContainer path = request.getPath().pathWithinApplication();
        String method = request.getMethod().name();
        Rule[] rules = null;
        PathPattern[] patterns = null;
        int matched = 0;
        boolean principal = false;
        boolean waits = false;
        for (int i = 0; i < routes.size(); i++) {
            Rule rule = routes.rule(i);
            PathPattern pattern = rule.match(method, path);
            if (pattern == null) {
                continue;
            }
            if (rules == null) {
                rules = new Rule[routes.size() - i];
                patterns = new PathPattern[rules.length];
            }
            rules[matched] = rule;
            patterns[matched++] = pattern;
            principal |= rule.needsPrincipal();
            waits |= rule.limit().mayWait();
        }
        if (matched == 0) {
            return chain.filter(exchange);
        }
        Matches matches = new Matches(rules, patterns, matched, path, waits);
        if (principal) {
            return exchange.getPrincipal().cast(Principal.class)
                    .map(p -> new Principals(p)).defaultIfEmpty(Principals.NONE)
                    .flatMap(p -> decide(exchange, chain, matches, p.principal));
        }
        return decide(exchange, chain, matches, null);
    }

    private Mono<Void> decide(ServerWebExchange exchange, WebFilterChain chain, Matches matches, Principal principal) {
        if (matches.waits) {
            return Mono.fromCallable(() -> evaluate(exchange, matches, principal))
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMap(outcome -> finish(exchange, chain, outcome));
        }
        return finish(exchange, chain, evaluate(exchange, matches, principal));
    }

    private static Outcome evaluate(ServerWebExchange exchange, Matches matches, Principal principal) {
        Decision shown = null;
        for (int i = 0; i < matches.count; i++) {
            Rule rule = matches.rules[i];
            InboundRateLimit limit = rule.limit();
            String key = rule.keySource() == null ? null
                    : key(rule, matches.patterns[i], matches.path, exchange, principal);
            Decision decision = limit.decide(key);
            if (!decision.permitted()) {
                return new Outcome(decision, limit.rejection(key, decision));
            }
            shown = RateLimitResponses.moreRestrictive(shown, decision);
        }
        return new Outcome(shown, null);
    }

    private static String key(Rule rule, PathPattern pattern, PathContainer path, ServerWebExchange exchange,
                              Principal principal) {
        return switch (rule.keySource()) {
            case HEADER -> exchange.getRequest().getHeaders().getFirst(rule.keyName());
            case PATH_VARIABLE -> Rule.pathVariables(pattern, path).get(rule.keyName());
            case PRINCIPAL -> principal == null ? null : principal.getName();
            case BEAN -> rule.resolver().resolveKey(new ReactiveRateLimitRequest(exchange, pattern, path, principal));
        };
    }

    private Mono<Void> finish(ServerWebExchange exchange, WebFilterChain chain, Outcome outcome) {
        if (outcome.rejection != null) {
            return reject(exchange, outcome.rejection, problemType);
        }
        RateLimitResponses.forEach(outcome.shown, exchange.getResponse().getHeaders()::set);
        return chain.filter(exchange);
    }

    /**
     * Writes a 429 rejection.
     *
     * @param exchange the refused exchange, its response not yet committed
     * @param rejection the refusal
     * @param problemType the {@code type} of the body
     * @return completes when the response is written
     */
    static Mono<Void> reject(ServerWebExchange exchange, RateLimitedException rejection, URI problemType) {
        ServerHttpResponse response = exchange.getResponse();
        byte[] body = RateLimitResponses.problem(problemType, rejection, exchange.getRequest().getPath().value());
        response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
        RateLimitResponses.forEachOfRejection(rejection.decision(), response.getHeaders()::set);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    /** The rules that matched a request, with the pattern each matched by. */
    private record Matches(Rule[] rules, PathPattern[] patterns, int count, PathContainer path, boolean waits) {
    }

    /** The decisions for one request: a rejection, or the decision its headers show. */
    private record Outcome(Decision shown, RateLimitedException rejection) {
    }

    /** A principal or none (a Mono cannot carry null). */
    private record Principals(Principal principal) {
        static final Principals NONE = new Principals(null);
    }
}
