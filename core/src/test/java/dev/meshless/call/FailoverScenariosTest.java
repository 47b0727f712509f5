package dev.meshless.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.breaker.Breakers;
import dev.meshless.outcome.OutcomeClassifier;
import dev.meshless.outlier.OutlierDetectionPolicy;
import dev.meshless.testing.LoadDriver;
import dev.meshless.testing.LoopbackFleet;
import dev.meshless.topology.Locality;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The failure drills of the resilient call path, with real HTTP backends on loopback: 2 regions ×
 * 3 zones × 2 instances, a caller in r1/r1-a, four threads issuing GET calls. Each drill is bounded
 * in calls and in time.
 */
class FailoverScenariosTest {

    private static final Locality CALLER = Locality.of("r1", "r1-a");
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static LoopbackFleet fleet;

    private ServiceClient client;
    private LoadDriver driver;
    private final Set<String> events = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = new LoopbackFleet();
        // A cold JVM needs longer than the 300 ms per-try timeout for its first HTTP exchanges
        // (class loading, JIT); warm the client and server paths so that drills measure routing.
        fleet.warmUp(50);
    }

    @AfterAll
    static void stopFleet() {
        fleet.close();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (driver != null) {
            driver.close();
        }
        if (client != null) {
            assertThat(client.attemptsInFlight()).as("every attempt reported").isZero();
            client.close();
        }
        fleet.acceptConnections(fleet.all());
        fleet.heal(fleet.all());
    }

    private void start(CallPolicy.Builder policy) {
        client = ServiceClient.builder(LoopbackFleet.SERVICE)
                .registry(fleet.registry())
                .caller(CALLER)
                .callPolicy(policy.build())
                .classifier(OutcomeClassifier.forHttpResponses(HttpResponse.class, HttpResponse::statusCode,
                        r -> r.headers().firstValue("Retry-After").orElse(null)))
                .listener(new CallListener() {
                    @Override
                    public void onZoneBreakerOpened(String service, Locality zone) {
                        events.add("opened " + zone.zone());
                    }
                })
                .build();
        driver = new LoadDriver(client, 4);
    }

    private static CallPolicy.Builder policy() {
        return CallPolicy.builder().perTryTimeout(Duration.ofMillis(300)).deadline(Duration.ofSeconds(3));
    }

    private static String zoneOf(String endpointId) {
        return endpointId == null ? null : endpointId.substring(0, endpointId.lastIndexOf('-'));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(10); // polling a condition with a bound
        }
    }

    private static List<LoadDriver.Call> failed(List<LoadDriver.Call> calls) {
        return calls.stream().filter(c -> !c.ok()).toList();
    }

    @Test
    void steadyStateKeepsEveryCallInTheCallersZone() throws Exception {
        // Nothing fails here: a per-try timeout no stall of a busy test machine reaches, so that
        // "one attempt per call" measures routing, not the machine.
        start(policy().perTryTimeout(Duration.ofSeconds(2)).deadline(Duration.ofSeconds(5)));

        driver.awaitCalls(1_000, BOUND);
        driver.stop();

        List<LoadDriver.Call> calls = driver.calls();
        assertThat(failed(calls)).isEmpty();
        assertThat(calls).allSatisfy(c -> assertThat(zoneOf(c.servedBy())).isEqualTo("r1-a"));
        assertThat(driver.attempts()).isEqualTo(calls.size());
    }

    @Test
    void callersZoneRefusingConnectionsFailsOverWithinASecondAndNoCallFails() throws Exception {
        start(policy());
        driver.awaitCalls(200, BOUND);

        long fault = System.nanoTime();
        fleet.refuseConnections(fleet.zone("r1-a"));
        driver.awaitCalls(1_500, BOUND);
        await("a second after the fault", () -> System.nanoTime() - fault > Duration.ofMillis(1_100).toNanos());
        driver.awaitCalls(200, BOUND);
        driver.stop();

        List<LoadDriver.Call> calls = driver.calls();
        assertThat(failed(calls)).as("failed calls").isEmpty();
        long shiftedBy = fault + Duration.ofSeconds(1).toNanos();
        List<LoadDriver.Call> later = driver.callsSince(shiftedBy);
        assertThat(later).hasSizeGreaterThan(100);
        assertThat(later).allSatisfy(c -> assertThat(zoneOf(c.firstAttempt())).isIn("r1-b", "r1-c"));
    }

    @Test
    void zoneAnswering503OpensItsBreakerAndOnlyTheBudgetBoundsFailures() throws Exception {
        // Consecutive-failure ejection off, so that the zone breaker is what moves the traffic.
        start(policy().outlierDetection(OutlierDetectionPolicy.builder().consecutiveFailures(0).build()));
        driver.awaitCalls(200, BOUND);

        fleet.answer(fleet.zone("r1-a"), 503);
        driver.awaitCalls(1_500, BOUND);
        driver.stop();

        CircuitBreaker zoneA = client.zoneBreakers().breaker(CALLER);
        assertThat(zoneA.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(events).contains("opened r1-a");
        List<LoadDriver.Call> calls = driver.calls();
        long firstAttemptsFailed = calls.stream().filter(c -> c.attempts() > 1).count();
        long retriesTheBudgetCovers = (long) (0.2 * calls.size()) + 10L * 10;
        assertThat((long) failed(calls).size()).as("failures beyond what the retry budget covers")
                .isLessThanOrEqualTo(Math.max(0, firstAttemptsFailed - retriesTheBudgetCovers));
        List<LoadDriver.Call> lastHalf = calls.subList(calls.size() / 2, calls.size());
        assertThat(lastHalf).allSatisfy(c -> assertThat(zoneOf(c.firstAttempt())).isNotEqualTo("r1-a"));
    }

    @Test
    void oneSlowEndpointLeavesThePoolAndSuccessfulCallsStayFast() throws Exception {
        start(policy());
        driver.awaitCalls(200, BOUND);

        long fault = System.nanoTime();
        fleet.slow(List.of("r1-a-0"), 2_000);
        driver.awaitCalls(2_000, BOUND);
        driver.stop();

        assertThat(client.outlierDetector().isEjected("r1-a-0")).isTrue();
        List<LoadDriver.Call> after = driver.callsSince(fault);
        assertThat(failed(after)).isEmpty();
        List<Long> latencies = after.stream().filter(LoadDriver.Call::ok).map(LoadDriver.Call::millis).sorted()
                .collect(Collectors.toList());
        long p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
        assertThat(p99).as("p99 of successful calls, ms").isLessThan(300);
    }

    @Test
    void wholeRegionDownMovesTrafficToTheNextRegionWithNoFailedCall() throws Exception {
        start(policy());
        driver.awaitCalls(200, BOUND);

        long fault = System.nanoTime();
        fleet.refuseConnections(fleet.region("r1"));
        driver.awaitCalls(1_500, BOUND);
        await("a second after the fault", () -> System.nanoTime() - fault > Duration.ofMillis(1_100).toNanos());
        driver.awaitCalls(200, BOUND);
        driver.stop();

        assertThat(failed(driver.calls())).as("failed calls").isEmpty();
        List<LoadDriver.Call> later = driver.callsSince(fault + Duration.ofSeconds(1).toNanos());
        assertThat(later).allSatisfy(c -> assertThat(c.firstAttempt()).startsWith("r2-"));
    }

    @Test
    void recoveredZoneGetsItsTrafficBackAfterTheEjectionTimeWithoutErrors() throws Exception {
        start(policy()
                .outlierDetection(OutlierDetectionPolicy.builder().baseEjectionTime(Duration.ofSeconds(1))
                        .maxEjectionTimeJitter(Duration.ZERO).build())
                .zoneBreaker(CircuitBreakerConfig.from(Breakers.zoneDefaults())
                        .waitDurationInOpenState(Duration.ofSeconds(1)).build()));
        driver.awaitCalls(200, BOUND);

        fleet.refuseConnections(fleet.zone("r1-a"));
        await("r1-a out of the plan", () -> client.balancer().plan().tierShare(0) == 0.0);
        fleet.acceptConnections(fleet.zone("r1-a"));
        await("r1-a back in the plan", () -> client.balancer().plan().tierShare(0) == 1.0);
        long back = System.nanoTime();
        driver.awaitCalls(1_000, BOUND);
        driver.stop();

        assertThat(failed(driver.calls())).as("failed calls, whole drill").isEmpty();
        List<LoadDriver.Call> after = driver.callsSince(back);
        long local = after.stream().filter(c -> "r1-a".equals(zoneOf(c.firstAttempt()))).count();
        assertThat((double) local / after.size()).as("share back in r1-a").isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void totalOutageFailsFastWithTypedErrorsAndBoundedAttempts() throws Exception {
        start(policy());
        driver.awaitCalls(100, BOUND);
        fleet.refuseConnections(fleet.all());
        long fault = System.nanoTime();

        driver.awaitCalls(3_000, BOUND);
        driver.stop();
        double seconds = (System.nanoTime() - fault) / 1e9;

        List<LoadDriver.Call> during = driver.callsSince(fault);
        assertThat(during).allSatisfy(c -> assertThat(c.failure()).isInstanceOf(ServiceCallException.class));
        long attempts = during.stream().mapToLong(LoadDriver.Call::attempts).sum();
        assertThat(attempts).as("attempts for %d calls in %.1f s", during.size(), seconds)
                .isLessThanOrEqualTo((long) (1.2 * during.size() + 10 * Math.ceil(seconds) + 100));
        assertThat(during.stream().map(c -> ((ServiceCallException) c.failure()).reason()))
                .contains(ServiceCallException.Reason.CIRCUIT_OPEN);
        List<Long> latencies = during.stream().map(LoadDriver.Call::millis).sorted().toList();
        assertThat(latencies.get(latencies.size() / 2)).as("median failure latency, ms").isLessThan(50);
    }
}
