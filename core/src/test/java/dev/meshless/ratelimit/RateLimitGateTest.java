package dev.meshless.ratelimit;

import static dev.meshless.testing.TestEndpoints.zone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.call.ServiceClient;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Outbound limits throttle the caller before a call leaves. */
class RateLimitGateTest {

    @Test
    void anOutboundLimitRejectsBeforeAnyAttemptAndSaysWhenToRetry() {
        FakeTime time = new FakeTime();
        RateLimitGate gate = new RateLimitGate(Map.of("inventory", LocalRateLimiter.create(
                RateLimit.builder("inventory-outbound").limitForPeriod(2).build(), null, time, RateLimitMetrics.NOOP)));
        ServiceClient client = ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(zone("r1", "r1-a", 1, 0))).caller(TestEndpoints.CALLER)
                .timeSource(time).gate(gate).build();
        AtomicInteger attempts = new AtomicInteger();

        client.call(a -> attempts.incrementAndGet());
        client.call(a -> attempts.incrementAndGet());
        time.advance(Duration.ofMillis(250));

        assertThatThrownBy(() -> client.call(a -> attempts.incrementAndGet()))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                    assertThat(e.service()).isEqualTo("inventory");
                    assertThat(e.limitName()).isEqualTo("inventory-outbound");
                    assertThat(e.key()).isNull();
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(750));
                    assertThat(e.getStackTrace()).as("refusals are cheap: no stack trace").isEmpty();
                    assertThat(e).hasMessage("Rate limit 'inventory-outbound' exceeded: 2 per 1s; retry after 750 ms");
                });
        assertThat(attempts).hasValue(2);
        new RateLimitGate(Map.of()).admit("anything-else"); // unlimited services pass
        client.close();
    }
}
