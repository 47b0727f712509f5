package dev.meshless.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Counting fast successes instead of recording each must never change what the breaker decides:
 * the same outcomes, recorded directly into one breaker and through a {@link BreakerRecorder} into
 * another, give the same state after every outcome and the same metrics after a flush.
 */
class BreakerRecorderTest {

    private static final long FAST = Duration.ofMillis(5).toNanos();
    private static final long SLOW = Duration.ofSeconds(3).toNanos();
    private static final RuntimeException FAILURE = new RuntimeException("failed");

    enum Step { FAST_SUCCESS, SLOW_SUCCESS, FAILURE, FLUSH, HALF_OPEN }

    private static CircuitBreakerConfig config() {
        return CircuitBreakerConfig.custom()
                .slidingWindow(20, 10, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(50)
                .slowCallDurationThreshold(Duration.ofSeconds(2))
                .slowCallRateThreshold(80)
                .permittedNumberOfCallsInHalfOpenState(5)
                .build();
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        // Mostly successes, as in life, with failures in bursts often enough to open the breaker.
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(60, Arbitraries.just(Step.FAST_SUCCESS)),
                net.jqwik.api.Tuple.of(8, Arbitraries.just(Step.SLOW_SUCCESS)),
                net.jqwik.api.Tuple.of(25, Arbitraries.just(Step.FAILURE)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Step.FLUSH)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Step.HALF_OPEN))).list().ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 300)
    void countingSuccessesNeverChangesADecision(@ForAll("steps") List<Step> steps) {
        CircuitBreaker direct = CircuitBreaker.of("direct", config());
        CircuitBreaker counted = CircuitBreaker.of("counted", config());
        BreakerRecorder recorder = BreakerRecorder.of(counted);

        for (Step step : steps) {
            boolean permitted = direct.tryAcquirePermission();
            assertThat(counted.tryAcquirePermission()).isEqualTo(permitted);
            switch (step) {
                case FAST_SUCCESS -> {
                    if (permitted) {
                        direct.onSuccess(FAST, TimeUnit.NANOSECONDS);
                        recorder.onSuccess(FAST);
                    }
                }
                case SLOW_SUCCESS -> {
                    if (permitted) {
                        direct.onSuccess(SLOW, TimeUnit.NANOSECONDS);
                        recorder.onSuccess(SLOW);
                    }
                }
                case FAILURE -> {
                    if (permitted) {
                        direct.onError(FAST, TimeUnit.NANOSECONDS, FAILURE);
                        recorder.onError(FAST, FAILURE);
                    }
                }
                case FLUSH -> {
                    releaseIf(permitted, direct, recorder);
                    recorder.flush();
                }
                case HALF_OPEN -> {
                    releaseIf(permitted, direct, recorder);
                    if (direct.getState() == CircuitBreaker.State.OPEN) {
                        direct.transitionToHalfOpenState();
                        counted.transitionToHalfOpenState();
                    }
                }
            }
            assertThat(counted.getState()).as("state after %s", step).isEqualTo(direct.getState());
        }
        recorder.flush();
        assertThat(counted.getMetrics().getNumberOfBufferedCalls()).isEqualTo(direct.getMetrics().getNumberOfBufferedCalls());
        assertThat(counted.getMetrics().getNumberOfFailedCalls()).isEqualTo(direct.getMetrics().getNumberOfFailedCalls());
        assertThat(counted.getMetrics().getNumberOfSlowCalls()).isEqualTo(direct.getMetrics().getNumberOfSlowCalls());
        assertThat(counted.getMetrics().getFailureRate()).isEqualTo(direct.getMetrics().getFailureRate());
        assertThat(counted.getMetrics().getSlowCallRate()).isEqualTo(direct.getMetrics().getSlowCallRate());
    }

    private static void releaseIf(boolean permitted, CircuitBreaker direct, BreakerRecorder recorder) {
        if (permitted) {
            direct.releasePermission();
            recorder.releasePermission();
        }
    }

    @Test
    void fastSuccessesAreCountedOnlyOnceTheBreakerIsJudging() {
        CircuitBreaker breaker = CircuitBreaker.of("zone", config());
        BreakerRecorder recorder = BreakerRecorder.of(breaker);

        for (int i = 0; i < 10; i++) {
            recorder.onSuccess(FAST);
        }
        assertThat(recorder.pendingSuccesses()).as("the first 10 fill the minimum").isZero();
        assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).isEqualTo(10);

        for (int i = 0; i < 50; i++) {
            recorder.onSuccess(FAST);
        }
        assertThat(recorder.pendingSuccesses()).as("counting stops at the window size").isEqualTo(20);
        assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).as("nothing recorded yet").isEqualTo(10);
        recorder.flush();
        assertThat(recorder.pendingSuccesses()).isZero();
        assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).as("a full window").isEqualTo(20);
    }

    @Test
    void successesCountedInAWindowTheBreakerHasLeftAreDropped() {
        CircuitBreaker breaker = CircuitBreaker.of("zone", config());
        BreakerRecorder recorder = BreakerRecorder.of(breaker);
        for (int i = 0; i < 15; i++) {
            recorder.onSuccess(FAST);
        }
        assertThat(recorder.pendingSuccesses()).isEqualTo(5);

        breaker.transitionToOpenState();
        breaker.transitionToHalfOpenState();
        recorder.flush();

        assertThat(recorder.pendingSuccesses()).isZero();
        assertThat(breaker.getMetrics().getNumberOfBufferedCalls())
                .as("the half-open window starts empty, not with the closed window's successes").isZero();
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void clientsSharingABreakerShareItsRecorderSoOutcomesStayInOrder() {
        CircuitBreaker breaker = CircuitBreaker.of("zone", config());
        BreakerRecorder first = BreakerRecorder.of(breaker);
        BreakerRecorder second = BreakerRecorder.of(breaker);
        for (int i = 0; i < 15; i++) {
            first.onSuccess(FAST);
        }

        second.onError(FAST, FAILURE);

        assertThat(second).isSameAs(first);
        assertThat(breaker.getMetrics().getNumberOfBufferedCalls())
                .as("the 5 counted successes went in before the failure").isEqualTo(16);
        assertThat(BreakerRecorder.of(CircuitBreaker.of("zone", config()))).isNotSameAs(first);
    }

    @Test
    void aFailureWaitsForSuccessesBeingHandedOverBeforeIt() throws InterruptedException {
        CircuitBreaker breaker = CircuitBreaker.of("zone", config());
        BreakerRecorder recorder = BreakerRecorder.of(breaker);
        for (int i = 0; i < 15; i++) {
            recorder.onSuccess(FAST);
        }
        assertThat(recorder.pendingSuccesses()).isEqualTo(5);
        List<String> order = new CopyOnWriteArrayList<>();
        Thread[] failing = new Thread[1];
        breaker.getEventPublisher().onEvent(event -> {
            order.add(event.getEventType().name());
            if (failing[0] == null) {
                // In the middle of the hand-over, another thread reports a failure.
                failing[0] = new Thread(() -> recorder.onError(FAST, FAILURE));
                failing[0].start();
                awaitBlockedOrDone(failing[0]);
            }
        });

        recorder.flush();
        failing[0].join(5_000);

        assertThat(order).as("the failure came after the five successes it followed")
                .containsExactly("SUCCESS", "SUCCESS", "SUCCESS", "SUCCESS", "SUCCESS", "ERROR");
    }

    @Test
    void aHandOverStopsWhenTheBreakerLeavesTheWindowMidway() {
        CircuitBreaker breaker = CircuitBreaker.of("zone", config());
        BreakerRecorder recorder = BreakerRecorder.of(breaker);
        for (int i = 0; i < 15; i++) {
            recorder.onSuccess(FAST);
        }
        boolean[] moved = {false};
        breaker.getEventPublisher().onSuccess(event -> {
            if (!moved[0]) {
                moved[0] = true;
                breaker.transitionToOpenState();
                breaker.transitionToHalfOpenState();
            }
        });

        recorder.flush();

        // Resilience4j publishes the event before recording, so the success that moved the breaker
        // lands in the half-open window, as a call finishing at that moment would; the other four,
        // enough to close it with its five probes, must not.
        assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).isEqualTo(1);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    /** Waits, within a bound, until the thread is blocked on a lock or has finished. */
    private static void awaitBlockedOrDone(Thread thread) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (thread.getState() != Thread.State.BLOCKED && thread.getState() != Thread.State.TERMINATED) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the failing thread neither blocked nor finished: " + thread.getState());
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void everyOutcomeIsRecordedWhenSomeoneListensToTheBreakersEvents() {
        CircuitBreaker breaker = CircuitBreaker.of("zone", config());
        int[] events = {0};
        breaker.getEventPublisher().onSuccess(e -> events[0]++);
        BreakerRecorder recorder = BreakerRecorder.of(breaker);

        for (int i = 0; i < 30; i++) {
            recorder.onSuccess(FAST);
        }

        assertThat(recorder.pendingSuccesses()).isZero();
        assertThat(events[0]).isEqualTo(30);
    }

    @Test
    void aTimeBasedWindowIsRecordedCallByCall() {
        CircuitBreaker breaker = CircuitBreaker.of("zone", CircuitBreakerConfig.custom()
                .slidingWindow(10, 5, CircuitBreakerConfig.SlidingWindowType.TIME_BASED).build());
        BreakerRecorder recorder = BreakerRecorder.of(breaker);

        for (int i = 0; i < 30; i++) {
            recorder.onSuccess(FAST);
        }

        assertThat(recorder.pendingSuccesses()).isZero();
        assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(30);
    }
}
