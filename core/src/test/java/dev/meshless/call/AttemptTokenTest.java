package dev.meshless.call;

import static dev.meshless.testing.TestEndpoints.concat;
import static dev.meshless.testing.TestEndpoints.zone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.balancer.Pick;
import dev.meshless.breaker.Breakers;
import dev.meshless.outcome.Outcome;
import dev.meshless.outcome.OutcomeClassifier;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import dev.meshless.topology.Endpoint;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The attempt lifecycle: each attempt's token owns what it took and is ended exactly once. */
class AttemptTokenTest {

    /** An HTTP-like answer: 200 is a success, 503 a gateway failure, 429 overload. */
    record Response(int status) {
    }

    private static final OutcomeClassifier HTTP = OutcomeClassifier.forHttpResponses(Response.class,
            Response::status, r -> r.status() == 429 ? "1" : null);

    private final FakeTime time = new FakeTime();
    private final List<String> attempts = Collections.synchronizedList(new ArrayList<>());
    private ServiceClient client;

    private ServiceClient client(CallPolicy policy) {
        client = ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 2, 0))))
                .caller(TestEndpoints.CALLER)
                .callPolicy(policy)
                .classifier(HTTP)
                .timeSource(time)
                .metrics(new CallMetrics() {
                    @Override
                    public void attempt(String service, Pick pick, Outcome outcome, long nanos) {
                        attempts.add(pick.endpoint().id() + " " + outcome.kind());
                    }
                })
                .build();
        return client;
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    /** One probe in half-open: the first call holding it leaves none for others. */
    private static CallPolicy oneProbe() {
        return CallPolicy.builder().zoneBreaker(CircuitBreakerConfig.from(Breakers.zoneDefaults())
                .permittedNumberOfCallsInHalfOpenState(1).build()).build();
    }

    private CircuitBreaker halfOpenCallerZone() {
        CircuitBreaker zoneA = client.zoneBreakers().breaker(TestEndpoints.CALLER);
        zoneA.transitionToOpenState();
        zoneA.transitionToHalfOpenState();
        return zoneA;
    }

    @Test
    void aZoneThatRefusesItsPermitIsAskedOnceAndTheAttemptGoesElsewhere() {
        client(oneProbe());
        CircuitBreaker zoneA = halfOpenCallerZone();
        long[] refusedDuringInnerCall = new long[1];
        String[] inner = new String[1];

        String outer = client.call(a -> {
            // The outer attempt holds r1-a's only probe. A half-open zone gets only the probe share
            // of first attempts; here the plan still counts it known-good (as after a breaker moved
            // from outside, not yet noticed), so the inner call picks it, is refused, and must not
            // ask again.
            client.balancer().setZoneProbing(TestEndpoints.CALLER, false);
            long before = zoneA.getMetrics().getNumberOfNotPermittedCalls();
            inner[0] = client.call(b -> b.endpoint().id(), CallOptions.idempotent());
            refusedDuringInnerCall[0] = zoneA.getMetrics().getNumberOfNotPermittedCalls() - before;
            return a.endpoint().id();
        }, CallOptions.idempotent());

        assertThat(outer).startsWith("r1-a");
        assertThat(inner[0]).as("the refused zone is left out of the call").startsWith("r1-b");
        assertThat(refusedDuringInnerCall[0]).as("permits refused to the inner call").isEqualTo(1);
        assertThat(client.attemptsInFlight()).isZero();
    }

    @Test
    void anAsynchronousCallAsksARefusingZoneOnceToo() throws Exception {
        client(oneProbe());
        CircuitBreaker zoneA = halfOpenCallerZone();
        assertThat(zoneA.tryAcquirePermission()).as("someone else holds the only probe").isTrue();
        long before = zoneA.getMetrics().getNumberOfNotPermittedCalls();

        String served = client.callAsync(a -> java.util.concurrent.CompletableFuture.completedFuture(
                a.endpoint().id()), CallOptions.idempotent()).get(1, TimeUnit.SECONDS);

        assertThat(served).startsWith("r1-b");
        assertThat(zoneA.getMetrics().getNumberOfNotPermittedCalls() - before).isEqualTo(1);
        zoneA.releasePermission();
    }

    @Test
    void aTokenCountsItsEndpointInFlightUntilItEndsAndASecondEndIsIgnored() {
        client(CallPolicy.defaults());
        Pick pick = client.balancer().pick();

        AttemptToken token = client.begin(pick);
        assertThat(client.attemptsInFlight()).isEqualTo(1);
        assertThat(token.isOpen()).isTrue();

        Outcome first = token.complete(new Response(503), null);
        Outcome second = token.complete(new Response(200), null);

        assertThat(first.kind()).isEqualTo(Outcome.Kind.GATEWAY_FAILURE);
        assertThat(second).as("already ended: nothing reported again").isNull();
        assertThat(token.release()).isFalse();
        assertThat(token.isOpen()).isFalse();
        assertThat(client.attemptsInFlight()).isZero();
        assertThat(attempts).containsExactly(pick.endpoint().id() + " GATEWAY_FAILURE");
    }

    @Test
    void aReleasedTokenReportsNothingAndCannotBeCompletedAfterwards() {
        client(CallPolicy.defaults());
        AttemptToken token = client.begin(client.balancer().pick());

        assertThat(token.release()).isTrue();
        assertThat(token.complete(null, new ConnectException("refused"))).isNull();

        assertThat(client.attemptsInFlight()).isZero();
        assertThat(attempts).isEmpty();
        assertThat(client.outlierDetector().ejected()).isEmpty();
    }

    @Test
    void racingEndsReportOnce() throws Exception {
        client(CallPolicy.defaults());
        ExecutorService threads = Executors.newFixedThreadPool(2);
        int completions = 0;
        try {
            for (int round = 0; round < 200; round++) {
                AttemptToken token = client.begin(client.balancer().pick());
                CountDownLatch go = new CountDownLatch(1);
                Future<Outcome> a = threads.submit(() -> {
                    go.await();
                    return token.complete(new Response(200), null);
                });
                Future<Boolean> b = threads.submit(() -> {
                    go.await();
                    return token.release();
                });
                go.countDown();
                boolean completed = a.get(5, TimeUnit.SECONDS) != null;
                boolean released = b.get(5, TimeUnit.SECONDS);
                assertThat(completed ^ released).as("round %d: exactly one end wins", round).isTrue();
                completions += completed ? 1 : 0;
                assertThat(client.attemptsInFlight()).as("round %d", round).isZero();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(attempts).as("one report per completed token, none per released one").hasSize(completions);
    }

    @Test
    void aTokenBegunOutsideTheClientTakesNoZonePermitAndGivesNoneBack() {
        client(oneProbe());
        CircuitBreaker zoneA = halfOpenCallerZone();
        Pick local = client.balancer().pick();
        assertThat(local.endpoint().locality().zone()).isEqualTo("r1-a");

        client.begin(local).complete(new Response(429), null); // overload: nothing to record, nothing to give back

        assertThat(zoneA.tryAcquirePermission()).as("the one probe is still there").isTrue();
        assertThat(zoneA.tryAcquirePermission()).as("and no second one was made").isFalse();
        zoneA.releasePermission();
    }

    @Test
    void anOutcomeOfATokenBegunOutsideTheClientStillReachesTheZoneBreaker() {
        client(CallPolicy.defaults());
        Pick local = client.balancer().pick();
        CircuitBreaker zoneA = client.zoneBreakers().breaker(local.endpoint().locality());

        client.begin(local).complete(null, new ConnectException("refused"));

        assertThat(zoneA.getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
    }

    @Test
    void aPickOfAnotherServiceIsRejected() {
        client(CallPolicy.defaults());
        Endpoint other = Endpoint.builder("billing", "b-0").address("127.0.0.1", 9000).locality("r1", "r1-a").build();
        ServiceClient billing = ServiceClient.builder("billing").registry(StaticRegistry.of(List.of(other)))
                .timeSource(time).build();
        try {
            Pick foreign = billing.balancer().pick();

            assertThatThrownBy(() -> client.begin(foreign)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("pick must be of service 'inventory', but was of 'billing'");
        } finally {
            billing.close();
        }
    }
}
