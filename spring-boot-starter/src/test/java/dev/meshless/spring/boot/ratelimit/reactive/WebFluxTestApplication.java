package dev.meshless.spring.boot.ratelimit.reactive;

import dev.meshless.spring.boot.ratelimit.RateLimitKeyResolver;
import dev.meshless.spring.boot.ratelimit.RateLimited;
import java.security.Principal;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A WebFlux application for the HTTP tests: a few endpoints, a key resolver bean, a principal from a test header. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(WebFluxTestApplication.Endpoints.class)
public class WebFluxTestApplication {

    /** The header the test authentication takes the user name from. */
    static final String USER_HEADER = "X-Test-User";

    /** @return the key resolver named by the per-api-key limit */
    @Bean
    RateLimitKeyResolver apiKeyResolver() {
        return request -> request.header("X-Api-Key");
    }

    /** Stands in for Spring Security: authenticates the user named by a header, before the rate-limit filter. */
    @Bean
    TestAuthentication testAuthentication() {
        return new TestAuthentication();
    }

    static final class TestAuthentication implements WebFilter, Ordered {
        @Override
        public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
            String user = exchange.getRequest().getHeaders().getFirst(USER_HEADER);
            if (user == null) {
                return chain.filter(exchange);
            }
            Principal principal = () -> user;
            return chain.filter(exchange.mutate().principal(Mono.just(principal)).build());
        }

        @Override
        public int getOrder() {
            return -100;
        }
    }

    @RestController
    static class Endpoints {
        @GetMapping("/users/{userId}/orders")
        Mono<String> orders(@PathVariable String userId) {
            return Mono.just("orders of " + userId);
        }

        @GetMapping("/partner/catalog")
        Mono<String> catalog() {
            return Mono.just("catalog");
        }

        @GetMapping("/me")
        Mono<String> me(ServerWebExchange exchange) {
            return exchange.getPrincipal().map(Principal::getName).defaultIfEmpty("nobody");
        }

        @GetMapping("/reports")
        @RateLimited(name = "reports")
        Mono<String> reports() {
            return Mono.just("report");
        }

        @GetMapping("/patient")
        Mono<String> patient() {
            return Mono.just("patient");
        }

        /** Answers with the thread the handler's work ran on, under a limit that waits for a permit. */
        @GetMapping("/handler/waiting")
        @RateLimited(name = "waiting-handler")
        Mono<String> waiting() {
            return Mono.fromSupplier(() -> Thread.currentThread().getName());
        }

        @GetMapping("/handler/waiting-stream")
        @RateLimited(name = "waiting-stream")
        Flux<String> waitingStream() {
            return Flux.defer(() -> Flux.just(Thread.currentThread().getName(), "!"));
        }

        /** The same under a limit that answers at once. */
        @GetMapping("/handler/instant")
        @RateLimited(name = "instant-handler")
        Mono<String> instant() {
            return Mono.fromSupplier(() -> Thread.currentThread().getName());
        }
    }
}
