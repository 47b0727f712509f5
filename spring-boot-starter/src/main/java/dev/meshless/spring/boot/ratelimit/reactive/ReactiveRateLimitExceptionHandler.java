package dev.meshless.spring.boot.ratelimit.reactive;

import dev.meshless.ratelimit.RateLimitedException;
import dev.meshless.spring.boot.ratelimit.RateLimitResponses;
import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;

/**
 * Turns a {@link RateLimitedException} raised by a WebFlux handler (a {@code @RateLimited} method,
 * or code using the limiters directly) into the same 429 response the WebFlux filter writes.
 * Ordered just ahead of advice without an explicit order; an advice with a higher precedence, or a
 * bean of this type, replaces it.
 */
@RestControllerAdvice
public class ReactiveRateLimitExceptionHandler implements Ordered {

    /** The order: just ahead of advice without an explicit order. */
    public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 100;

    private final URI problemType;

    /** @param problemType the {@code type} of rejection bodies */
    public ReactiveRateLimitExceptionHandler(URI problemType) {
        this.problemType = problemType;
    }

    /**
     * @param rejection the refusal
     * @param exchange the refused exchange
     * @return 429 with {@code Retry-After}, the {@code RateLimit-*} headers and a problem+json body
     */
    @ExceptionHandler(RateLimitedException.class)
    public ResponseEntity<byte[]> rateLimited(RateLimitedException rejection, ServerWebExchange exchange) {
        HttpHeaders headers = new HttpHeaders();
        RateLimitResponses.forEachOfRejection(rejection.decision(), headers::set);
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return ResponseEntity.status(RateLimitResponses.STATUS).headers(headers)
                .body(RateLimitResponses.problem(problemType, rejection, exchange.getRequest().getPath().value()));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
