package dev.meshless.spring.boot.ratelimit.reactive;

import static dev.meshless.spring.boot.testing.Http.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.testing.Http;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * A real WebFlux server with the limits of {@code application-ratelimit-webflux.yml} (each 1 h
 * long). Each test uses its own limit or keys.
 */
@SpringBootTest(classes = WebFluxTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("ratelimit-webflux")
class ReactiveRateLimitingTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    private Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void theApplicationIsReactive() {
        assertThat(context.getBeansOfType(RateLimitWebFilter.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(
                dev.meshless.spring.boot.ratelimit.servlet.RateLimitServletFilter.class)).isEmpty();
    }

    @Test
    void aPathVariableKeyLimitsEachUserSeparately() {
        HttpResponse<String> first = http.get("/users/alice/orders");
        HttpResponse<String> second = http.get("/users/alice/orders");
        HttpResponse<String> rejected = http.get("/users/alice/orders");
        HttpResponse<String> bob = http.get("/users/bob/orders");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("orders of alice");
        assertThat(header(first, "RateLimit-Limit")).isEqualTo("2");
        assertThat(header(first, "RateLimit-Remaining")).isEqualTo("1");
        assertThat(Long.parseLong(header(first, "RateLimit-Reset"))).isBetween(1700L, 1800L);
        assertThat(header(second, "RateLimit-Remaining")).isEqualTo("0");

        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(header(rejected, "Retry-After"))).isBetween(1700L, 1800L);
        assertThat(header(rejected, "RateLimit-Limit")).isEqualTo("2");
        assertThat(header(rejected, "RateLimit-Remaining")).isEqualTo("0");
        assertThat(Long.parseLong(header(rejected, "RateLimit-Reset"))).isBetween(3500L, 3600L);
        assertThat(header(rejected, "Content-Type")).isEqualTo("application/problem+json");
        JsonNode problem = Http.json(rejected);
        assertThat(problem.get("type").asString()).isEqualTo("about:blank");
        assertThat(problem.get("title").asString()).isEqualTo("Too Many Requests");
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("detail").asString()).startsWith("Rate limit 'per-user' exceeded for key 'alice'");
        assertThat(problem.get("instance").asString()).isEqualTo("/users/alice/orders");
        assertThat(problem.get("limit").asString()).isEqualTo("per-user");
        assertThat(problem.get("key").asString()).isEqualTo("alice");

        assertThat(bob.statusCode()).isEqualTo(200);
        assertThat(header(bob, "RateLimit-Remaining")).isEqualTo("1");
    }

    @Test
    void anEncodedPathVariableIsDecodedIntoTheKey() {
        assertThat(http.get("/users/j%C3%BCrgen/orders").statusCode()).isEqualTo(200);
        assertThat(http.get("/users/j%C3%BCrgen/orders").statusCode()).isEqualTo(200);
        HttpResponse<String> rejected = http.get("/users/j%C3%BCrgen/orders");

        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(Http.json(rejected).get("key").asString()).isEqualTo("jürgen");
        assertThat(Http.json(rejected).get("instance").asString()).isEqualTo("/users/j%C3%BCrgen/orders");
    }

    @Test
    void aKeyResolverBeanGivesTheKey() {
        assertThat(http.get("/partner/catalog", "X-Api-Key", "k1").statusCode()).isEqualTo(200);
        HttpResponse<String> rejected = http.get("/partner/catalog", "X-Api-Key", "k1");

        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(Http.json(rejected).get("key").asString()).isEqualTo("k1");
        assertThat(http.get("/partner/catalog", "X-Api-Key", "k2").statusCode()).isEqualTo(200);
    }

    @Test
    void theAuthenticatedPrincipalCanBeTheKey() {
        assertThat(http.get("/me", WebFluxTestApplication.USER_HEADER, "carol").body()).isEqualTo("carol");
        HttpResponse<String> rejected = http.get("/me", WebFluxTestApplication.USER_HEADER, "carol");

        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(Http.json(rejected).get("key").asString()).isEqualTo("carol");
        assertThat(http.get("/me", WebFluxTestApplication.USER_HEADER, "dave").statusCode()).isEqualTo(200);
        assertThat(http.get("/me").statusCode()).as("anonymous has its own bucket").isEqualTo(200);
    }

    @Test
    void aRateLimitedHandlerGetsTheSame429() {
        assertThat(http.get("/reports").body()).isEqualTo("report");
        HttpResponse<String> rejected = http.get("/reports", "Accept", "application/json");

        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(header(rejected, "Retry-After"))).isBetween(3500L, 3600L);
        assertThat(header(rejected, "RateLimit-Limit")).isEqualTo("1");
        assertThat(header(rejected, "RateLimit-Remaining")).isEqualTo("0");
        assertThat(header(rejected, "Content-Type")).isEqualTo("application/problem+json");
        JsonNode problem = Http.json(rejected);
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("instance").asString()).isEqualTo("/reports");
        assertThat(problem.get("limit").asString()).isEqualTo("reports");
        assertThat(problem.has("key")).isFalse();
    }

    @Test
    void aRateLimitedHandlerUnderALimitThatWaitsTakesItsPermitOffTheEventLoop() {
        HttpResponse<String> first = http.get("/handler/waiting");
        HttpResponse<String> second = http.get("/handler/waiting", "Accept", "application/json");
        HttpResponse<String> stream = http.get("/handler/waiting-stream");
        HttpResponse<String> refusedStream = http.get("/handler/waiting-stream", "Accept", "application/json");

        // The handler's work runs after the permit, on the thread that took it.
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).startsWith("boundedElastic-");
        assertThat(stream.body()).startsWith("boundedElastic-");
        assertThat(second.statusCode()).as("refused after its 50 ms wait, as an error signal").isEqualTo(429);
        assertThat(Http.json(second).get("limit").asString()).isEqualTo("waiting-handler");
        assertThat(refusedStream.statusCode()).isEqualTo(429);
    }

    @Test
    void aRateLimitedHandlerUnderALimitThatAnswersAtOnceIsDecidedOnTheCallingThread() {
        HttpResponse<String> response = http.get("/handler/instant");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).as("the server's event loop").contains("http").doesNotStartWith("boundedElastic");
    }

    @Test
    void aLimitThatMayWaitIsDecidedOffTheEventLoop() {
        assertThat(http.get("/patient").statusCode()).isEqualTo(200);
        assertThat(http.get("/patient").statusCode()).isEqualTo(429);
    }
}
