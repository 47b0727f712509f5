package dev.meshless.spring.boot.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.ratelimit.Decision;
import dev.meshless.ratelimit.RateLimit;
import dev.meshless.ratelimit.RateLimitedException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Header values in whole seconds, rounded up, and problem bodies that are valid JSON whatever the key. */
class RateLimitResponsesTest {

    private static Decision refused(Duration retryAfter, Duration reset) {
        return new Decision(false, true, 10, 0, reset, retryAfter);
    }

    @Test
    void secondsAreRoundedUp() {
        assertThat(RateLimitResponses.ceilSeconds(Duration.ZERO)).isZero();
        assertThat(RateLimitResponses.ceilSeconds(Duration.ofNanos(1))).isEqualTo(1);
        assertThat(RateLimitResponses.ceilSeconds(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(RateLimitResponses.ceilSeconds(Duration.ofMillis(1001))).isEqualTo(2);
    }

    @Test
    void aRejectionSaysRetryAfterAtLeastOneSecond() {
        Map<String, String> headers = new LinkedHashMap<>();
        RateLimitResponses.forEachOfRejection(refused(Duration.ofMillis(20), Duration.ofMillis(1500)), headers::put);

        assertThat(headers).containsExactly(Map.entry("Retry-After", "1"), Map.entry("RateLimit-Limit", "10"),
                Map.entry("RateLimit-Remaining", "0"), Map.entry("RateLimit-Reset", "2"));
    }

    @Test
    void theMoreRestrictiveDecisionHasFewerPermitsLeftThenTheLongerReset() {
        Decision few = new Decision(true, false, 100, 3, Duration.ofSeconds(1), Duration.ZERO);
        Decision many = new Decision(true, false, 10, 9, Duration.ofSeconds(60), Duration.ZERO);
        Decision fewLonger = new Decision(true, false, 5, 3, Duration.ofSeconds(5), Duration.ZERO);

        assertThat(RateLimitResponses.moreRestrictive(null, many)).isSameAs(many);
        assertThat(RateLimitResponses.moreRestrictive(many, few)).isSameAs(few);
        assertThat(RateLimitResponses.moreRestrictive(few, fewLonger)).isSameAs(fewLonger);
    }

    @Test
    void theProblemBodyEscapesWhateverTheKeyHolds() {
        String key = "a\"b\\c\nd\u0001e\u2028f";
        RateLimitedException rejection = new RateLimitedException("svc", RateLimit.builder("per-key")
                .limitForPeriod(10).build(), key, refused(Duration.ofSeconds(3), Duration.ofSeconds(3)));

        byte[] body = RateLimitResponses.problem(URI.create("https://example.org/problems/rate-limited"), rejection,
                "/x/%22y");
        JsonNode json = JsonMapper.builder().build().readTree(new String(body, StandardCharsets.UTF_8));

        assertThat(json.get("type").asString()).isEqualTo("https://example.org/problems/rate-limited");
        assertThat(json.get("title").asString()).isEqualTo("Too Many Requests");
        assertThat(json.get("status").asInt()).isEqualTo(429);
        assertThat(json.get("detail").asString()).isEqualTo(rejection.getMessage());
        assertThat(json.get("instance").asString()).isEqualTo("/x/%22y");
        assertThat(json.get("limit").asString()).isEqualTo("per-key");
        assertThat(json.get("key").asString()).isEqualTo(key);
    }
}
