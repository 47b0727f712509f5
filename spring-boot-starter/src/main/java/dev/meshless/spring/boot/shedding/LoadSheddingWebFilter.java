package dev.meshless.spring.boot.shedding;

import dev.meshless.spring.boot.shedding.LoadShedder.Permit;
import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Sheds requests of a WebFlux application beyond the adaptive concurrency limit, lowest priority
 * first, answering 503 with {@code Retry-After} and a problem+json body; actuator requests pass
 * untouched. An admitted request holds its place from subscription until the rest of the chain
 * completes, fails or is cancelled (the client went away). Decisions run on the calling thread and
 * never block. Thread-safe.
 */
public class LoadSheddingWebFilter implements WebFilter, Ordered {

    private final LoadShedder shedder;
    private final SheddingRoutes routes;
    private final SheddingResponses responses;
    private final int order;

    /**
     * @param shedder the limit
     * @param routes the priority of each request
     * @param responses what a shed request is answered
     * @param order the filter's order
     */
    public LoadSheddingWebFilter(LoadShedder shedder, SheddingRoutes routes, SheddingResponses responses, int order) {
        this.shedder = Objects.requireNonNull(shedder, "shedder");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.responses = Objects.requireNonNull(responses, "responses");
        this.order = order;
    }

    @Override
    public int getOrder() {
        return order;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        Priority priority = routes.priorityOf(request.getMethod().name(), request.getPath().pathWithinApplication());
        if (priority == null) {
            return chain.filter(exchange);
        }
        return Mono.defer(() -> {
            int limit = shedder.limit();
            int inFlight = shedder.inFlight();
            Permit permit = shedder.acquire(priority);
            if (permit == null) {
                return reject(exchange, responses.problem(priority, limit, inFlight, request.getPath().value()));
            }
            return chain.filter(exchange).doFinally(signal -> {
                if (signal == SignalType.ON_COMPLETE) {
                    permit.success();
                } else {
                    permit.ignore();
                }
            });
        });
    }

    private Mono<Void> reject(ServerWebExchange exchange, byte[] body) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
        responses.forEachHeader(response.getHeaders()::set);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
