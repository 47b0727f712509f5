package dev.meshless.call;

import static dev.meshless.testing.TestEndpoints.zone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.adaptive.AdaptiveConcurrencyLimiter;
import dev.meshless.adaptive.AdaptiveConcurrencyPolicy;
import dev.meshless.adaptive.ConcurrencyLimitExceededException;
import dev.meshless.outcome.OutcomeClassifier;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Any interleaving of asynchronous calls (some failing at once), answers, failures, cancellations
 * and time advances, while the limit moves with the latencies: a call starts only within the limit
 * and in order of arrival, a refusal after a wait says it waited exactly {@code maxWait}, every
 * answer completes in the end and no slot is left taken.
 */
class AsyncConcurrencyWaitPropertiesTest {

    record Response(int status) {
    }

    enum Kind { CALL, CALL_FAILING_AT_ONCE, ANSWER, FAIL, CANCEL, ADVANCE }

    /** One step; {@code n} picks which open call (modulo their number) or how many milliseconds. */
    record Step(Kind kind, int n) {
    }

    private static final Duration MAX_WAIT = Duration.ofMillis(200);

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Kind> kinds = Arbitraries.frequencyOf(Tuple.of(35, Arbitraries.just(Kind.CALL)),
                Tuple.of(5, Arbitraries.just(Kind.CALL_FAILING_AT_ONCE)), Tuple.of(25, Arbitraries.just(Kind.ANSWER)),
                Tuple.of(8, Arbitraries.just(Kind.FAIL)), Tuple.of(10, Arbitraries.just(Kind.CANCEL)),
                Tuple.of(17, Arbitraries.just(Kind.ADVANCE)));
        return Combinators.combine(kinds, Arbitraries.integers().between(0, 300)).as(Step::new)
                .list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 300)
    void callsStartWithinTheLimitInOrderOfArrivalAndNoSlotLeaks(@ForAll("steps") List<Step> steps) {
        FakeTime time = new FakeTime();
        ServiceClient client = ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(zone("r1", "r1-a", 3, 0))).caller(TestEndpoints.CALLER)
                .callPolicy(CallPolicy.builder().maxAttempts(1).perTryTimeout(Duration.ofSeconds(1))
                        .adaptiveConcurrency(AdaptiveConcurrencyPolicy.builder().enabled(true).initialLimit(3)
                                .minLimit(1).maxLimit(8).maxWait(MAX_WAIT).build()).build())
                .classifier(OutcomeClassifier.forHttpResponses(Response.class, Response::status, r -> null))
                .timeSource(time).jitter(() -> 0.0).build();
        AdaptiveConcurrencyLimiter limiter = client.concurrencyLimiter();
        List<CompletableFuture<Response>> answers = new ArrayList<>();
        List<CompletableFuture<Response>> upstream = new ArrayList<>();
        List<Integer> startOrder = new ArrayList<>();
        // Recorded, not asserted in the attempt function: the client turns what it throws into that
        // call's failed answer, which the checks below would not tell from any other failure.
        List<String> overLimit = new ArrayList<>();
        try {
            for (Step step : steps) {
                switch (step.kind()) {
                    case CALL, CALL_FAILING_AT_ONCE -> {
                        int arrival = answers.size();
                        boolean failsAtOnce = step.kind() == Kind.CALL_FAILING_AT_ONCE;
                        answers.add(client.callAsync(a -> {
                            if (limiter.inFlight() > limiter.limit()) {
                                overLimit.add("call " + arrival + " started with " + limiter.inFlight()
                                        + " slots taken at limit " + limiter.limit());
                            }
                            startOrder.add(arrival);
                            if (failsAtOnce) {
                                throw new IllegalStateException("fails at once");
                            }
                            CompletableFuture<Response> u = new CompletableFuture<>();
                            upstream.add(u);
                            return u;
                        }));
                    }
                    case ANSWER -> pick(upstream, step.n()).complete(new Response(200));
                    case FAIL -> pick(upstream, step.n()).complete(new Response(503));
                    case CANCEL -> pick(answers, step.n()).cancel(true);
                    case ADVANCE -> time.advance(Duration.ofMillis(step.n()));
                }
            }
            assertThat(overLimit).as("calls start only within the limit").isEmpty();
            assertThat(startOrder).as("calls start in order of arrival").isSorted();
            // Let everything end: answer what is open (a cancelled call's attempt too), and let the
            // waits and timeouts run out.
            for (int round = 0; round < 20 && (answers.stream().anyMatch(a -> !a.isDone())
                    || upstream.stream().anyMatch(u -> !u.isDone())); round++) {
                List.copyOf(upstream).forEach(u -> u.complete(new Response(200))); // may start more calls
                time.advance(Duration.ofSeconds(1));
            }
            assertThat(answers).allSatisfy(a -> assertThat(a).isDone());
            for (CompletableFuture<Response> a : answers) {
                Throwable failure = a.handle((value, error) -> error).join();
                if (failure instanceof ConcurrencyLimitExceededException e && !e.waited().isZero()) {
                    assertThat(e.waited()).as("a refusal after a wait").isEqualTo(MAX_WAIT);
                }
            }
            assertThat(limiter.inFlight()).as("no slot leaked").isZero();
            assertThat(limiter.waiting()).isZero();
            assertThat(client.attemptsInFlight()).isZero();
        } finally {
            client.close();
        }
    }

    /** @return the element {@code n} picks, or a throwaway future when there is none */
    private static CompletableFuture<Response> pick(List<CompletableFuture<Response>> futures, int n) {
        return futures.isEmpty() ? new CompletableFuture<>() : futures.get(n % futures.size());
    }
}
