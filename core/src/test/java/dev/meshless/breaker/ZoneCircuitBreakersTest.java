package dev.meshless.breaker;

import static dev.meshless.testing.TestEndpoints.concat;
import static dev.meshless.testing.TestEndpoints.zone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meshless.balancer.EndpointState;
import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.outcome.Outcome;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import dev.meshless.topology.Locality;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Zone breaker transitions move traffic through the balancer; fake time drives the waits. */
class ZoneCircuitBreakersTest {

    private static final Locality ZONE_A = Locality.of("r1", "r1-a");
    private static final Outcome FAILURE = Outcome.endpointFailure("HTTP 500", false);
    private static final long FAST = Duration.ofMillis(5).toNanos();

    private final FakeTime time = new FakeTime();
    private final List<String> events = new ArrayList<>();
    private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    private LocalityLoadBalancer lb;
    private ZoneCircuitBreakers breakers;

    @BeforeEach
    void setUp() {
        lb = TestEndpoints.balancer(StaticRegistry.of(concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 2, 0))),
                LoadBalancingPolicy.defaults());
        breakers = new ZoneCircuitBreakers(lb, registry, Breakers.zoneDefaults(), time, List.of(
                new ZoneBreakerListener() {
                    @Override
                    public void onZoneBreakerOpened(String service, Locality zone) {
                        events.add("opened " + zone);
                    }

                    @Override
                    public void onZoneBreakerHalfOpened(String service, Locality zone) {
                        events.add("half-open " + zone);
                    }

                    @Override
                    public void onZoneBreakerClosed(String service, Locality zone) {
                        events.add("closed " + zone);
                    }
                }));
    }

    private void calls(Locality zone, Outcome outcome, long nanos, int n) {
        for (int i = 0; i < n; i++) {
            assertThat(breakers.tryAcquire(zone)).as("permit for call %d", i).isTrue();
            breakers.record(zone, outcome, nanos);
        }
    }

    @Test
    void failingZoneOpensAndLeavesThePlanThenProbesAndReturns() {
        calls(ZONE_A, Outcome.success(), FAST, 5);
        calls(ZONE_A, FAILURE, FAST, 5);           // 10 calls, 50 % failures: opens

        assertThat(events).containsExactly("opened r1/r1-a");
        assertThat(lb.plan().tierShare(0)).isZero();
        assertThat(breakers.tryAcquire(ZONE_A)).isFalse();

        time.advance(Duration.ofMillis(9_999));
        assertThat(lb.plan().tierShare(0)).isZero();
        time.advance(Duration.ofMillis(1));        // wait in open state is over

        assertThat(events).containsExactly("opened r1/r1-a", "half-open r1/r1-a");
        // Half-open: probed only, with the probe share of first attempts, while others can serve.
        assertThat(lb.plan().tierShare(0)).isCloseTo(0.05, within(1e-9));
        assertThat(lb.plan().endpoints()).filteredOn(e -> e.endpoint().locality().zone().equals("r1-a"))
                .allMatch(e -> e.state() == EndpointState.PROBING);
        calls(ZONE_A, Outcome.success(), FAST, 1); // the first probe answers: known-good, still half-open
        assertThat(lb.plan().tierShare(0)).isEqualTo(1.0);
        assertThat(breakers.breaker(ZONE_A).getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        calls(ZONE_A, Outcome.success(), FAST, 4); // the other permitted probes succeed
        assertThat(events).last().isEqualTo("closed r1/r1-a");
        assertThat(breakers.breaker(ZONE_A).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(lb.plan().tierShare(0)).isEqualTo(1.0);
    }

    /**
     * A half-open zone that no call probes (a service whose calls may not be probes, all POSTs)
     * takes its share again after one wait in open state, the breaker still counting its probes;
     * one that was probed is checked again a wait later.
     */
    @Test
    void aHalfOpenZoneThatNoCallProbesTakesItsShareAfterOneWait() {
        calls(ZONE_A, FAILURE, FAST, 10);
        time.advance(Duration.ofSeconds(10));
        assertThat(breakers.breaker(ZONE_A).getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breakers.tryAcquire(ZONE_A)).isTrue(); // a probe, still in flight

        time.advance(Duration.ofSeconds(10));
        assertThat(lb.plan().tierShare(0)).as("probed: still only probed").isCloseTo(0.05, within(1e-9));
        time.advance(Duration.ofMillis(9_999));
        assertThat(lb.plan().tierShare(0)).isCloseTo(0.05, within(1e-9));
        time.advance(Duration.ofMillis(1));

        assertThat(lb.plan().tierShare(0)).isEqualTo(1.0);
        assertThat(breakers.breaker(ZONE_A).getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        breakers.record(ZONE_A, FAILURE, FAST);
        calls(ZONE_A, FAILURE, FAST, 4); // its probes fail: open again
        assertThat(lb.plan().tierShare(0)).isZero();
    }

    @Test
    void halfOpenLetsOnlyTheProbesThroughAndAFailedProbeReopens() {
        calls(ZONE_A, FAILURE, FAST, 10);
        time.advance(Duration.ofSeconds(10));

        for (int i = 0; i < 5; i++) {
            assertThat(breakers.tryAcquire(ZONE_A)).isTrue();
        }
        assertThat(breakers.tryAcquire(ZONE_A)).as("no sixth probe").isFalse();
        for (int i = 0; i < 5; i++) {
            breakers.record(ZONE_A, FAILURE, FAST);
        }

        assertThat(events).containsExactly("opened r1/r1-a", "half-open r1/r1-a", "opened r1/r1-a");
        assertThat(lb.plan().tierShare(0)).isZero();
        time.advance(Duration.ofSeconds(10));
        assertThat(events).last().isEqualTo("half-open r1/r1-a");
    }

    @Test
    void slowCallsOpenTheBreakerToo() {
        calls(ZONE_A, Outcome.success(), Duration.ofMillis(2_500).toNanos(), 8);
        calls(ZONE_A, Outcome.success(), FAST, 2);

        assertThat(events).containsExactly("opened r1/r1-a");
    }

    @Test
    void overloadIsNeitherSuccessNorFailure() {
        calls(ZONE_A, Outcome.overloaded("HTTP 429", null), FAST, 50);

        assertThat(breakers.breaker(ZONE_A).getMetrics().getNumberOfBufferedCalls()).isZero();
        assertThat(events).isEmpty();
    }

    @Test
    void otherZonesAreUnaffectedAndSubZonesShareTheirZonesBreaker() {
        calls(Locality.of("r1", "r1-a", "rack-1"), FAILURE, FAST, 10);

        assertThat(breakers.breaker(ZONE_A).getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breakers.breaker(Locality.of("r1", "r1-b")).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breakers.breaker(Locality.of("r1", "r1-a", "rack-2"))).isSameAs(breakers.breaker(ZONE_A));
    }

    @Test
    void breakersAreSharedThroughTheRegistryByName() {
        CircuitBreaker existing = registry.circuitBreaker("inventory-zone-r1-r1-b",
                CircuitBreakerConfig.custom().minimumNumberOfCalls(2).slidingWindowSize(2).build());

        assertThat(breakers.breaker(Locality.of("r1", "r1-b"))).isSameAs(existing);
        assertThat(registry.find("inventory-zone-r1-r1-a")).isEmpty();
        breakers.breaker(ZONE_A);
        assertThat(registry.find("inventory-zone-r1-r1-a")).isPresent();
        calls(Locality.of("r1", "r1-b"), FAILURE, FAST, 2);
        assertThat(events).containsExactly("opened r1/r1-b");
    }

    @Test
    void closingCancelsPendingTimers() {
        calls(ZONE_A, FAILURE, FAST, 10);

        breakers.close();

        assertThat(time.pendingTimers()).isZero();
    }
}
