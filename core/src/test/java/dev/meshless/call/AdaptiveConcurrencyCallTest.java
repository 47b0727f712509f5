package dev.meshless.call;

import static dev.meshless.testing.TestEndpoints.concat;
import static dev.meshless.testing.TestEndpoints.zone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.adaptive.AdaptiveConcurrencyLimiter;
import dev.meshless.adaptive.AdaptiveConcurrencyPolicy;
import dev.meshless.adaptive.ConcurrencyLimitExceededException;
import dev.meshless.outcome.OutcomeClassifier;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Adaptive concurrency on the call path: one slot per call, taken at admission and given back
 * however the call ends, sync and async; retries run in the call's slot; attempts teach the limit.
 */
class AdaptiveConcurrencyCallTest {

    /** A tiny HTTP-like answer, classified by status code. */
    record Response(int status) {
    }

    private static final OutcomeClassifier HTTP = OutcomeClassifier.forHttpResponses(Response.class,
            Response::status, r -> null);

    private final FakeTime time = new FakeTime();
    private ServiceClient client;
    private AdaptiveConcurrencyLimiter limiter;

    /** A client of two zones of two endpoints each, on {@code time}, classifying {@link Response}s, without jitter. */
    static ServiceClient.Builder builder(FakeTime time, AdaptiveConcurrencyPolicy.Builder adaptive,
                                         CallPolicy.Builder policy) {
        return ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 2, 0))))
                .caller(TestEndpoints.CALLER)
                .callPolicy(policy.adaptiveConcurrency(adaptive.enabled(true).build()).build())
                .classifier(HTTP)
                .timeSource(time)
                .jitter(() -> 0.0);
    }

    private ServiceClient client(AdaptiveConcurrencyPolicy.Builder adaptive, CallPolicy.Builder policy) {
        client = builder(time, adaptive, policy).build();
        limiter = client.concurrencyLimiter();
        return client;
    }

    private ServiceClient client(int limit) {
        return client(AdaptiveConcurrencyPolicy.builder().initialLimit(limit).minLimit(1).maxLimit(limit),
                CallPolicy.builder());
    }

    @AfterEach
    void everySlotIsGivenBack() {
        if (client != null) {
            assertThat(limiter.inFlight()).as("calls holding a slot").isZero();
            assertThat(client.attemptsInFlight()).isZero();
            client.close();
        }
    }

    @Test
    void isOffUnlessThePolicyTurnsItOn() {
        ServiceClient plain = ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(zone("r1", "r1-a", 1, 0))).timeSource(time).build();
        assertThat(plain.concurrencyLimiter()).isNull();
        plain.close();
    }

    @Test
    void aCallBeyondTheLimitFailsFastNamingTheServiceTheLimitAndTheCallsInFlight() {
        client(1);
        List<Throwable> nested = new ArrayList<>();

        Response r = client.call(a -> {
            assertThat(limiter.inFlight()).isEqualTo(1);
            try {
                client.call(inner -> new Response(200));
            } catch (ConcurrencyLimitExceededException e) {
                nested.add(e);
            }
            return new Response(200);
        });

        assertThat(r.status()).isEqualTo(200);
        assertThat(nested).singleElement().isInstanceOfSatisfying(ConcurrencyLimitExceededException.class, e -> {
            assertThat(e.service()).isEqualTo(TestEndpoints.SERVICE);
            assertThat(e.limit()).isEqualTo(1);
            assertThat(e.inFlight()).isEqualTo(1);
            assertThat(e).hasMessage("Adaptive concurrency limit of service 'inventory' reached: 1 call(s) in"
                    + " flight, limit 1");
        });
        assertThat(limiter.rejected()).isEqualTo(1);
    }

    @Test
    void retriesRunInTheCallsSlotAndCannotTakeTheServicePastItsLimit() {
        client(1);
        AtomicInteger attempts = new AtomicInteger();
        List<Integer> inFlightPerAttempt = new ArrayList<>();
        List<String> nested = new ArrayList<>();

        Response r = client.call(a -> {
            inFlightPerAttempt.add(limiter.inFlight());
            try {
                client.call(inner -> new Response(200));
                nested.add("admitted");
            } catch (ConcurrencyLimitExceededException e) {
                nested.add("refused");
            }
            return new Response(attempts.incrementAndGet() < 3 ? 503 : 200);
        }, CallOptions.idempotent());

        assertThat(r.status()).isEqualTo(200);
        assertThat(attempts).hasValue(3);
        assertThat(inFlightPerAttempt).as("one slot for the call, whatever its attempts").containsExactly(1, 1, 1);
        assertThat(nested).as("no other call got in between retries").containsOnly("refused");
    }

    @Test
    void aBlockingCallWaitsUpToMaxWaitForASlotAndStartsWhenItHasIt() throws Exception {
        List<Long> attemptNanos = new java.util.concurrent.CopyOnWriteArrayList<>();
        client = ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(zone("r1", "r1-a", 2, 0))).caller(TestEndpoints.CALLER)
                .callPolicy(CallPolicy.builder().adaptiveConcurrency(AdaptiveConcurrencyPolicy.builder().enabled(true)
                        .initialLimit(1).minLimit(1).maxLimit(1).maxWait(Duration.ofMinutes(1)).build()).build())
                .classifier(HTTP).timeSource(time)
                .metrics(new CallMetrics() {
                    @Override
                    public void attempt(String service, dev.meshless.balancer.Pick pick,
                                        dev.meshless.outcome.Outcome outcome, long nanos) {
                        attemptNanos.add(nanos);
                    }
                })
                .build();
        limiter = client.concurrencyLimiter();
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        // Threads of its own: the common pool may have a single thread on a 2-core machine, which the
        // first call keeps busy, so that the second would never start.
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "adaptive-concurrency-call-test");
            t.setDaemon(true);
            return t;
        });
        CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> client.call(a -> {
            holding.countDown();
            release.await(30, java.util.concurrent.TimeUnit.SECONDS);
            time.advance(Duration.ofSeconds(5)); // the first call takes 5 s on the fake clock
            return new Response(200);
        }), threads);
        assertThat(holding.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // An AtomicReference, not a plain array slot: the loop below must see the write (a plain read
        // in a spin loop may be hoisted by the JIT and never see it, as Java 25's did).
        java.util.concurrent.atomic.AtomicReference<Thread> waiter = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<Response> second = CompletableFuture.supplyAsync(() -> {
            waiter.set(Thread.currentThread());
            return client.call(a -> new Response(200));
        }, threads);
        long bound = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (limiter.waiting() == 0 && System.nanoTime() < bound) {
            Thread.onSpinWait(); // until the second call is in line for the slot
        }
        assertThat(limiter.waiting()).as("the second call waits in line").isEqualTo(1);
        assertThat(waiter.get()).isNotNull();
        assertThat(second).isNotDone();

        release.countDown();

        assertThat(first.get(30, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(second.get(30, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(limiter.rejected()).isZero();
        assertThat(attemptNanos).as("the second call's attempt does not count the 5 s it waited")
                .containsExactlyInAnyOrder(Duration.ofSeconds(5).toNanos(), 0L);
        threads.shutdownNow();
    }

    @Test
    void aSynchronousCallGivesItsSlotBackOnEveryOutcome() {
        client(1);

        client.call(a -> new Response(200));
        assertThat(limiter.inFlight()).isZero();
        assertThatThrownBy(() -> client.call(a -> new Response(503))).isInstanceOf(ServiceCallException.class);
        assertThat(limiter.inFlight()).as("failed").isZero();
        assertThatThrownBy(() -> client.call(a -> {
            throw new IllegalArgumentException("the caller's bug");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(limiter.inFlight()).as("caller error").isZero();
        assertThatThrownBy(() -> client.call(a -> {
            throw new java.net.SocketTimeoutException("read timed out");
        })).isInstanceOf(ServiceCallException.class);
        assertThat(limiter.inFlight()).as("timed out").isZero();
        assertThatThrownBy(() -> client.call(a -> {
            throw new AssertionError("an Error");
        })).isInstanceOf(AssertionError.class);
        assertThat(limiter.inFlight()).as("Error").isZero();
        assertThat(client.call(a -> new Response(200)).status()).as("the one slot is free").isEqualTo(200);
    }

    @Test
    void aCallTheServiceBreakerRefusesGivesItsSlotBack() {
        client(1);
        client.serviceBreaker().transitionToOpenState();

        assertThatThrownBy(() -> client.call(a -> new Response(200))).isInstanceOfSatisfying(
                ServiceCallException.class, e -> assertThat(e.reason()).isEqualTo(ServiceCallException.Reason.CIRCUIT_OPEN));
        assertThat(limiter.inFlight()).isZero();
        assertThat(limiter.rejected()).as("not the limit's refusal").isZero();
    }

    @Test
    void anAsynchronousCallGivesItsSlotBackWhenAnsweredFailedTimedOutOrCancelled() throws Exception {
        client(AdaptiveConcurrencyPolicy.builder().initialLimit(10).minLimit(1).maxLimit(10),
                CallPolicy.builder().maxAttempts(1).perTryTimeout(Duration.ofMillis(100)));
        CompletableFuture<Response> answered = new CompletableFuture<>();
        CompletableFuture<Response> failing = new CompletableFuture<>();
        CompletableFuture<Response> cancelledUpstream = new CompletableFuture<>();

        CompletableFuture<Response> a = client.callAsync(x -> answered);
        CompletableFuture<Response> b = client.callAsync(x -> failing);
        CompletableFuture<Response> c = client.callAsync(x -> cancelledUpstream);
        CompletableFuture<Response> thrown = client.callAsync(x -> {
            throw new IllegalStateException("the function's own bug");
        });
        assertThat(thrown).isCompletedExceptionally();
        assertThat(limiter.inFlight()).isEqualTo(3);

        answered.complete(new Response(200));
        assertThat(a.get()).isEqualTo(new Response(200));
        assertThat(limiter.inFlight()).isEqualTo(2);

        failing.completeExceptionally(new ConnectException("refused"));
        assertThat(b).isCompletedExceptionally();
        assertThat(limiter.inFlight()).isEqualTo(1);

        c.cancel(true);
        assertThat(limiter.inFlight()).as("cancelled by the caller").isZero();
        time.advance(Duration.ofMillis(100)); // the abandoned attempt times out; nothing is given back twice
        assertThat(cancelledUpstream).isCancelled();
        assertThat(limiter.inFlight()).isZero();

        CompletableFuture<Response> slow = client.callAsync(x -> new CompletableFuture<>());
        time.advance(Duration.ofMillis(100));
        assertThatThrownBy(slow::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ServiceCallException.class);
        assertThat(limiter.inFlight()).as("timed out").isZero();
    }

    @Test
    void aSlowerServiceLowersTheLimitThroughTheCallPath() {
        client(AdaptiveConcurrencyPolicy.builder().initialLimit(20).minLimit(2).maxLimit(50),
                CallPolicy.builder().maxAttempts(1));
        rounds(20, Duration.ofMillis(10));
        int normal = limiter.limit();

        rounds(10, Duration.ofMillis(200));

        assertThat(limiter.limit()).isLessThan(normal / 2);
    }

    /** Rounds of as many concurrent calls as the limit allows, all answering after {@code latency} on the fake clock. */
    private void rounds(int count, Duration latency) {
        for (int round = 0; round < count; round++) {
            List<CompletableFuture<Response>> upstream = new ArrayList<>();
            int calls = limiter.limit();
            for (int i = 0; i < calls; i++) {
                CompletableFuture<Response> answer = new CompletableFuture<>();
                upstream.add(answer);
                client.callAsync(a -> answer);
            }
            time.advance(latency);
            upstream.forEach(u -> u.complete(new Response(200)));
        }
    }
}
