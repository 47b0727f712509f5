package dev.meshless.call;

import static dev.meshless.testing.Invalid.assertInvalid;
import static dev.meshless.testing.TestEndpoints.concat;
import static dev.meshless.testing.TestEndpoints.zone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.MeshlessException;
import dev.meshless.balancer.EndpointState;
import dev.meshless.balancer.Pick;
import dev.meshless.breaker.BreakerRecorder;
import dev.meshless.outcome.Outcome;
import dev.meshless.outcome.OutcomeClassifier;
import dev.meshless.outlier.OutlierDetectionPolicy;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The call pipeline with fake endpoints and fake time: retries, budget, backoff, deadlines, breakers. */
class ServiceClientTest {

    /** A tiny HTTP-like answer, classified by status code. */
    record Response(String endpoint, int status, String retryAfter) {
    }

    private static final OutcomeClassifier HTTP = OutcomeClassifier.forHttpResponses(Response.class,
            Response::status, Response::retryAfter);

    private final FakeTime time = new FakeTime();
    /** Per endpoint id: the status it answers, or 0 to refuse connections. Unlisted endpoints answer 200. */
    private final Map<String, Integer> behaviour = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final List<String> metricEvents = new ArrayList<>();
    private ServiceClient client;
    /** The backoff jitter draw, in [0, 1]; at its top unless a test says otherwise. */
    private double jitter = 1.0;

    private final AttemptFunction<Response> endpointCall = attempt -> {
        String id = attempt.endpoint().id();
        calls.add(id);
        int status = behaviour.getOrDefault(id, 200);
        if (status == 0) {
            throw new ConnectException("Connection refused: " + attempt.endpoint().address());
        }
        return new Response(id, status, status == 429 ? "2" : null);
    };

    private ServiceClient client(CallPolicy.Builder policy) {
        client = ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 2, 0),
                        zone("r2", "r2-a", 2, 0))))
                .caller(TestEndpoints.CALLER)
                .callPolicy(policy.build())
                .classifier(HTTP)
                .timeSource(time)
                .jitter(() -> jitter)
                .metrics(new CallMetrics() {
                    @Override
                    public void attempt(String service, Pick pick, Outcome outcome, long nanos) {
                        metricEvents.add("attempt " + pick.endpoint().id() + " " + outcome.kind());
                    }

                    @Override
                    public void retry(String service) {
                        metricEvents.add("retry");
                    }

                    @Override
                    public void retryBudgetExhausted(String service) {
                        metricEvents.add("budget exhausted");
                    }
                })
                .build();
        return client;
    }

    private ServiceClient client() {
        return client(CallPolicy.builder());
    }

    @AfterEach
    void noAttemptIsLeftUnreported() {
        if (client != null) {
            assertThat(client.attemptsInFlight()).isZero();
            client.close();
        }
    }

    private static String zoneOf(String endpointId) {
        return endpointId.substring(0, endpointId.lastIndexOf('-'));
    }

    @Test
    void aHealthyCallStaysInTheCallersZone() {
        client();

        for (int i = 0; i < 50; i++) {
            assertThat(client.call(endpointCall, CallOptions.method("GET")).status()).isEqualTo(200);
        }

        assertThat(calls).allMatch(id -> zoneOf(id).equals("r1-a"));
        assertThat(metricEvents).hasSize(50).allMatch(e -> e.endsWith("SUCCESS"));
    }

    @Nested
    class Retries {

        @Test
        void aRefusedConnectionIsRetriedEvenForANonIdempotentCall() {
            client();
            behaviour.put("r1-a-0", 0);
            behaviour.put("r1-a-1", 0);

            Response r = client.call(endpointCall, CallOptions.method("POST"));

            assertThat(r.status()).isEqualTo(200);
            assertThat(calls).hasSize(2);
            assertThat(zoneOf(calls.get(0))).isEqualTo("r1-a");
            assertThat(zoneOf(calls.get(1))).as("a connect failure leaves its region for the rest of the call")
                    .isEqualTo("r2-a");
            assertThat(metricEvents).containsSubsequence("retry");
        }

        @Test
        void aServerErrorLeavesItsZoneButNotItsRegion() {
            client();
            behaviour.put("r1-a-0", 500);
            behaviour.put("r1-a-1", 500);

            Response r = client.call(endpointCall, CallOptions.idempotent());

            assertThat(calls).hasSize(2);
            assertThat(zoneOf(r.endpoint())).isEqualTo("r1-b");
        }

        @Test
        void aConnectFailureStaysInItsRegionWhenNoOtherRegionIsKnownGood() {
            client();
            behaviour.put("r1-a-0", 0);
            behaviour.put("r1-a-1", 0);
            client.balancer().setEjected("r2-a-0", true);
            client.balancer().setEjected("r2-a-1", true);

            Response r = client.call(endpointCall, CallOptions.idempotent());

            assertThat(calls).hasSize(2);
            assertThat(zoneOf(r.endpoint())).as("the region is avoided only while another can serve").isEqualTo("r1-b");
        }

        @Test
        void aServerErrorOnANonIdempotentCallIsNotRetried() {
            client();
            behaviour.put("r1-a-0", 500);
            behaviour.put("r1-a-1", 500);

            assertThatThrownBy(() -> client.call(endpointCall, CallOptions.method("POST")))
                    .isInstanceOfSatisfying(ServiceCallException.class, e -> {
                        assertThat(e.reason()).isEqualTo(ServiceCallException.Reason.NOT_RETRYABLE);
                        assertThat(e.service()).isEqualTo("inventory");
                        assertThat(e.attempts()).singleElement().satisfies(a -> {
                            assertThat(a.outcome().kind()).isEqualTo(Outcome.Kind.ENDPOINT_FAILURE);
                            assertThat(a.tier()).isZero();
                        });
                        assertThat(e).hasMessageContaining("method POST, not declared idempotent");
                        assertThat(((Response) e.lastResult()).status()).isEqualTo(500);
                    });
            assertThat(calls).hasSize(1);
        }

        @Test
        void idempotentCallsAndSafeMethodsAreRetried() {
            client();
            behaviour.put("r1-a-0", 503);
            behaviour.put("r1-a-1", 503);

            assertThat(client.call(endpointCall, CallOptions.method("POST").withIdempotent(true)).status())
                    .isEqualTo(200);
            assertThat(client.call(endpointCall, CallOptions.method("put")).status()).isEqualTo(200);
            assertThat(client.call(endpointCall, CallOptions.idempotent()).status()).isEqualTo(200);
        }

        @Test
        void retriesStayInTheTierWhenTheyAreToldTo() {
            client(CallPolicy.builder().attemptsPerTier(0));
            behaviour.put("r1-a-0", 500);
            behaviour.put("r1-a-1", 500);

            Response r = client.call(endpointCall, CallOptions.idempotent());

            assertThat(calls).hasSize(3);
            assertThat(calls.subList(0, 2)).containsExactlyInAnyOrder("r1-a-0", "r1-a-1");
            assertThat(zoneOf(r.endpoint())).as("tier 0 exhausted").isEqualTo("r1-b");
        }

        @Test
        void aWholeRegionDownFailsOverToTheNextRegion() {
            client();
            for (String id : List.of("r1-a-0", "r1-a-1", "r1-b-0", "r1-b-1")) {
                behaviour.put(id, 0);
            }

            Response r = client.call(endpointCall, CallOptions.idempotent());

            assertThat(zoneOf(r.endpoint())).isEqualTo("r2-a");
            assertThat(calls).as("the first connect failure left the region").hasSize(2);
        }

        @Test
        void aSingleTierServiceRetriesOnItsOtherEndpoints() {
            client = ServiceClient.builder(TestEndpoints.SERVICE)
                    .registry(StaticRegistry.of(zone("r1", "r1-a", 3, 0)))
                    .caller(TestEndpoints.CALLER).classifier(HTTP).timeSource(time).build();
            behaviour.put("r1-a-0", 500);
            behaviour.put("r1-a-1", 500);

            Response r = client.call(endpointCall, CallOptions.idempotent());

            assertThat(r.endpoint()).isEqualTo("r1-a-2");
        }

        @Test
        void everyAttemptFailingEndsWithTheAttemptsListed() {
            client();
            for (String id : List.of("r1-a-0", "r1-a-1", "r1-b-0", "r1-b-1", "r2-a-0", "r2-a-1")) {
                behaviour.put(id, 502);
            }

            assertThatThrownBy(() -> client.call(endpointCall, CallOptions.idempotent()))
                    .isInstanceOfSatisfying(ServiceCallException.class, e -> {
                        assertThat(e.reason()).isEqualTo(ServiceCallException.Reason.ATTEMPTS_EXHAUSTED);
                        assertThat(e.attempts()).extracting(AttemptRecord::tier).containsExactly(0, 1, 2);
                        assertThat(e.attempts()).extracting(a -> a.outcome().kind())
                                .containsOnly(Outcome.Kind.GATEWAY_FAILURE);
                        assertThat(e).hasMessageStartingWith("Call to service 'inventory' failed: all 3 attempts failed;"
                                + " attempts: [r1-a-");
                    });
        }

        @Test
        void theRetryBudgetStopsRetriesWhenSpent() {
            client(CallPolicy.builder().retryBudgetPercent(0).retryBudgetMinRetriesPerSecond(0));
            behaviour.put("r1-a-0", 0);
            behaviour.put("r1-a-1", 0);

            assertThatThrownBy(() -> client.call(endpointCall, CallOptions.idempotent()))
                    .isInstanceOfSatisfying(ServiceCallException.class, e -> {
                        assertThat(e.reason()).isEqualTo(ServiceCallException.Reason.RETRY_BUDGET_EXHAUSTED);
                        assertThat(e).hasMessageContaining("the retry budget is spent");
                        assertThat(e.getCause()).isInstanceOf(ConnectException.class);
                    });
            assertThat(metricEvents).contains("budget exhausted").doesNotContain("retry");
        }
    }

    @Nested
    class Timing {

        @Test
        void backoffIsExponentialWithFullJitterAndCapped() {
            client(CallPolicy.builder().maxAttempts(6).attemptsPerTier(0));
            for (String id : List.of("r1-a-0", "r1-a-1", "r1-b-0", "r1-b-1", "r2-a-0", "r2-a-1")) {
                behaviour.put(id, 0);
            }

            assertThatThrownBy(() -> client.call(endpointCall, CallOptions.idempotent()))
                    .isInstanceOf(ServiceCallException.class);

            // jitter fixed at its top: 25, 50, 100, 200, then capped at 250 ms
            assertThat(time.sleeps()).containsExactly(Duration.ofMillis(25), Duration.ofMillis(50),
                    Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(250));
        }

        @Test
        void fullJitterDrawsTheBackoffBetweenZeroAndItsCeiling() {
            jitter = 0.5;
            client(CallPolicy.builder().maxAttempts(6).attemptsPerTier(0));
            for (String id : List.of("r1-a-0", "r1-a-1", "r1-b-0", "r1-b-1", "r2-a-0", "r2-a-1")) {
                behaviour.put(id, 0);
            }

            assertThatThrownBy(() -> client.call(endpointCall, CallOptions.idempotent()))
                    .isInstanceOf(ServiceCallException.class);

            // half of each ceiling: 25, 50, 100, 200, 250 ms
            assertThat(time.sleeps()).containsExactly(Duration.ofNanos(12_500_000), Duration.ofMillis(25),
                    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(125));
        }

        @Test
        void anOverloadedEndpointIsGivenTheDelayItAskedFor() {
            client();
            behaviour.put("r1-a-0", 429);
            behaviour.put("r1-a-1", 429);

            Response r = client.call(endpointCall, CallOptions.method("GET"));

            // Overload is not a failure of the tier: the retry tries the zone's other endpoint first.
            assertThat(r.status()).isEqualTo(200);
            assertThat(calls).hasSize(3);
            assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
            assertThat(client.balancer().plan().endpoints()).extracting(e -> e.state())
                    .as("overload never ejects").containsOnly(EndpointState.AVAILABLE);
        }

        @Test
        void retriesNeverCrossTheDeadline() {
            client(CallPolicy.builder().backoffBase(Duration.ofMillis(400)).backoffMax(Duration.ofSeconds(1)));
            behaviour.put("r1-a-0", 0);
            behaviour.put("r1-a-1", 0);

            assertThatThrownBy(() -> client.call(endpointCall,
                    CallOptions.idempotent().withDeadline(Duration.ofMillis(300))))
                    .isInstanceOfSatisfying(ServiceCallException.class, e -> {
                        assertThat(e.reason()).isEqualTo(ServiceCallException.Reason.DEADLINE_EXCEEDED);
                        assertThat(e).hasMessageContaining("before the deadline of 300 ms");
                    });
            assertThat(time.sleeps()).isEmpty();
        }

        @Test
        void eachAttemptIsToldWhatIsLeftOfTheDeadlineOrThePerTryTimeout() {
            client(CallPolicy.builder().perTryTimeout(Duration.ofMillis(200)));
            List<Duration> timeouts = new ArrayList<>();
            behaviour.put("r1-a-0", 0);
            behaviour.put("r1-a-1", 0);

            client.call(a -> {
                timeouts.add(a.timeout());
                time.advance(Duration.ofMillis(100));
                return endpointCall.apply(a);
            }, CallOptions.idempotent().withDeadline(Duration.ofMillis(250)));

            // 250 ms deadline: first attempt gets the 200 ms per-try limit; after 100 ms and a 25 ms backoff, 125 ms are left.
            assertThat(timeouts).containsExactly(Duration.ofMillis(200), Duration.ofMillis(125));
        }
    }

    @Nested
    class CallerErrors {

        @Test
        void aClientErrorAnswerIsReturnedNotRetried() {
            client();
            behaviour.put("r1-a-0", 404);
            behaviour.put("r1-a-1", 404);

            assertThat(client.call(endpointCall, CallOptions.method("GET")).status()).isEqualTo(404);
            assertThat(calls).hasSize(1);
        }

        @Test
        void anUncheckedExceptionOfTheCallersOwnIsRethrownAsItIs() {
            client();
            IllegalArgumentException bug = new IllegalArgumentException("bad request body");

            assertThatThrownBy(() -> client.call(a -> {
                throw bug;
            }, CallOptions.idempotent())).isSameAs(bug);
        }

        @Test
        void aCheckedExceptionThatSaysNothingAboutTheEndpointIsWrapped() {
            client();

            assertThatThrownBy(() -> client.call(a -> {
                throw new Exception("mapping failed");
            }, CallOptions.idempotent())).isInstanceOfSatisfying(ServiceCallException.class, e -> {
                assertThat(e.reason()).isEqualTo(ServiceCallException.Reason.CALLER_ERROR);
                assertThat(e.getCause()).hasMessage("mapping failed");
            });
        }

        @Test
        void errorsAreReportedAndRethrown() {
            client();

            assertThatThrownBy(() -> client.call(a -> {
                throw new StackOverflowError("deep");
            })).isInstanceOf(StackOverflowError.class);
        }
    }

    @Nested
    class HealthInputs {

        @Test
        void consecutiveFailuresEjectTheEndpoint() {
            client(CallPolicy.builder().outlierDetection(OutlierDetectionPolicy.builder()
                    .consecutiveLocalOriginFailures(3).build()));
            behaviour.put("r1-a-0", 0);

            for (int i = 0; i < 40; i++) {
                client.call(endpointCall, CallOptions.idempotent());
            }

            assertThat(client.outlierDetector().isEjected("r1-a-0")).isTrue();
            int lastFailure = calls.lastIndexOf("r1-a-0");
            assertThat(lastFailure).isLessThan(calls.size() - 1);
            assertThat(calls.subList(lastFailure + 1, calls.size())).doesNotContain("r1-a-0");
        }

        @Test
        void aFailingZoneOpensItsBreakerAndTrafficMovesThenReturns() {
            client(CallPolicy.builder().outlierDetection(OutlierDetectionPolicy.builder().enabled(false).build()));
            behaviour.put("r1-a-0", 500);
            behaviour.put("r1-a-1", 500);

            for (int i = 0; i < 30; i++) {
                client.call(endpointCall, CallOptions.idempotent());
            }
            CircuitBreaker zoneA = client.zoneBreakers().breaker(TestEndpoints.CALLER);
            assertThat(zoneA.getState()).isEqualTo(CircuitBreaker.State.OPEN);
            calls.clear();
            for (int i = 0; i < 20; i++) {
                client.call(endpointCall, CallOptions.idempotent());
            }
            assertThat(calls).noneMatch(id -> zoneOf(id).equals("r1-a"));

            behaviour.clear();
            time.advance(Duration.ofSeconds(10));
            calls.clear();
            // Half-open: the zone is probed with a small share of first attempts until its probes close it.
            int made = 0;
            while (zoneA.getState() != CircuitBreaker.State.CLOSED && made < 2_000) {
                client.call(endpointCall, CallOptions.idempotent());
                made++;
            }
            assertThat(zoneA.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
            calls.clear();
            for (int i = 0; i < 10; i++) {
                client.call(endpointCall, CallOptions.idempotent());
            }
            assertThat(calls).allMatch(id -> zoneOf(id).equals("r1-a"));
        }

        @Test
        void breakerMetricsCatchUpWithCountedSuccessesWithinASecond() {
            client(CallPolicy.builder());
            for (int i = 0; i < 50; i++) {
                client.call(endpointCall, CallOptions.idempotent());
            }
            CircuitBreaker zoneA = client.zoneBreakers().breaker(TestEndpoints.CALLER);
            CircuitBreaker service = client.serviceBreaker();
            // The zone breaker judges after 10 calls, the service breaker after 20: later fast
            // successes are counted, not yet recorded.
            assertThat(zoneA.getMetrics().getNumberOfBufferedCalls()).isEqualTo(10);
            assertThat(service.getMetrics().getNumberOfBufferedCalls()).isEqualTo(20);

            time.advance(BreakerRecorder.FLUSH_INTERVAL);

            assertThat(zoneA.getMetrics().getNumberOfBufferedCalls()).as("a full window of 20").isEqualTo(20);
            assertThat(service.getMetrics().getNumberOfBufferedCalls()).isEqualTo(50);
            assertThat(service.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(50);
        }

        @Test
        void aCallFinishingAfterCloseIsRecordedAtOnce() {
            client(CallPolicy.builder());
            for (int i = 0; i < 30; i++) {
                client.call(endpointCall, CallOptions.idempotent());
            }
            CircuitBreaker zoneA = client.zoneBreakers().breaker(TestEndpoints.CALLER);
            CircuitBreaker service = client.serviceBreaker();

            client.call(attempt -> {
                client.close(); // the client closes while this call is in flight
                return endpointCall.apply(attempt);
            }, CallOptions.idempotent());

            assertThat(service.getMetrics().getNumberOfBufferedCalls()).isEqualTo(31);
            assertThat(BreakerRecorder.of(service).pendingSuccesses()).isZero();
            assertThat(BreakerRecorder.of(zoneA).pendingSuccesses()).as("no flush will come").isZero();
        }

        @Test
        void anErrorThrownByTheFunctionGivesTheServiceBreakersPermitBack() {
            client(CallPolicy.builder().serviceBreaker(CircuitBreakerConfig.custom()
                    .permittedNumberOfCallsInHalfOpenState(1).build()));
            client.serviceBreaker().transitionToOpenState();
            client.serviceBreaker().transitionToHalfOpenState();

            assertThatThrownBy(() -> client.call(attempt -> {
                throw new StackOverflowError("deep");
            })).isInstanceOf(StackOverflowError.class);

            assertThat(client.call(endpointCall, CallOptions.idempotent()).status())
                    .as("the one half-open probe is free again").isEqualTo(200);
        }

        @Test
        void aFailingMetricsImplementationDoesNotBreakTheCall() {
            client = ServiceClient.builder(TestEndpoints.SERVICE)
                    .registry(StaticRegistry.of(zone("r1", "r1-a", 2, 0)))
                    .caller(TestEndpoints.CALLER)
                    .classifier(HTTP)
                    .timeSource(time)
                    .metrics(new CallMetrics() {
                        @Override
                        public void attempt(String service, Pick pick, Outcome outcome, long nanos) {
                            throw new IllegalStateException("metrics bug");
                        }
                    })
                    .build();

            assertThat(client.call(endpointCall, CallOptions.idempotent()).status()).isEqualTo(200);
            assertThat(client.attemptsInFlight()).isZero();
        }

        @Test
        void theServiceBreakerFailsFastWhenTheServiceFailsEverywhere() {
            client(CallPolicy.builder().serviceBreaker(CircuitBreakerConfig.custom()
                    .slidingWindow(10, 10, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED).build()));
            for (String id : List.of("r1-a-0", "r1-a-1", "r1-b-0", "r1-b-1", "r2-a-0", "r2-a-1")) {
                behaviour.put(id, 500);
            }
            for (int i = 0; i < 10; i++) {
                assertThatThrownBy(() -> client.call(endpointCall)).isInstanceOf(ServiceCallException.class);
            }
            calls.clear();

            assertThatThrownBy(() -> client.call(endpointCall))
                    .isInstanceOfSatisfying(ServiceCallException.class, e -> {
                        assertThat(e.reason()).isEqualTo(ServiceCallException.Reason.CIRCUIT_OPEN);
                        assertThat(e).hasMessageContaining("circuit breaker 'inventory' is OPEN");
                    });
            assertThat(calls).isEmpty();
        }

        @Test
        void endpointsAtTheirConcurrencyCapAreSkipped() {
            client(CallPolicy.builder().maxConcurrentCallsPerEndpoint(1));
            String[] inner = new String[1];

            // Least request alone would still pick the busy endpoint now and then: only the cap never does.
            for (int i = 0; i < 200; i++) {
                String outer = client.call(a -> {
                    inner[0] = client.call(b -> b.endpoint().id());
                    return a.endpoint().id();
                });
                assertThat(inner[0]).as("call %d", i).isNotEqualTo(outer);
            }
        }

        @Test
        void noEndpointIsATypedFailure() {
            client = ServiceClient.builder("ghost").registry(StaticRegistry.builder().build()).timeSource(time).build();

            assertThatThrownBy(() -> client.call(endpointCall)).isInstanceOfSatisfying(ServiceCallException.class, e -> {
                assertThat(e.reason()).isEqualTo(ServiceCallException.Reason.NO_ENDPOINT);
                assertThat(e).hasMessageContaining("the registry lists no endpoints");
            });
        }
    }

    @Test
    void theGateRunsFirstAndARejectionStopsEverythingElse() {
        List<String> order = new ArrayList<>();
        class Limited extends MeshlessException {
            Limited() {
                super("inventory", "rate limited", null);
            }
        }
        client = ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(zone("r1", "r1-a", 1, 0))).caller(TestEndpoints.CALLER)
                .timeSource(time)
                .gate(service -> {
                    order.add("gate");
                    if (order.size() > 1) {
                        throw new Limited();
                    }
                })
                .build();
        long budgetBefore = client.retryBudgetRemaining();

        client.call(a -> order.add("attempt"));
        assertThatThrownBy(() -> client.call(a -> order.add("attempt"))).isInstanceOf(Limited.class);

        assertThat(order).containsExactly("gate", "attempt", "gate");
        assertThat(client.serviceBreaker().getMetrics().getNumberOfBufferedCalls()).isEqualTo(1);
        assertThat(client.retryBudgetRemaining()).isEqualTo(budgetBefore);
    }

    @Nested
    class Async {

        private final Map<String, CompletableFuture<Response>> pending = new HashMap<>();

        private final AsyncAttemptFunction<Response> asyncCall = attempt -> {
            String id = attempt.endpoint().id();
            calls.add(id);
            int status = behaviour.getOrDefault(id, 200);
            if (status == -1) {
                CompletableFuture<Response> never = new CompletableFuture<>();
                pending.put(id, never);
                return never;
            }
            if (status == 0) {
                return CompletableFuture.failedFuture(new ConnectException("refused"));
            }
            return CompletableFuture.completedFuture(new Response(id, status, null));
        };

        @Test
        void anErrorReachesTheCallerAsItIsAndGivesTheServiceBreakersPermitBack() {
            client(CallPolicy.builder().serviceBreaker(CircuitBreakerConfig.custom()
                    .permittedNumberOfCallsInHalfOpenState(1).build()));
            client.serviceBreaker().transitionToOpenState();
            client.serviceBreaker().transitionToHalfOpenState();

            CompletableFuture<Response> answer = client.callAsync(attempt -> {
                throw new StackOverflowError("deep");
            });
            assertThat(answer).failsWithin(Duration.ofSeconds(1)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(StackOverflowError.class);
            CompletableFuture<Response> failed = client.callAsync(
                    attempt -> CompletableFuture.failedFuture(new AssertionError("a test's own")));
            assertThat(failed).failsWithin(Duration.ofSeconds(1)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(AssertionError.class);

            assertThat(client.serviceBreaker().getState()).as("no verdict on the service")
                    .isEqualTo(io.github.resilience4j.circuitbreaker.CircuitBreaker.State.HALF_OPEN);
            assertThat(client.call(endpointCall, CallOptions.idempotent()).status())
                    .as("the one half-open probe is free again").isEqualTo(200);
        }

        @Test
        void succeedsAndRetriesLikeTheSynchronousPath() throws Exception {
            client();
            behaviour.put("r1-a-0", 0);
            behaviour.put("r1-a-1", 0);

            CompletableFuture<Response> answer = client.callAsync(asyncCall, CallOptions.idempotent());
            assertThat(answer).isNotDone(); // waiting out the backoff on the timer
            time.advance(Duration.ofMillis(25));

            assertThat(answer.get(1, TimeUnit.SECONDS).endpoint()).as("away from the region that refused")
                    .startsWith("r2-a");
        }

        @Test
        void anAttemptThatOutlivesItsTimeoutIsRetriedAndItsLateAnswerIgnored() throws Exception {
            client(CallPolicy.builder().perTryTimeout(Duration.ofMillis(100)));
            behaviour.put("r1-a-0", -1);
            behaviour.put("r1-a-1", -1);

            CompletableFuture<Response> answer = client.callAsync(asyncCall, CallOptions.method("GET"));
            time.advance(Duration.ofMillis(100));   // attempt 1 times out
            time.advance(Duration.ofMillis(25));    // backoff, attempt 2 goes to tier 1 and answers

            assertThat(answer.get(1, TimeUnit.SECONDS).endpoint()).startsWith("r1-b");
            CompletableFuture<Response> first = pending.get(calls.get(0));
            assertThat(first).isCancelled();
            assertThat(metricEvents).filteredOn(e -> e.startsWith("attempt")).hasSize(2);
        }

        @Test
        void failuresAreTypedToo() {
            client(CallPolicy.builder().retryBudgetPercent(0).retryBudgetMinRetriesPerSecond(0));
            behaviour.put("r1-a-0", 0);
            behaviour.put("r1-a-1", 0);

            CompletableFuture<Response> answer = client.callAsync(asyncCall, CallOptions.idempotent());

            assertThatThrownBy(answer::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(ServiceCallException.class, e ->
                            assertThat(e.reason()).isEqualTo(ServiceCallException.Reason.RETRY_BUDGET_EXHAUSTED));
        }

        @Test
        void aFunctionThatThrowsInsteadOfReturningAStageIsAFailedAttempt() throws Exception {
            client();
            boolean[] first = {true};

            CompletableFuture<Response> answer = client.callAsync(a -> {
                if (first[0]) {
                    first[0] = false;
                    throw new java.io.UncheckedIOException(new IOException("reset"));
                }
                return CompletableFuture.completedFuture(new Response(a.endpoint().id(), 200, null));
            }, CallOptions.idempotent());
            time.advance(Duration.ofMillis(25));

            assertThat(answer.get(1, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
    }

    @Test
    void aPolicyUpdateAppliesToTheNextCalls() {
        client(CallPolicy.builder().maxAttempts(1));
        behaviour.put("r1-a-0", 0);
        behaviour.put("r1-a-1", 0);
        assertThatThrownBy(() -> client.call(endpointCall, CallOptions.idempotent()))
                .isInstanceOf(ServiceCallException.class);

        client.updatePolicy(CallPolicy.builder().maxAttempts(3).build());

        assertThat(client.call(endpointCall, CallOptions.idempotent()).status()).isEqualTo(200);
        assertThat(client.policy().maxAttempts()).isEqualTo(3);
    }

    @Test
    void statusesThePolicyDoesNotListAsRetryableAreNotRetried() {
        client = ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 2, 0))))
                .caller(TestEndpoints.CALLER).timeSource(time).classifier(HTTP)
                .callPolicy(CallPolicy.builder().retryableStatuses(java.util.List.of(503)).build())
                .build();
        behaviour.put("r1-a-0", 500);
        behaviour.put("r1-a-1", 500);
        behaviour.put("r1-b-0", 503);
        behaviour.put("r1-b-1", 503);

        assertThatThrownBy(() -> client.call(endpointCall, CallOptions.idempotent()))
                .isInstanceOfSatisfying(ServiceCallException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ServiceCallException.Reason.NOT_RETRYABLE);
                    assertThat(e).hasMessageContaining("HTTP 500 is not retried (retryableStatuses=[503])");
                });
        assertThat(calls).hasSize(1);

        // A reload reaches the next call, never the one under way.
        client.updatePolicy(CallPolicy.builder().retryableStatuses(java.util.List.of(500, 503)).build());
        calls.clear();
        assertThatThrownBy(() -> client.call(endpointCall, CallOptions.idempotent()))
                .isInstanceOfSatisfying(ServiceCallException.class, e -> assertThat(e.reason())
                        .isEqualTo(ServiceCallException.Reason.ATTEMPTS_EXHAUSTED));
        assertThat(calls).hasSize(3);
    }

    @Test
    void badPoliciesNameTheProperty() {
        assertInvalid(() -> CallPolicy.builder().maxAttempts(0), "retry.maxAttempts", 0, "must be between 1 and 10");
        assertThatThrownBy(() -> CallPolicy.builder().maxAttempts(0))
                .hasMessage("retry.maxAttempts must be between 1 and 10, but was 0");
        assertInvalid(() -> CallPolicy.builder().retryBudgetPercent(-0.1), "retry.budgetRatio", "-0.1%",
                "must be between 0% and 1000%");
        // A conflict names the value that was given, not the default it conflicts with.
        assertInvalid(() -> CallPolicy.builder().backoffBase(Duration.ofSeconds(1)).build(), "retry.backoffBase",
                Duration.ofSeconds(1), "must be at most the backoff max (250ms)");
        assertInvalid(() -> CallPolicy.builder().backoffMax(Duration.ofMillis(10)).build(), "retry.backoffMax",
                Duration.ofMillis(10), "must be at least the backoff base (25ms)");
        assertInvalid(() -> CallPolicy.builder().perTryTimeout(Duration.ofSeconds(20)).build(), "timeouts.perTry",
                Duration.ofSeconds(20), "must not exceed the deadline (15s)");
        assertInvalid(() -> CallPolicy.builder().retryableMethods(new java.util.LinkedHashSet<>(
                java.util.List.of("GET", "P O S T"))), "retry.retryableMethods[1]", "P O S T",
                "must be an HTTP method name");
        assertInvalid(() -> CallPolicy.builder().retryableStatuses(java.util.List.of(503, 404)),
                "retry.retryableStatuses[1]", 404,
                "must be 429 or a 5xx status: only failures are retried, and other 4xx answers are the caller's");
        assertInvalid(() -> CallPolicy.builder().retryOn(java.util.Set.of(Outcome.Kind.CALLER_ERROR)), "retryOn",
                Outcome.Kind.CALLER_ERROR, "may hold endpoint-failure, gateway-failure and overloaded only");
        assertThatThrownBy(() -> CallOptions.method(" ")).hasMessage("method must be an HTTP method name, but was ' '");
        assertThatThrownBy(() -> CallOptions.defaults().withDeadline(Duration.ZERO))
                .hasMessage("deadline must be positive, but was PT0S");
    }
}
