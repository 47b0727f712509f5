package dev.meshless.spring.boot.ratelimit.servlet;

import static dev.meshless.spring.boot.testing.Http.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.testing.Http;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * A real Spring MVC server with the limits of {@code application-ratelimit-mvc.yml} (each 1 h long,
 * so nothing refills during the test). Each test uses its own limit or keys.
 */
@SpringBootTest(classes = MvcTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("ratelimit-mvc")
class ServletRateLimitingTest {

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    private Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void requestsBeyondARouteLimitGet429WithRetryAfterRateLimitResponsesAndAProblemBody() {
        HttpResponse<String> first = http.get("/api/items");
        HttpResponse<String> second = http.get("/api/items");
        HttpResponse<String> third = http.get("/api/items?page=2");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(header(first, "RateLimit-Limit")).isEqualTo("2");
        assertThat(header(first, "RateLimit-Remaining")).isEqualTo("1");
        assertThat(Long.parseLong(header(first, "RateLimit-Reset"))).isBetween(3500L, 3600L);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(header(second, "RateLimit-Remaining")).isEqualTo("0");

        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(header(third, "Retry-After"))).isBetween(3500L, 3600L);
        assertThat(header(third, "RateLimit-Limit")).isEqualTo("2");
        assertThat(header(third, "RateLimit-Remaining")).isEqualTo("0");
        assertThat(Long.parseLong(header(third, "RateLimit-Reset"))).isBetween(3500L, 3600L);
        assertThat(header(third, "Content-Type")).isEqualTo("application/problem+json");
        JsonNode problem = Http.json(third);
        assertThat(problem.get("type").asString()).isEqualTo("about:blank");
        assertThat(problem.get("title").asString()).isEqualTo("Too Many Requests");
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("detail").asString()).startsWith("Rate limit 'api' exceeded: 2 per 1h; retry after ");
        assertThat(problem.get("instance").asString()).isEqualTo("/api/items");
        assertThat(problem.get("limit").asString()).isEqualTo("api");
        assertThat(problem.has("key")).isFalse();
    }

    @Test
    void aRouteAppliesOnlyToItsMethods() {
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> post = http.send("POST", "/api/items");
            assertThat(post.statusCode()).isEqualTo(200);
            assertThat(header(post, "RateLimit-Limit")).isNull();
        }
    }

    @Test
    void aPerKeyLimitCountsEachHeaderValueSeparately() {
        assertThat(http.get("/tenant/data", "X-Tenant", "t1").statusCode()).isEqualTo(200);
        assertThat(http.get("/tenant/data", "X-Tenant", "t1").statusCode()).isEqualTo(200);
        HttpResponse<String> rejected = http.get("/tenant/data", "X-Tenant", "t1");
        HttpResponse<String> other = http.get("/tenant/data", "X-Tenant", "t2");

        assertThat(rejected.statusCode()).isEqualTo(429);
        JsonNode problem = Http.json(rejected);
        assertThat(problem.get("limit").asString()).isEqualTo("per-tenant");
        assertThat(problem.get("key").asString()).isEqualTo("t1");
        assertThat(problem.get("detail").asString()).startsWith("Rate limit 'per-tenant' exceeded for key 't1'");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(header(other, "RateLimit-Limit")).isEqualTo("2");
        assertThat(header(other, "RateLimit-Remaining")).isEqualTo("1");
    }

    @Test
    void anOverrideGivesItsKeyItsOwnLimit() {
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> permitted = http.get("/tenant/data", "X-Tenant", "vip");
            assertThat(permitted.statusCode()).isEqualTo(200);
            assertThat(header(permitted, "RateLimit-Limit")).isEqualTo("4");
            assertThat(header(permitted, "RateLimit-Remaining")).isEqualTo(String.valueOf(3 - i));
        }
        assertThat(http.get("/tenant/data", "X-Tenant", "vip").statusCode()).isEqualTo(429);
    }

    @Test
    void requestsWithoutTheKeyShareTheAnonymousBucket() {
        assertThat(http.get("/tenant/data").statusCode()).isEqualTo(200);
        assertThat(http.get("/tenant/data").statusCode()).isEqualTo(200);
        HttpResponse<String> rejected = http.get("/tenant/data");

        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(Http.json(rejected).get("key").asString()).isEqualTo("anonymous");
        assertThat(http.get("/tenant/data", "X-Tenant", "t3").statusCode()).isEqualTo(200);
    }

    @Test
    void theAuthenticatedPrincipalCanBeTheKey() {
        assertThat(http.get("/me", MvcTestApplication.USER_HEADER, "alice").body()).isEqualTo("alice");
        HttpResponse<String> rejected = http.get("/me", MvcTestApplication.USER_HEADER, "alice");
        HttpResponse<String> bob = http.get("/me", MvcTestApplication.USER_HEADER, "bob");

        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(Http.json(rejected).get("key").asString()).isEqualTo("alice");
        assertThat(bob.statusCode()).isEqualTo(200);
    }

    @Test
    void aRateLimitedControllerMethodGetsTheSame429() {
        HttpResponse<String> first = http.get("/annotated/u1");
        HttpResponse<String> rejected = http.get("/annotated/u1", "Accept", "application/json");
        HttpResponse<String> otherUser = http.get("/annotated/u2");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("hello u1");
        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(header(rejected, "Retry-After"))).isBetween(3500L, 3600L);
        assertThat(header(rejected, "RateLimit-Limit")).isEqualTo("1");
        assertThat(header(rejected, "RateLimit-Remaining")).isEqualTo("0");
        assertThat(Long.parseLong(header(rejected, "RateLimit-Reset"))).isBetween(3500L, 3600L);
        assertThat(header(rejected, "Content-Type")).isEqualTo("application/problem+json");
        JsonNode problem = Http.json(rejected);
        assertThat(problem.get("type").asString()).isEqualTo("about:blank");
        assertThat(problem.get("title").asString()).isEqualTo("Too Many Requests");
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("detail").asString()).startsWith("Rate limit 'per-user' exceeded for key 'u1'");
        assertThat(problem.get("instance").asString()).isEqualTo("/annotated/u1");
        assertThat(problem.get("limit").asString()).isEqualTo("per-user");
        assertThat(problem.get("key").asString()).isEqualTo("u1");
        assertThat(otherUser.statusCode()).isEqualTo(200);
    }

    @Test
    void aRateLimitedMethodWithoutKeysIsLimitedAsAWhole() {
        assertThat(http.get("/reports").statusCode()).isEqualTo(200);
        HttpResponse<String> rejected = http.get("/reports");

        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(Http.json(rejected).get("limit").asString()).isEqualTo("reports");
        assertThat(Http.json(rejected).has("key")).isFalse();
    }

    @Test
    void aShadowLimitLetsEverythingThroughAndCountsWhatItWouldReject() {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = http.get("/trial");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(header(response, "RateLimit-Limit")).isEqualTo("1");
        }
        assertThat(count("trial", "permitted")).isEqualTo(1.0);
        assertThat(count("trial", "shadow-rejected")).isEqualTo(2.0);
        assertThat(count("trial", "rejected")).isZero();
    }

    @Test
    void pathsWithoutALimitCarryNoRateLimitResponses() {
        HttpResponse<String> response = http.get("/unlimited");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("ratelimit"));
    }

    private double count(String limit, String outcome) {
        return meters.get("meshless.ratelimit.requests").tags("limit", limit, "outcome", outcome).counter().count();
    }
}
