package dev.meshless.spring.boot.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Path variables are read from route patterns as Spring writes them. */
class RateLimitRoutesTest {

    @Test
    void variablesWithRegexesAndCaptureAllAreFound() {
        assertThat(RateLimitRoutes.variableNames("/users/{userId}/orders/{orderId:\\d{1,9}}/{*rest}"))
                .containsExactly("userId", "orderId", "rest");
        assertThat(RateLimitRoutes.variableNames("/api/**")).isEmpty();
    }
}
