package dev.meshless.health;

import static dev.meshless.testing.Invalid.assertInvalid;
import static dev.meshless.testing.TestEndpoints.zone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.balancer.EndpointState;
import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.balancer.RoutingPlan;
import dev.meshless.breaker.Breakers;
import dev.meshless.breaker.ZoneBreakerListener;
import dev.meshless.breaker.ZoneCircuitBreakers;
import dev.meshless.outcome.Outcome;
import dev.meshless.outlier.OutlierDetectionPolicy;
import dev.meshless.outlier.OutlierDetector;
import dev.meshless.outlier.OutlierListener;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Probes of endpoints and zones out of the plan, continuous checks and their bounds, on a fake clock. */
class ActiveHealthCheckerTest {

    private static final Outcome FAILURE = Outcome.endpointFailure("HTTP 500", false);
    private static final Locality R1A = Locality.of("r1", "r1-a");

    private final FakeTime time = new FakeTime();
    private final List<String> events = new ArrayList<>();
    /** Endpoints whose probes fail; every other probe passes. */
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> probes = new ConcurrentHashMap<>();
    private final HealthProbe scripted = (endpoint, timeout) -> {
        probes.computeIfAbsent(endpoint.id(), id -> new AtomicInteger()).incrementAndGet();
        return CompletableFuture.completedFuture(down.contains(endpoint.id()) ? ProbeResult.unhealthy("HTTP 503")
                : ProbeResult.healthy("HTTP 200"));
    };
    private final Listener listener = new Listener();
    private List<Endpoint> endpoints;
    private StaticRegistry registry;
    private LocalityLoadBalancer lb;
    private OutlierDetector detector;
    private ZoneCircuitBreakers breakers;
    private ActiveHealthChecker checker;

    private final class Listener implements HealthCheckListener, OutlierListener, ZoneBreakerListener {
        @Override
        public void onRecoveryConfirmed(String service, Endpoint endpoint, String evidence) {
            events.add(time.elapsed().toMillis() + "ms confirmed " + endpoint.id());
        }

        @Override
        public void onHealthChanged(String service, Endpoint endpoint, boolean healthy) {
            events.add(time.elapsed().toMillis() + "ms " + endpoint.id() + (healthy ? " healthy" : " unhealthy"));
        }

        @Override
        public void onReturned(String service, Endpoint endpoint) {
            events.add(time.elapsed().toMillis() + "ms returned " + endpoint.id());
        }

        @Override
        public void onZoneBreakerOpened(String service, Locality zone) {
            events.add("opened " + zone.zone());
        }

        @Override
        public void onZoneBreakerHalfOpened(String service, Locality zone) {
            events.add("half-open " + zone.zone());
        }

        @Override
        public void onZoneBreakerClosed(String service, Locality zone) {
            events.add("closed " + zone.zone());
        }
    }

    private void start(List<Endpoint> list, HealthCheckPolicy.Builder policy, HealthProbe probe) {
        endpoints = list;
        HealthCheckPolicy checks = policy.intervalJitter(Duration.ZERO).build();
        checker = new ActiveHealthChecker(TestEndpoints.SERVICE, checks, probe, time, List.of(listener), () -> 0.0);
        registry = StaticRegistry.of(endpoints);
        lb = LocalityLoadBalancer.builder(TestEndpoints.SERVICE).registry(checker.view(registry))
                .caller(TestEndpoints.CALLER).policy(LoadBalancingPolicy.defaults()).build();
        detector = OutlierDetector.start(lb, OutlierDetectionPolicy.defaults(), time, List.of(listener), () -> 0.0);
        breakers = new ZoneCircuitBreakers(lb, CircuitBreakerRegistry.ofDefaults(), Breakers.zoneDefaults(), time,
                List.of(listener));
        checker.start(lb, detector, breakers);
    }

    private void start(HealthCheckPolicy.Builder policy) {
        List<Endpoint> list = new ArrayList<>(zone("r1", "r1-a", 2, 0));
        list.addAll(zone("r1", "r1-b", 2, 0));
        start(list, policy, scripted);
    }

    @AfterEach
    void stop() {
        if (checker != null) {
            checker.close();
            breakers.close();
            detector.close();
            lb.close();
        }
    }

    private EndpointState state(String id) {
        return lb.plan().endpoints().stream().filter(e -> e.endpoint().id().equals(id))
                .map(RoutingPlan.EndpointPlan::state).findFirst().orElseThrow();
    }

    private void eject(String id) {
        Endpoint e = endpoints.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
        for (int i = 0; i < 5; i++) {
            detector.record(e, FAILURE);
        }
        assertThat(state(id)).isEqualTo(EndpointState.EJECTED);
    }

    private int probesOf(String id) {
        AtomicInteger n = probes.get(id);
        return n == null ? 0 : n.get();
    }

    @Test
    void nothingIsProbedWhileEveryEndpointIsInThePlan() {
        start(HealthCheckPolicy.builder());

        time.advance(Duration.ofSeconds(30));

        assertThat(probes).isEmpty();
        assertThat(checker.status()).isEmpty();
    }

    @Test
    void withAThresholdOfTwoAnEjectedEndpointReturnsAfterTwoPassingProbesInsteadOfItsThirtySecondEjection() {
        start(HealthCheckPolicy.builder().healthyThreshold(2));
        down.add("r1-a-0");
        eject("r1-a-0");

        time.advance(Duration.ofSeconds(5));
        assertThat(state("r1-a-0")).isEqualTo(EndpointState.EJECTED);
        assertThat(probesOf("r1-a-0")).isEqualTo(6); // at once (the random part is 0 here), then one a second
        assertThat(checker.status()).singleElement().satisfies(s -> {
            assertThat(s.reason()).isEqualTo("ejected");
            assertThat(s.consecutiveFailures()).isEqualTo(6);
            assertThat(s.lastResult()).isEqualTo(ProbeResult.unhealthy("HTTP 503"));
        });

        down.remove("r1-a-0"); // healed at 5 s
        time.advance(Duration.ofSeconds(1));
        assertThat(state("r1-a-0")).as("one pass is not enough").isEqualTo(EndpointState.EJECTED);
        time.advance(Duration.ofSeconds(1));

        assertThat(state("r1-a-0")).isEqualTo(EndpointState.AVAILABLE);
        assertThat(events).containsExactly("7000ms confirmed r1-a-0", "7000ms returned r1-a-0");
        assertThat(checker.status()).isEmpty();
        int probed = probesOf("r1-a-0");
        time.advance(Duration.ofSeconds(10));
        assertThat(probesOf("r1-a-0")).as("probing stops once it is back").isEqualTo(probed);
    }

    @Test
    void byDefaultOnePassBringsAnEjectedEndpointBack() {
        start(HealthCheckPolicy.builder());
        down.add("r1-a-0");
        eject("r1-a-0");
        time.advance(Duration.ofMillis(2_500)); // probed at 0, 1 and 2 s: failed

        down.remove("r1-a-0"); // healed at 2.5 s
        time.advance(Duration.ofMillis(499));
        assertThat(state("r1-a-0")).isEqualTo(EndpointState.EJECTED);
        time.advance(Duration.ofMillis(1));

        assertThat(state("r1-a-0")).as("its next probe, at 3 s, passes").isEqualTo(EndpointState.AVAILABLE);
        assertThat(events).containsExactly("3000ms confirmed r1-a-0", "3000ms returned r1-a-0");
    }

    @Test
    void whenAnEndpointOfAZoneHealsItsZonesOtherOutEndpointsAreProbedAtOnce() {
        // Three endpoints of r1-a and one of r1-b ejected; their probes fall at different points
        // of the interval (the jitter is off, so each keeps the phase of its ejection).
        List<Endpoint> list = new ArrayList<>(zone("r1", "r1-a", 3, 0));
        list.addAll(zone("r1", "r1-b", 2, 0));
        start(list, HealthCheckPolicy.builder(), scripted);
        down.addAll(List.of("r1-a-0", "r1-a-1", "r1-a-2", "r1-b-0"));
        eject("r1-a-0");
        time.advance(Duration.ofMillis(300));
        eject("r1-a-1");
        eject("r1-b-0");
        time.advance(Duration.ofMillis(300));
        eject("r1-a-2");
        time.advance(Duration.ofMillis(2_450)); // probes at 0, 1, 2, 3 s; 300, 1300, 2300 ms; 600, 1600, 2600 ms
        assertThat(probesOf("r1-a-0")).isEqualTo(4);
        assertThat(probesOf("r1-a-1")).isEqualTo(3);
        assertThat(probesOf("r1-a-2")).isEqualTo(3);

        down.removeAll(List.of("r1-a-0", "r1-a-1", "r1-a-2", "r1-b-0")); // healed at 3050 ms
        time.advance(Duration.ofMillis(250)); // r1-a-1's and r1-b-0's probes are due at 3300 ms

        // r1-a-1 passes at 3300 ms and its zone's other out endpoints are probed then, not at 3.6
        // and 4 s; r1-b-0, passing at the same moment, is another zone's and takes its own probe.
        assertThat(events).containsExactlyInAnyOrder("3300ms confirmed r1-a-1", "3300ms returned r1-a-1",
                "3300ms confirmed r1-b-0", "3300ms returned r1-b-0", "3300ms confirmed r1-a-0",
                "3300ms returned r1-a-0", "3300ms confirmed r1-a-2", "3300ms returned r1-a-2");
        assertThat(probesOf("r1-a-0")).as("one early probe each").isEqualTo(5);
        assertThat(probesOf("r1-a-2")).isEqualTo(4);
        assertThat(probesOf("r1-b-1")).as("never out, never probed").isZero();
    }

    @Test
    void anEndpointWhoseRequestsFailRightAfterAPassingProbeBroughtItBackWaitsOutItsNextEjection() {
        // Its health path answers while its requests fail: probes alone would bring it back every second.
        start(HealthCheckPolicy.builder());
        eject("r1-a-0");
        time.advance(Duration.ofMillis(10));
        assertThat(state("r1-a-0")).as("its probe passed").isEqualTo(EndpointState.AVAILABLE);

        eject("r1-a-0"); // failed every request since
        time.advance(Duration.ofSeconds(59));
        assertThat(state("r1-a-0")).as("passing probes are disproved until the 60 s ejection runs out")
                .isEqualTo(EndpointState.EJECTED);
        assertThat(probesOf("r1-a-0")).as("still probed, for the status").isGreaterThan(50);
        time.advance(Duration.ofSeconds(1));
        assertThat(state("r1-a-0")).isNotEqualTo(EndpointState.EJECTED);
    }

    @Test
    void anEndpointEjectedLongAfterAProbeBroughtItBackIsNotJudgedOnThatReturn() {
        // Back on a probe, then no traffic for longer than the base ejection time (a failover-only zone).
        start(HealthCheckPolicy.builder());
        eject("r1-a-0");
        time.advance(Duration.ofMillis(10));
        time.advance(Duration.ofSeconds(31));

        eject("r1-a-0"); // the next real fault's first burst
        time.advance(Duration.ofMillis(10));

        assertThat(state("r1-a-0")).as("its next passing probe brings it back").isEqualTo(EndpointState.AVAILABLE);
    }

    @Test
    void aZoneOpenedLongAfterProbesClosedItIsClosedByProbesAgain() {
        start(HealthCheckPolicy.builder());
        openZoneA();
        time.advance(Duration.ofMillis(10));
        time.advance(Duration.ofSeconds(11)); // longer than its 10 s wait in open state, without a call

        openZoneA();
        time.advance(Duration.ofMillis(10));

        assertThat(state("r1-a-0")).isEqualTo(EndpointState.AVAILABLE);
    }

    @Test
    void anEndpointThatAnsweredAfterItsReturnComesBackOnItsNextPassingProbeWhenEjectedAgain() {
        start(HealthCheckPolicy.builder());
        eject("r1-a-0");
        time.advance(Duration.ofMillis(10));
        detector.record(endpoints.get(0), Outcome.success());

        eject("r1-a-0"); // a new fault, after it served
        time.advance(Duration.ofMillis(10));

        assertThat(state("r1-a-0")).isEqualTo(EndpointState.AVAILABLE);
    }

    /** Fails calls to r1-a until its breaker opens. */
    private void openZoneA() {
        for (int i = 0; i < 20 && breakers.tryAcquire(R1A); i++) {
            breakers.record(R1A, FAILURE, 1_000_000);
        }
        assertThat(state("r1-a-0")).isEqualTo(EndpointState.ZONE_UNAVAILABLE);
    }

    @Test
    void aZoneWhoseCallsFailRightAfterProbesClosedItsBreakerWaitsOutItsNextOpenState() {
        start(HealthCheckPolicy.builder());
        openZoneA();
        time.advance(Duration.ofMillis(10));
        assertThat(state("r1-a-0")).as("probes closed it").isEqualTo(EndpointState.AVAILABLE);

        openZoneA(); // its calls failed, none answered
        time.advance(Duration.ofMillis(9_990));
        assertThat(state("r1-a-0")).as("passing probes do not close it again within its 10 s wait")
                .isEqualTo(EndpointState.ZONE_UNAVAILABLE);
        time.advance(Duration.ofMillis(10));
        assertThat(events).containsSubsequence("opened r1-a", "closed r1-a", "opened r1-a", "half-open r1-a");
    }

    @Test
    void aZoneThatAnsweredAfterProbesClosedItIsClosedByProbesAgainWhenItsBreakerReopens() {
        start(HealthCheckPolicy.builder());
        openZoneA();
        time.advance(Duration.ofMillis(10));
        assertThat(breakers.tryAcquire(R1A)).isTrue();
        breakers.record(R1A, Outcome.success(), 1_000_000);

        openZoneA(); // a new fault, after it served
        time.advance(Duration.ofMillis(10));

        assertThat(state("r1-a-0")).isEqualTo(EndpointState.AVAILABLE);
    }

    @Test
    void aSiblingThatFailsItsEarlyProbeIsNotProbedAgainBeforeItsInterval() {
        start(zone("r1", "r1-a", 3, 0), HealthCheckPolicy.builder().healthyThreshold(2), scripted);
        down.addAll(List.of("r1-a-0", "r1-a-1", "r1-a-2"));
        eject("r1-a-0");
        eject("r1-a-1");
        time.advance(Duration.ofMillis(500));
        eject("r1-a-2");
        time.advance(Duration.ofMillis(600)); // probes at 0 and 1 s, and at 500 ms: all failed

        down.remove("r1-a-2"); // only r1-a-2 heals
        time.advance(Duration.ofMillis(400)); // its probe at 1.5 s passes (1 of 2): the others are probed then
        assertThat(probesOf("r1-a-0")).isEqualTo(3);
        assertThat(probesOf("r1-a-1")).isEqualTo(3);
        time.advance(Duration.ofMillis(1_000)); // its second pass at 2.5 s: it returns, and nothing else early

        assertThat(events).containsExactly("2500ms confirmed r1-a-2", "2500ms returned r1-a-2");
        assertThat(probesOf("r1-a-0")).as("at 1.5 s (early) and 2.5 s (its own): no extra probe").isEqualTo(4);
        assertThat(state("r1-a-0")).isEqualTo(EndpointState.EJECTED);
    }

    @Test
    void anOpenZoneClosesThroughHalfOpenWhenItsEndpointsPassProbes() {
        start(HealthCheckPolicy.builder());
        for (int i = 0; i < 10; i++) {
            assertThat(breakers.tryAcquire(R1A)).isTrue();
            breakers.record(R1A, FAILURE, 1_000_000);
        }
        assertThat(state("r1-a-0")).isEqualTo(EndpointState.ZONE_UNAVAILABLE);
        assertThat(checker.status()).extracting(ProbeStatus::reason).containsOnly("zone unavailable");

        time.advance(Duration.ofSeconds(1)); // the breaker's own wait is 10 s

        // The first probe (at once: the random part is 0 here) passes, which is the default threshold.
        assertThat(events).containsSubsequence("opened r1-a", "0ms confirmed r1-a-0", "half-open r1-a",
                "closed r1-a");
        assertThat(state("r1-a-0")).isEqualTo(EndpointState.AVAILABLE);
        assertThat(state("r1-a-1")).isEqualTo(EndpointState.AVAILABLE);
        assertThat(lb.plan().shareByZone().get(R1A)).isEqualTo(1.0);
    }

    @Test
    void aProbeThatDoesNotAnswerFailsAtItsTimeout() {
        List<CompletableFuture<ProbeResult>> pending = new ArrayList<>();
        start(zone("r1", "r1-a", 3, 0), HealthCheckPolicy.builder().timeout(Duration.ofMillis(300)),
                (endpoint, timeout) -> {
                    CompletableFuture<ProbeResult> never = new CompletableFuture<>();
                    pending.add(never);
                    return never;
                });
        eject("r1-a-0");

        time.advance(Duration.ofMillis(1_400)); // probes at 0 (timed out at 300 ms) and 1,300 ms

        assertThat(checker.status()).singleElement().satisfies(s -> {
            assertThat(s.consecutiveFailures()).isEqualTo(1);
            assertThat(s.lastResult()).isEqualTo(ProbeResult.unhealthy("timed out after 300ms"));
        });
        assertThat(pending).hasSize(2).first().satisfies(f -> assertThat(f).isCancelled());
        assertThat(pending.get(1)).as("the second probe still has time").isNotDone();
    }

    @Test
    void aProbeTheProberCouldNotSendCountsAsNothingAndIsTriedAgainShortly() {
        AtomicInteger refusals = new AtomicInteger(3);
        start(zone("r1", "r1-a", 3, 0), HealthCheckPolicy.builder().healthyThreshold(2), (endpoint, timeout) -> {
            if (refusals.getAndDecrement() > 0) {
                return CompletableFuture.failedFuture(new ProbeNotSentException("every probe thread busy"));
            }
            return scripted.check(endpoint, timeout);
        });
        eject("r1-a-0");
        time.advance(Duration.ofMillis(1));
        assertThat(checker.status()).singleElement().satisfies(s -> {
            assertThat(s.consecutiveFailures()).as("not sent is not a failure").isZero();
            assertThat(s.lastResult()).isNull();
        });

        // Refused at 0, 20 and 40 ms (tried again one slot of the 50-per-second cap later, the
        // random part being 0 here), passes at 60 and 1,060 ms. Counted as failures, the refusals
        // would have taken three intervals and the return would come at 4 s.
        time.advance(Duration.ofMillis(1_700));

        assertThat(refusals.get()).isNegative();
        assertThat(state("r1-a-0")).isEqualTo(EndpointState.AVAILABLE);
        assertThat(events).containsExactly("1060ms confirmed r1-a-0", "1060ms returned r1-a-0");
    }

    @Test
    void probesOfAServiceStayUnderItsCapPerSecond() {
        start(zone("r1", "r1-a", 10, 0), HealthCheckPolicy.builder().maxProbesPerSecond(3), scripted);
        down.addAll(endpoints.stream().map(Endpoint::id).toList());
        endpoints.forEach(e -> eject(e.id()));

        time.advance(Duration.ofSeconds(10));

        int total = probes.values().stream().mapToInt(AtomicInteger::get).sum();
        // a full bucket of 3 at the start, then 3 a second
        assertThat(total).isBetween(25, 34);
        assertThat(probes).as("every endpoint gets its turn").hasSize(10);
    }

    @Test
    void disabledChecksProbeNothingAndRecoveryWaitsForTheEjectionTime() {
        start(HealthCheckPolicy.builder().enabled(false));
        eject("r1-a-0");

        time.advance(Duration.ofSeconds(20));

        assertThat(probes).isEmpty();
        assertThat(state("r1-a-0")).isEqualTo(EndpointState.EJECTED);
    }

    @Test
    void continuousChecksMarkEndpointsUnhealthyAndHealthyAtTheirThresholds() {
        List<Endpoint> list = new ArrayList<>(zone("r1", "r1-a", 2, 0));
        list.addAll(zone("r2", "r2-a", 1, 0));
        start(list, HealthCheckPolicy.builder().continuous(true).healthyThreshold(2), scripted);
        down.add("r1-a-1");

        time.advance(Duration.ofSeconds(1)); // first probes at once, spread over the first interval
        assertThat(state("r1-a-1")).as("two failures are not enough").isEqualTo(EndpointState.AVAILABLE);
        time.advance(Duration.ofSeconds(1));
        assertThat(state("r1-a-1")).isEqualTo(EndpointState.UNHEALTHY);

        down.clear();
        time.advance(Duration.ofSeconds(2));

        assertThat(state("r1-a-1")).isEqualTo(EndpointState.AVAILABLE);
        assertThat(events).containsExactly("2000ms r1-a-1 unhealthy", "4000ms r1-a-1 healthy");
        // r2-a-0 is planned no traffic: once in its first second, then every 60 s
        assertThat(probesOf("r2-a-0")).isEqualTo(1);
        assertThat(probesOf("r1-a-0")).isEqualTo(5);
    }

    @Test
    void underContinuousChecksAnEjectedEndpointStillNeedsItsHealthyThresholdOfPassesSinceItLeft() {
        start(HealthCheckPolicy.builder().continuous(true).healthyThreshold(2));
        time.advance(Duration.ofSeconds(5)); // r1-a-0's health path passes all along
        assertThat(checker.status()).filteredOn(s -> s.endpointId().equals("r1-a-0")).singleElement()
                .satisfies(s -> assertThat(s.consecutivePasses()).isGreaterThanOrEqualTo(2));

        eject("r1-a-0"); // while its calls fail
        time.advance(Duration.ofSeconds(1));

        assertThat(state("r1-a-0")).as("one pass since it left is not the threshold of two")
                .isEqualTo(EndpointState.EJECTED);
        time.advance(Duration.ofSeconds(1));
        assertThat(state("r1-a-0")).isEqualTo(EndpointState.AVAILABLE);
    }

    @Test
    void withoutContinuousChecksTheRegistryIsNotWrapped() {
        HealthCheckPolicy policy = HealthCheckPolicy.defaults();
        ActiveHealthChecker plain = new ActiveHealthChecker("s", policy, scripted, time, List.of(), () -> 0.0);
        StaticRegistry r = StaticRegistry.of(zone("r1", "r1-a", 1, 0));

        assertThat(plain.view(r)).isSameAs(r);
    }

    @Test
    void theContinuousChecksViewKeepsTheRegistrysRegionOrder() {
        HealthCheckPolicy policy = HealthCheckPolicy.builder().continuous(true).build();
        ActiveHealthChecker continuous = new ActiveHealthChecker("s", policy, scripted, time, List.of(), () -> 0.0);
        StaticRegistry r = StaticRegistry.of(zone("r1", "r1-a", 1, 0));
        dev.meshless.registry.EndpointRegistry byRoundTrip = new dev.meshless.registry.EndpointRegistry() {
            @Override
            public dev.meshless.registry.Subscription subscribe(String service,
                                                                 dev.meshless.registry.EndpointListener listener) {
                return r.subscribe(service, listener);
            }

            @Override
            public List<String> regionsByProximity() {
                return List.of("r1", "r3", "r2"); // as Consul's /v1/catalog/datacenters orders them
            }
        };

        assertThat(continuous.view(byRoundTrip).regionsByProximity()).containsExactly("r1", "r3", "r2");
    }

    @Test
    void badSettingsNameTheProperty() {
        assertInvalid(() -> HealthCheckPolicy.builder().timeout(Duration.ofSeconds(2)).build(), "timeout",
                Duration.ofSeconds(2), "must be at most the interval (1s)");
        assertInvalid(() -> HealthCheckPolicy.builder().interval(Duration.ofMillis(100)).build(), "interval",
                Duration.ofMillis(100), "must be at least the timeout (500ms)");
        assertInvalid(() -> HealthCheckPolicy.builder().intervalJitter(Duration.ofSeconds(1)).build(),
                "intervalJitter", Duration.ofSeconds(1), "must be less than the interval (1s)");
        assertInvalid(() -> HealthCheckPolicy.builder().healthyThreshold(0), "healthyThreshold", 0,
                "must be at least 1");
        assertInvalid(() -> HealthCheckPolicy.builder().path("health"), "path", "health", "must start with '/'");
        assertInvalid(() -> HealthCheckPolicy.builder().port(70_000), "port", 70_000,
                "must be between 1 and 65535");
        assertInvalid(() -> HealthCheckPolicy.builder().noTrafficInterval(Duration.ofMillis(500)).build(),
                "noTrafficInterval", Duration.ofMillis(500), "must be at least the interval (1s)");
        assertThat(new HashSet<>(List.of(HealthCheckPolicy.defaults(), HealthCheckPolicy.builder().build())))
                .hasSize(1);
    }
}
