package dev.meshless.consul;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.consul.internal.Backoff;
import dev.meshless.consul.internal.TokenBucket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The token bucket of the blocking loop and the jittered backoff after errors, on exact numbers. */
class LoopLimitsTest {

    private static final long S = 1_000_000_000L;

    @Test
    void theBucketLetsTwoRequestsGoThenOnePerIntervalAndRefillsWhenQuiet() {
        TokenBucket bucket = new TokenBucket(2, Duration.ofSeconds(15));

        assertThat(bucket.reserve(0)).isZero();
        assertThat(bucket.reserve(0)).isZero();
        assertThat(bucket.reserve(0)).isEqualTo(15 * S);
        assertThat(bucket.reserve(15 * S)).isEqualTo(15 * S);
        assertThat(bucket.reserve(200 * S)).as("quiet for long: burst available again").isZero();
        assertThat(bucket.reserve(200 * S)).isZero();
        assertThat(bucket.reserve(200 * S)).isEqualTo(15 * S);
    }

    @Test
    void aSlowLoopIsNeverDelayed() {
        TokenBucket bucket = new TokenBucket(2, Duration.ofSeconds(15));
        for (long t = 0; t < 600 * S; t += 20 * S) {
            assertThat(bucket.reserve(t)).isZero();
        }
    }

    @Test
    void backoffDoublesWithEqualJitterUpToTheMaximumAndResets() {
        double[] random = {0.0, 0.999, 0.5};
        int[] next = {0};
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8),
                () -> random[next[0]++ % random.length]);

        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            delays.add(backoff.nextDelay());
        }

        assertThat(delays).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1999), Duration.ofMillis(3000),
                Duration.ofMillis(4000), Duration.ofMillis(7996), Duration.ofMillis(6000));
        backoff.reset();
        assertThat(backoff.nextDelay()).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    }
}
