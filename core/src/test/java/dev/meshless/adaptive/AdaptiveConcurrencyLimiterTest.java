package dev.meshless.adaptive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.outcome.Outcome;
import dev.meshless.testing.FakeTime;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The limit's admission and how attempts teach it, with latencies given in nanoseconds (no clock runs). */
class AdaptiveConcurrencyLimiterTest {

    private static final long MS = 1_000_000L;

    private static AdaptiveConcurrencyLimiter limiter(AdaptiveConcurrencyPolicy.Builder b) {
        return AdaptiveConcurrencyLimiter.of("inventory", b.enabled(true).build());
    }

    /** Keeps the limiter busy (Netflix's limits do not move while the caller uses under half) and feeds samples. */
    private static void samples(AdaptiveConcurrencyLimiter limiter, int count, long latencyNanos) {
        for (int i = 0; i < count; i++) {
            int held = 0;
            while (limiter.inFlight() < limiter.limit() && limiter.tryAcquire()) {
                held++;
            }
            limiter.onAttempt(Outcome.success(), false, 0, latencyNanos, limiter.inFlight());
            for (int j = 0; j < held; j++) {
                limiter.release();
            }
        }
    }

    @Test
    void gradient2LowersTheLimitWhenLatencyRisesAndRaisesItAgainWhenLatencyFalls() {
        AdaptiveConcurrencyLimiter limiter = limiter(AdaptiveConcurrencyPolicy.builder().initialLimit(50)
                .minLimit(5).maxLimit(100));
        samples(limiter, 50, 10 * MS);
        int steady = limiter.limit();
        assertThat(steady).as("flat latency lets it grow").isGreaterThanOrEqualTo(50);

        samples(limiter, 30, 100 * MS);
        int slow = limiter.limit();
        assertThat(slow).as("ten times the latency").isLessThan(steady / 2).isGreaterThanOrEqualTo(5);

        samples(limiter, 200, 10 * MS);
        assertThat(limiter.limit()).as("latency back to normal").isGreaterThan(slow * 2);
    }

    @Test
    void gradient2NeverGoesBelowTheMinLimit() {
        AdaptiveConcurrencyLimiter limiter = limiter(AdaptiveConcurrencyPolicy.builder().initialLimit(50)
                .minLimit(15).maxLimit(100));
        samples(limiter, 20, 10 * MS);
        int lowest = Integer.MAX_VALUE;
        for (int i = 0; i < 100; i++) {
            samples(limiter, 1, 1000 * MS);
            lowest = Math.min(lowest, limiter.limit());
        }
        // Gradient2's long-term average latency catches up with a lasting slowdown, and the limit
        // then grows again; on the way down it stops at the floor (its own fixed point, with a
        // growth of 4 per sample and a halving at worst, is 8).
        assertThat(lowest).isEqualTo(15);
    }

    @Test
    void vegasShrinksOnADroppedCallButNotBelowTheMinLimit() {
        AdaptiveConcurrencyLimiter limiter = limiter(AdaptiveConcurrencyPolicy.builder()
                .algorithm(AdaptiveConcurrencyPolicy.Algorithm.VEGAS).initialLimit(10).minLimit(8).maxLimit(100));
        limiter.onAttempt(Outcome.success(), false, 0, 10 * MS, 10); // the first sample sets the no-load latency
        Outcome timeout = Outcome.endpointFailure("timed out after 100 ms", true);
        limiter.onAttempt(timeout, true, 0, 100 * MS, 10);
        assertThat(limiter.limit()).isEqualTo(9);
        for (int i = 0; i < 10; i++) {
            limiter.onAttempt(timeout, true, 0, 100 * MS, 10);
        }
        assertThat(limiter.limit()).isEqualTo(8);
    }

    @Test
    void attemptsThatNeverReachedTheServiceTeachNothing() {
        assertThat(AdaptiveConcurrencyLimiter.sampleOf(Outcome.success(), false))
                .isEqualTo(AdaptiveConcurrencyLimiter.SAMPLED);
        assertThat(AdaptiveConcurrencyLimiter.sampleOf(Outcome.callerError("HTTP 404").withHttpStatus(404), true))
                .as("a 4xx is an answer").isEqualTo(AdaptiveConcurrencyLimiter.SAMPLED);
        assertThat(AdaptiveConcurrencyLimiter.sampleOf(Outcome.callerError("IllegalArgumentException"), true))
                .as("the caller's own exception").isEqualTo(AdaptiveConcurrencyLimiter.IGNORED);
        assertThat(AdaptiveConcurrencyLimiter.sampleOf(Outcome.connectionRefused("refused"), true))
                .isEqualTo(AdaptiveConcurrencyLimiter.IGNORED);
        assertThat(AdaptiveConcurrencyLimiter.sampleOf(Outcome.endpointFailure("timed out", true), true))
                .isEqualTo(AdaptiveConcurrencyLimiter.DROPPED);
        assertThat(AdaptiveConcurrencyLimiter.sampleOf(Outcome.gatewayFailure("HTTP 503").withHttpStatus(503), false))
                .isEqualTo(AdaptiveConcurrencyLimiter.DROPPED);
        assertThat(AdaptiveConcurrencyLimiter.sampleOf(Outcome.overloaded("HTTP 429", Duration.ofSeconds(1)), false))
                .isEqualTo(AdaptiveConcurrencyLimiter.DROPPED);

        AdaptiveConcurrencyLimiter limiter = limiter(AdaptiveConcurrencyPolicy.builder().initialLimit(10));
        samples(limiter, 5, 10 * MS);
        int before = limiter.limit();
        for (int i = 0; i < 50; i++) {
            limiter.onAttempt(Outcome.connectionRefused("refused"), true, 0, 1, 10);
        }
        assertThat(limiter.limit()).isEqualTo(before);
    }

    @Test
    void aCallBeyondTheLimitIsRefusedWithTheServiceTheLimitAndTheCallsInFlight() {
        AdaptiveConcurrencyLimiter limiter = limiter(AdaptiveConcurrencyPolicy.builder().initialLimit(2).minLimit(1));
        assertThat(limiter.tryAcquire()).isTrue();
        limiter.acquire(Duration.ZERO);

        assertThat(limiter.tryAcquire()).isFalse();
        assertThatThrownBy(() -> limiter.acquire(Duration.ZERO))
                .isInstanceOfSatisfying(ConcurrencyLimitExceededException.class, e -> {
                    assertThat(e.service()).isEqualTo("inventory");
                    assertThat(e.limit()).isEqualTo(2);
                    assertThat(e.inFlight()).isEqualTo(2);
                    assertThat(e.getStackTrace()).isEmpty();
                })
                .hasMessage("Adaptive concurrency limit of service 'inventory' reached: 2 call(s) in flight, limit 2");
        assertThat(limiter.rejected()).isEqualTo(2);

        limiter.release();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.inFlight()).isEqualTo(2);
    }

    /**
     * Runs a blocking call on a thread of its own: the common pool may have a single thread on a
     * 2-core machine, busy with something else, and then the call would never start.
     */
    private static <T> CompletableFuture<T> onItsOwnThread(java.util.function.Supplier<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(call.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }, "blocking-caller");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    @Test
    void aBlockingCallWaitsForASlotThatComesFreeWithinItsMaxWait() throws Exception {
        AdaptiveConcurrencyLimiter limiter = limiter(AdaptiveConcurrencyPolicy.builder().initialLimit(1).minLimit(1));
        limiter.acquire(Duration.ZERO);

        CompletableFuture<Boolean> waiter = onItsOwnThread(() -> limiter.acquire(Duration.ofMinutes(1)));
        long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (limiter.waiting() == 0 && System.nanoTime() < bound) {
            Thread.onSpinWait(); // until it waits in line for the slot (a volatile read)
        }
        assertThat(limiter.waiting()).isEqualTo(1);
        assertThat(waiter).isNotDone();
        limiter.release();

        waiter.get(30, TimeUnit.SECONDS);
        assertThat(limiter.inFlight()).isEqualTo(1);
        assertThat(limiter.rejected()).isZero();
    }

    @Test
    void aBlockingCallIsRefusedWhenNoSlotComesFreeWithinItsMaxWait() {
        AdaptiveConcurrencyLimiter limiter = limiter(AdaptiveConcurrencyPolicy.builder().initialLimit(1).minLimit(1));
        limiter.acquire(Duration.ZERO);

        assertThatThrownBy(() -> limiter.acquire(Duration.ofMillis(20)))
                .isInstanceOf(ConcurrencyLimitExceededException.class)
                .hasMessageEndingWith("limit 1, after waiting 20ms for a slot");
        assertThat(limiter.inFlight()).isEqualTo(1);
    }

    @Test
    void blockingAndAsynchronousCallsWaitInOneLineInOrderOfArrival() throws Exception {
        FakeTime time = new FakeTime();
        AdaptiveConcurrencyLimiter limiter = limiter(AdaptiveConcurrencyPolicy.builder().initialLimit(1).minLimit(1));
        limiter.acquire(Duration.ZERO);
        CompletableFuture<Boolean> blocking = onItsOwnThread(() -> limiter.acquire(Duration.ofMinutes(1)));
        long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (limiter.waiting() == 0 && System.nanoTime() < bound) {
            Thread.onSpinWait(); // until the blocking call is in line
        }
        CompletableFuture<Duration> async = limiter.acquireAsync(Duration.ofMinutes(1), time);
        assertThat(limiter.waiting()).isEqualTo(2);

        limiter.release();
        assertThat(blocking.get(30, TimeUnit.SECONDS)).as("it waited").isTrue();
        assertThat(async).as("behind the older blocking call").isNotDone();
        limiter.release();
        assertThat(async).isCompletedWithValue(Duration.ZERO);
        limiter.release();
        assertThat(limiter.inFlight()).isZero();
        assertThat(time.pendingTimers()).as("its max-wait timer went with it").isZero();
    }

    @Test
    void aSlotHandedToAnAsynchronousCallThatJustGaveUpGoesBack() {
        FakeTime time = new FakeTime();
        AdaptiveConcurrencyLimiter limiter = limiter(AdaptiveConcurrencyPolicy.builder().initialLimit(1).minLimit(1));
        assertThat(limiter.tryAcquire()).isTrue();
        CompletableFuture<Duration> slot = limiter.acquireAsync(Duration.ofMinutes(1), time);
        // The holder lets its slot go as the waiter gives up; registered last, this runs before the
        // limiter takes the waiter out of the line, so the slot is handed to a cancelled waiter.
        slot.whenComplete((waited, failure) -> limiter.release());

        slot.cancel(false);

        assertThat(limiter.inFlight()).isZero();
        assertThat(limiter.waiting()).isZero();
        assertThat(limiter.acquireAsync(Duration.ofMinutes(1), time)).as("taken at once").isNull();
        limiter.release();
    }

    @Test
    void anAsynchronousCallWithoutMaxWaitIsRefusedAtOnceAndAWaitingOneAfterMaxWait() {
        FakeTime time = new FakeTime();
        AdaptiveConcurrencyLimiter limiter = limiter(AdaptiveConcurrencyPolicy.builder().initialLimit(1).minLimit(1));
        assertThat(limiter.acquireAsync(Duration.ZERO, time)).isNull();

        assertThatThrownBy(() -> limiter.acquireAsync(Duration.ZERO, time))
                .isInstanceOf(ConcurrencyLimitExceededException.class);
        CompletableFuture<Duration> slot = limiter.acquireAsync(Duration.ofMillis(40), time);
        time.advance(Duration.ofMillis(40));

        assertThat(slot).isCompletedExceptionally();
        assertThatThrownBy(slot::join).cause().isInstanceOfSatisfying(ConcurrencyLimitExceededException.class,
                e -> assertThat(e.waited()).isEqualTo(Duration.ofMillis(40)));
        assertThat(limiter.rejected()).isEqualTo(2);
        assertThat(limiter.waiting()).isZero();
        limiter.release();
        assertThat(limiter.inFlight()).isZero();
    }
}
