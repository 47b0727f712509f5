package dev.meshless.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.adaptive.AdaptiveConcurrencyLimiter;
import dev.meshless.adaptive.AdaptiveConcurrencyPolicy;
import dev.meshless.adaptive.ConcurrencyLimitExceededException;
import dev.meshless.call.AdaptiveConcurrencyCallTest.Response;
import dev.meshless.balancer.Pick;
import dev.meshless.outcome.Outcome;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous calls beyond the adaptive concurrency limit wait, without a thread, up to
 * {@code maxWait} for a slot (on {@link FakeTime}): in order of arrival, starting when a slot is
 * released or the limit rises, refused after exactly {@code maxWait}, out of the line when
 * cancelled, and never leaking a slot.
 */
class AsyncConcurrencyWaitTest {

    private static final Duration MAX_WAIT = Duration.ofMillis(250);

    private final FakeTime time = new FakeTime();
    private final List<Long> attemptNanos = new ArrayList<>();
    private ServiceClient client;
    private AdaptiveConcurrencyLimiter limiter;

    private ServiceClient client(AdaptiveConcurrencyPolicy.Builder adaptive, CallPolicy.Builder policy) {
        client = AdaptiveConcurrencyCallTest.builder(time, adaptive, policy)
                .metrics(new CallMetrics() {
                    @Override
                    public void attempt(String service, Pick pick, Outcome outcome, long nanos) {
                        attemptNanos.add(nanos);
                    }
                })
                .build();
        limiter = client.concurrencyLimiter();
        return client;
    }

    /** A fixed limit (min = max) that waits up to {@link #MAX_WAIT}. */
    private ServiceClient client(int limit) {
        return client(AdaptiveConcurrencyPolicy.builder().initialLimit(limit).minLimit(limit).maxLimit(limit)
                .maxWait(MAX_WAIT), CallPolicy.builder());
    }

    /** @return the upstream's answer to the one call that holds the only slot of a limit of 1 */
    private CompletableFuture<Response> holdTheOnlySlot() {
        client(1);
        CompletableFuture<Response> held = new CompletableFuture<>();
        client.callAsync(a -> held);
        return held;
    }

    @AfterEach
    void everySlotIsGivenBack() {
        if (client != null) {
            assertThat(limiter.inFlight()).as("calls holding a slot").isZero();
            assertThat(limiter.waiting()).as("calls in line").isZero();
            assertThat(client.attemptsInFlight()).isZero();
            client.close();
        }
    }

    @Test
    void aCallBeyondTheLimitWaitsAndStartsWhenASlotIsReleasedWithItsDeadlineAndLatencyFromThen() throws Exception {
        client(AdaptiveConcurrencyPolicy.builder().initialLimit(1).minLimit(1).maxLimit(1)
                .maxWait(Duration.ofSeconds(30)), CallPolicy.builder().deadline(Duration.ofSeconds(10)));
        CompletableFuture<Response> held = new CompletableFuture<>();
        CompletableFuture<Response> first = client.callAsync(a -> held);
        List<Duration> secondTimeouts = new ArrayList<>();
        CompletableFuture<Response> second = client.callAsync(a -> {
            secondTimeouts.add(a.timeout());
            return CompletableFuture.completedFuture(new Response(a.number() == 1 ? 503 : 200));
        }, CallOptions.idempotent());

        assertThat(second).as("waiting, not refused").isNotDone();
        assertThat(secondTimeouts).as("not started").isEmpty();
        assertThat(limiter.waiting()).isEqualTo(1);
        time.advance(Duration.ofSeconds(8)); // the first call takes 8 s; the second waits as long

        held.complete(new Response(200));

        assertThat(first).isCompletedWithValue(new Response(200));
        time.advance(Duration.ofSeconds(1)); // the retry's backoff
        assertThat(second).isCompletedWithValue(new Response(200));
        assertThat(limiter.rejected()).isZero();
        assertThat(attemptNanos).as("its first attempt's latency leaves the 8 s wait out")
                .containsExactly(Duration.ofSeconds(8).toNanos(), 0L, 0L);
        assertThat(secondTimeouts).hasSize(2);
        assertThat(secondTimeouts.get(1)).as("its 10 s deadline started when it got its slot, not 8 s earlier")
                .isGreaterThan(Duration.ofSeconds(8));
    }

    @Test
    void waitingCallsAreServedInOrderOfArrivalAndANewcomerQueuesBehindThem() {
        client(1);
        List<CompletableFuture<Response>> upstream = new ArrayList<>();
        List<String> started = new ArrayList<>();
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        for (String name : List.of("holder", "w1", "w2", "w3")) {
            calls.add(client.callAsync(a -> {
                started.add(name);
                CompletableFuture<Response> answer = new CompletableFuture<>();
                upstream.add(answer);
                return answer;
            }));
        }
        assertThat(started).containsExactly("holder");
        assertThat(limiter.waiting()).isEqualTo(3);

        upstream.get(0).complete(new Response(200));
        assertThat(started).containsExactly("holder", "w1");
        CompletableFuture<Response> newcomer = client.callAsync(a -> {
            started.add("newcomer");
            return CompletableFuture.completedFuture(new Response(200));
        });
        upstream.get(1).complete(new Response(200));
        upstream.get(2).complete(new Response(200));
        upstream.get(3).complete(new Response(200));

        assertThat(started).as("a freed slot goes to the oldest waiter, never to a newcomer")
                .containsExactly("holder", "w1", "w2", "w3", "newcomer");
        assertThat(calls).allSatisfy(c -> assertThat(c).isCompletedWithValue(new Response(200)));
        assertThat(newcomer).isCompletedWithValue(new Response(200));
    }

    @Test
    void aWaitingCallIsRefusedAfterExactlyMaxWaitSayingHowLongItWaited() {
        CompletableFuture<Response> held = holdTheOnlySlot();
        List<Integer> functionCalls = new ArrayList<>();
        CompletableFuture<Response> waiting = client.callAsync(a -> {
            functionCalls.add(a.number());
            return CompletableFuture.completedFuture(new Response(200));
        });

        time.advance(MAX_WAIT.minusNanos(1));
        assertThat(waiting).isNotDone();
        time.advance(Duration.ofNanos(1));

        assertThat(waiting).isCompletedExceptionally();
        assertThatThrownBy(waiting::get).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOfSatisfying(ConcurrencyLimitExceededException.class, e -> {
                    assertThat(e.service()).isEqualTo(TestEndpoints.SERVICE);
                    assertThat(e.limit()).isEqualTo(1);
                    assertThat(e.inFlight()).isEqualTo(1);
                    assertThat(e.waited()).isEqualTo(MAX_WAIT);
                })
                .hasMessage("Adaptive concurrency limit of service 'inventory' reached: 1 call(s) in flight, limit 1,"
                        + " after waiting 250ms for a slot");
        assertThat(functionCalls).isEmpty();
        assertThat(limiter.rejected()).isEqualTo(1);
        assertThat(limiter.waiting()).isZero();
        held.complete(new Response(200));
    }

    @Test
    void withZeroMaxWaitACallBeyondTheLimitIsRefusedAtOnce() {
        client(AdaptiveConcurrencyPolicy.builder().initialLimit(2).minLimit(2).maxLimit(2), CallPolicy.builder());
        CompletableFuture<Response> upstream = new CompletableFuture<>();
        client.callAsync(a -> upstream);
        client.callAsync(a -> upstream);

        CompletableFuture<Response> third = client.callAsync(a -> upstream);

        assertThat(third).isCompletedExceptionally();
        assertThatThrownBy(third::get).cause().isInstanceOf(ConcurrencyLimitExceededException.class)
                .hasMessage("Adaptive concurrency limit of service 'inventory' reached: 2 call(s) in flight, limit 2");
        assertThat(limiter.waiting()).isZero();
        upstream.complete(new Response(200));
    }

    @Test
    void aCallCancelledWhileWaitingLeavesTheLineAndItsTimer() {
        client(1);
        int timersBefore = time.pendingTimers();
        CompletableFuture<Response> held = new CompletableFuture<>();
        client.callAsync(a -> held);
        int timersWithHolder = time.pendingTimers();
        List<String> started = new ArrayList<>();
        CompletableFuture<Response> cancelled = client.callAsync(a -> {
            started.add("cancelled");
            return CompletableFuture.completedFuture(new Response(200));
        });
        CompletableFuture<Response> next = client.callAsync(a -> {
            started.add("next");
            return CompletableFuture.completedFuture(new Response(200));
        });
        assertThat(limiter.waiting()).isEqualTo(2);

        cancelled.cancel(true);

        assertThat(limiter.waiting()).isEqualTo(1);
        assertThat(time.pendingTimers()).as("its max-wait timer is cancelled").isEqualTo(timersWithHolder + 1);
        held.complete(new Response(200));
        assertThat(started).containsExactly("next");
        assertThat(next).isCompletedWithValue(new Response(200));
        assertThat(limiter.rejected()).as("the caller gave up; the limit refused nothing").isZero();
        assertThat(time.pendingTimers()).isEqualTo(timersBefore);
    }

    @Test
    void aSlotHandedToACallCancelledAtThatMomentGoesBack() {
        client(1);
        CompletableFuture<Response> held = new CompletableFuture<>();
        CompletableFuture<Response> holder = client.callAsync(a -> held);
        List<String> started = new ArrayList<>();
        CompletableFuture<Response> waiting = client.callAsync(a -> {
            started.add("waiting");
            return new CompletableFuture<>();
        });
        // The caller's own reaction to the cancel runs before the call's (a CompletableFuture runs the
        // last registered first) and frees the slot while the call still stands in line, so the slot is
        // handed to a call whose answer is already cancelled.
        waiting.whenComplete((value, failure) -> held.complete(new Response(200)));

        waiting.cancel(true);

        assertThat(holder).isCompletedWithValue(new Response(200));
        assertThat(started).as("a cancelled call never starts").isEmpty();
        assertThat(limiter.inFlight()).as("the slot went back").isZero();
        CompletableFuture<Response> after = client.callAsync(a -> CompletableFuture.completedFuture(new Response(200)));
        assertThat(after).isCompletedWithValue(new Response(200));
    }

    @Test
    void aHigherLimitStartsWaitingCalls() {
        client(AdaptiveConcurrencyPolicy.builder().initialLimit(2).minLimit(1).maxLimit(20).maxWait(MAX_WAIT),
                CallPolicy.builder().maxAttempts(1));
        List<CompletableFuture<Response>> upstream = new ArrayList<>();
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(client.callAsync(a -> {
                CompletableFuture<Response> answer = new CompletableFuture<>();
                upstream.add(answer);
                return answer;
            }));
        }
        assertThat(upstream).hasSize(2);
        assertThat(limiter.waiting()).isEqualTo(4);

        // Fast, flat answers while the limit is fully used: Gradient2 grows the limit, and each
        // growth hands slots to the waiters at once (answered calls' slots go to them as well).
        int answered = 0;
        for (int i = 0; i < 100 && limiter.waiting() > 0; i++) {
            time.advance(Duration.ofMillis(10));
            upstream.get(answered++).complete(new Response(200));
        }

        assertThat(limiter.waiting()).isZero();
        assertThat(limiter.limit()).as("the limit rose").isGreaterThan(2);
        assertThat(answered).as("more started than the answers freed").isLessThan(4);
        assertThat(upstream).hasSize(6);
        upstream.forEach(u -> u.complete(new Response(200)));
        assertThat(calls).allSatisfy(c -> assertThat(c).isCompletedWithValue(new Response(200)));
    }

    @Test
    void manyWaitersThatFailAtOnceAreStartedWithoutGrowingTheStack() {
        CompletableFuture<Response> held = holdTheOnlySlot();
        int waiters = 300; // enough to tell, few enough that a recursion would not overflow the stack
        int[] depth = {Integer.MAX_VALUE, 0};
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            calls.add(client.callAsync(a -> {
                int frames = Thread.currentThread().getStackTrace().length;
                depth[0] = Math.min(depth[0], frames);
                depth[1] = Math.max(depth[1], frames);
                throw new IllegalStateException("the function's own bug"); // ends the call at once
            }));
        }
        assertThat(limiter.waiting()).isEqualTo(waiters);

        held.complete(new Response(200)); // one release, which serves the whole line

        assertThat(calls).allSatisfy(c -> assertThat(c).isCompletedExceptionally());
        assertThat(depth[1] - depth[0]).as("each call starts from the drain's loop, not from the last one's release")
                .isLessThan(10);
    }

    @Test
    void aCallTheServiceBreakerRefusesAfterItsWaitGivesItsSlotBack() {
        CompletableFuture<Response> held = holdTheOnlySlot();
        CompletableFuture<Response> waiting = client.callAsync(a -> CompletableFuture.completedFuture(new Response(200)));
        client.serviceBreaker().transitionToOpenState();

        held.complete(new Response(200));

        assertThat(waiting).isCompletedExceptionally();
        assertThatThrownBy(waiting::get).cause().isInstanceOfSatisfying(ServiceCallException.class,
                e -> assertThat(e.reason()).isEqualTo(ServiceCallException.Reason.CIRCUIT_OPEN));
        assertThat(limiter.inFlight()).isZero();
        client.serviceBreaker().transitionToClosedState();
    }

    @Test
    void theCallerCancellingItsFutureIsNotARefusal() {
        CompletableFuture<Response> held = holdTheOnlySlot();
        CompletableFuture<Response> waiting = client.callAsync(a -> CompletableFuture.completedFuture(new Response(200)));

        waiting.cancel(false);
        time.advance(MAX_WAIT);

        assertThat(waiting).isCancelled();
        assertThatThrownBy(waiting::get).isInstanceOf(CancellationException.class);
        assertThat(limiter.rejected()).isZero();
        held.complete(new Response(200));
    }
}
