package dev.meshless.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.concurrency.limits.Limit;
import dev.meshless.testing.FakeTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Envoy's gradient controller as {@link AdaptiveConcurrencyLimiter} builds it, taught attempts whose
 * start is read from a {@link FakeTime} that the test moves; no clock runs.
 */
class EnvoyGradientLimitTest {

    private static final long MS = 1_000_000L;

    private final FakeTime time = new FakeTime();

    private static EnvoyGradientLimit limit(int initial, int min, int max) {
        Limit limit = AdaptiveConcurrencyLimiter.algorithm(AdaptiveConcurrencyPolicy.builder()
                .algorithm(AdaptiveConcurrencyPolicy.Algorithm.ENVOY_GRADIENT).initialLimit(initial).minLimit(min)
                .maxLimit(max).build());
        return (EnvoyGradientLimit) limit;
    }

    /** {@code count} attempts that start now with {@code inFlight} calls in flight and end after {@code rtt}; then time moves past their end. */
    private void round(Limit limit, int count, long rtt, int inFlight, boolean dropped) {
        long start = time.nanoTime();
        for (int i = 0; i < count; i++) {
            limit.onSample(start, rtt, inFlight, dropped);
        }
        time.advance(Duration.ofNanos(rtt));
    }

    /** Rounds of a caller that always uses its whole limit, until {@code duration} has passed. */
    private void busy(Limit limit, Duration duration, java.util.function.IntToLongFunction rttAtConcurrency) {
        long end = time.nanoTime() + duration.toNanos();
        while (time.nanoTime() < end) {
            int concurrency = limit.getLimit();
            round(limit, concurrency, rttAtConcurrency.applyAsLong(concurrency), concurrency, false);
        }
    }

    /** A service of {@code slots} that each serve one request in {@code base}; the rest queue. */
    private static java.util.function.IntToLongFunction queueing(int slots, long base) {
        return concurrency -> base * Math.max(1, (concurrency + slots - 1) / slots);
    }

    @Test
    void startsAtTheInitialLimitAndTakesTheMedianOfItsFirstFiftyAnswersForTheMinRtt() {
        EnvoyGradientLimit limit = limit(20, 3, 200);
        assertThat(limit.getLimit()).isEqualTo(20);
        assertThat(limit.measuring()).isTrue();
        for (int i = 0; i < 24; i++) {
            round(limit, 1, 10 * MS, 20, false);
            round(limit, 1, 30 * MS, 20, false);
        }
        round(limit, 1, 5 * MS, 20, true); // a drop counts towards the fifty, not in the median
        assertThat(limit.measuring()).isTrue();
        round(limit, 1, 20 * MS, 20, false);

        assertThat(limit.measuring()).isFalse();
        assertThat(limit.minRtt()).isEqualTo(20 * MS);
        assertThat(limit.getLimit()).isEqualTo(20);
    }

    @Test
    void aLastingQueueKeepsTheLimitNearTheServicesCapacityWhereGradient2DriftsToItsMax() {
        // A quick service, then one of 4 slots of 100 ms each (40 calls a second) for a minute.
        EnvoyGradientLimit envoy = limit(20, 3, 200);
        busy(envoy, Duration.ofSeconds(5), concurrency -> 10 * MS);
        assertThat(envoy.getLimit()).isEqualTo(200);
        busy(envoy, Duration.ofSeconds(30), queueing(4, 100 * MS));
        assertThat(envoy.minRtt()).as("measured again once stuck at the floor").isEqualTo(100 * MS);
        int lowest = Integer.MAX_VALUE;
        int highest = 0;
        for (int i = 0; i < 300; i++) {
            busy(envoy, Duration.ofMillis(100), queueing(4, 100 * MS));
            lowest = Math.min(lowest, envoy.getLimit());
            highest = Math.max(highest, envoy.getLimit());
        }
        assertThat(lowest).isGreaterThanOrEqualTo(3);
        assertThat(highest).as("at most twice the 4 slots: an attempt waits at most one service time")
                .isLessThanOrEqualTo(8);

        Limit gradient2 = AdaptiveConcurrencyLimiter.algorithm(AdaptiveConcurrencyPolicy.builder()
                .algorithm(AdaptiveConcurrencyPolicy.Algorithm.GRADIENT2).initialLimit(20).minLimit(3).maxLimit(200)
                .build());
        busy(gradient2, Duration.ofSeconds(5), concurrency -> 10 * MS);
        busy(gradient2, Duration.ofSeconds(60), queueing(4, 100 * MS));
        assertThat(gradient2.getLimit()).as("its long-term average takes the queue for normal").isGreaterThan(100);
    }

    @Test
    void stuckAtTheMinLimitForFiveWindowsItMeasuresTheMinRttAgainAndFollowsTheSlowerService() {
        EnvoyGradientLimit limit = limit(20, 3, 200);
        busy(limit, Duration.ofSeconds(2), concurrency -> 2 * MS);
        assertThat(limit.minRtt()).isEqualTo(2 * MS);

        // The service now takes 100 ms however few calls it is given: far over 1.25 x the min RTT.
        for (int i = 0; i < 200 && !limit.measuring(); i++) {
            round(limit, limit.getLimit(), 100 * MS, limit.getLimit(), false);
        }
        assertThat(limit.measuring()).isTrue();
        assertThat(limit.getLimit()).isEqualTo(3);

        busy(limit, Duration.ofSeconds(3), concurrency -> 100 * MS);
        assertThat(limit.measuring()).isFalse();
        assertThat(limit.minRtt()).isEqualTo(100 * MS);
        assertThat(limit.getLimit()).as("no queue at the new min RTT: it grows again").isGreaterThan(20);
    }

    @Test
    void aDroppedAttemptShrinksTheLimitThoughItEndedWithinTheBufferedMinRtt() {
        EnvoyGradientLimit limit = limit(40, 3, 200);
        round(limit, 50, 100 * MS, 40, false);
        assertThat(limit.minRtt()).isEqualTo(100 * MS);

        round(limit, 40, 110 * MS, 40, false);
        assertThat(limit.getLimit()).as("110 ms answers are within 25 % of the min RTT").isGreaterThan(40);
        int before = limit.getLimit();
        round(limit, before, 110 * MS, before, true);
        assertThat(limit.getLimit()).as("110 ms timeouts are not").isLessThan(before);
    }

    @Test
    void attemptsStartedBeforeTheLimitLastChangedDoNotMoveItAgain() {
        EnvoyGradientLimit limit = limit(40, 3, 200);
        round(limit, 50, 10 * MS, 40, false);
        long before = time.nanoTime();
        round(limit, 40, 100 * MS, 40, false);
        int shrunk = limit.getLimit();
        assertThat(shrunk).isLessThan(40);

        // Slow attempts that were already in flight under the old limit end in the next windows.
        for (int i = 0; i < 10; i++) {
            limit.onSample(before, time.nanoTime() - before, 40, false);
            time.advance(Duration.ofMillis(100));
        }
        assertThat(limit.getLimit()).isEqualTo(shrunk);
    }

    @Test
    void aWindowWaitsForARoundOfTheCallsInFlightToRaiseTheLimitButNotToLowerIt() {
        EnvoyGradientLimit limit = limit(40, 3, 200);
        round(limit, 50, 10 * MS, 40, false);
        time.advance(Duration.ofMillis(100));
        for (int i = 0; i < 19; i++) {
            round(limit, 1, 10 * MS, 40, false);
        }
        assertThat(limit.getLimit()).as("19 quick attempts of 40 in flight").isEqualTo(40);
        round(limit, 1, 10 * MS, 40, false);
        int raised = limit.getLimit();
        assertThat(raised).as("20 of them").isGreaterThan(40);

        time.advance(Duration.ofMillis(100));
        round(limit, 1, 100 * MS, raised, false);
        assertThat(limit.getLimit()).as("the first slow one").isLessThan(raised);
    }

    @Test
    void aLimitTheCallerUsesLessThanHalfOfDoesNotMove() {
        EnvoyGradientLimit limit = limit(20, 3, 200);
        round(limit, 50, 10 * MS, 5, false);
        for (int i = 0; i < 50; i++) {
            round(limit, 20, 10 * MS, 9, false); // no queue: it would grow
        }
        assertThat(limit.getLimit()).isEqualTo(20);
        for (int i = 0; i < 5; i++) {
            round(limit, 20, 40 * MS, 9, false); // a queue: it would shrink
        }
        assertThat(limit.getLimit()).isEqualTo(20);

        for (int i = 0; i < 30; i++) {
            round(limit, 20, 10 * MS, 10, false); // half of it, no queue (after the window of the queue)
        }
        assertThat(limit.getLimit()).isGreaterThan(20);
    }

    @Test
    void aMillisecondOrTwoOverTheMinRttOfAQuickServiceIsNoQueue() {
        EnvoyGradientLimit limit = limit(20, 3, 200);
        round(limit, 50, MS, 20, false);
        for (int i = 0; i < 50; i++) {
            round(limit, 20, 3 * MS, 20, false);
        }
        assertThat(limit.getLimit()).as("3 ms is within 1 ms + 2 ms").isGreaterThan(20);

        int before = limit.getLimit();
        for (int i = 0; i < 100; i++) {
            round(limit, before, 4 * MS, before, false);
        }
        assertThat(limit.getLimit()).as("4 ms is not").isLessThan(before);
    }

    /**
     * Rounds of 15 quick calls until the limit measures its min RTT again (at most the interval, its
     * jitter and a little more).
     *
     * @return the limit just before the measurement began
     */
    private int untilItMeasuresAgain(EnvoyGradientLimit limit) {
        long latest = time.nanoTime() + (long) (EnvoyGradientLimit.MIN_RTT_INTERVAL_NANOS * (1 + EnvoyGradientLimit.JITTER));
        int before = limit.getLimit();
        while (!limit.measuring() && time.nanoTime() <= latest + 200 * MS) {
            before = limit.getLimit();
            round(limit, 15, 10 * MS, 15, false);
        }
        return before;
    }

    @Test
    void measuresTheMinRttAgainAtTheMinLimitWithinTheIntervalAndItsJitter() {
        EnvoyGradientLimit limit = limit(20, 3, 200);
        round(limit, 50, 10 * MS, 20, false);
        long measured = time.nanoTime();
        untilItMeasuresAgain(limit);
        assertThat(limit.measuring()).isTrue();
        assertThat(time.nanoTime() - measured).isGreaterThanOrEqualTo(EnvoyGradientLimit.MIN_RTT_INTERVAL_NANOS);
        assertThat(limit.getLimit()).isEqualTo(3);

        round(limit, 50, 10 * MS, 3, false);
        assertThat(limit.measuring()).isFalse();
        assertThat(limit.getLimit()).as("back to the limit it had").isGreaterThan(3);
    }

    @Test
    void aMeasurementInWhichEveryAttemptDroppedDoesNotRestoreTheLimitItHadBefore() {
        EnvoyGradientLimit limit = limit(20, 3, 200);
        round(limit, 50, 10 * MS, 20, false);
        int before = untilItMeasuresAgain(limit);
        assertThat(limit.measuring()).isTrue();
        assertThat(before).as("the limit before the measurement").isGreaterThan(6);

        round(limit, 50, 300 * MS, 3, true); // the service times out on every attempt of the measurement

        assertThat(limit.measuring()).isFalse();
        assertThat(limit.minRtt()).as("kept from before").isEqualTo(10 * MS);
        assertThat(limit.getLimit()).as("twice the min limit, not the limit from before").isEqualTo(6);
    }
}
