package dev.meshless.outlier;

import static dev.meshless.testing.Invalid.assertInvalid;
import static dev.meshless.testing.TestEndpoints.zone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.balancer.EndpointState;
import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.balancer.RoutingPlan;
import dev.meshless.outcome.Outcome;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every ejection rule, ejection-time growth and return, driven by a fake clock. */
class OutlierDetectorTest {

    private static final Outcome FAILURE = Outcome.endpointFailure("HTTP 500", false);
    private static final Outcome GATEWAY = Outcome.gatewayFailure("HTTP 502");
    private static final Outcome REFUSED = Outcome.connectFailure("ConnectException");

    private final FakeTime time = new FakeTime();
    private final List<String> events = new ArrayList<>();
    private final OutlierListener recorder = new OutlierListener() {
        @Override
        public void onEjected(String service, Endpoint endpoint, EjectionReason reason, Duration ejectionTime) {
            events.add("ejected " + endpoint.id() + " " + reason + " " + ejectionTime.toMillis() + "ms");
        }

        @Override
        public void onReturned(String service, Endpoint endpoint) {
            events.add("returned " + endpoint.id());
        }
    };
    private StaticRegistry registry;
    private LocalityLoadBalancer lb;
    private OutlierDetector detector;
    private List<Endpoint> endpoints;

    private OutlierDetector detector(int endpointCount, OutlierDetectionPolicy.Builder policy, double jitter) {
        return detector(zone("r1", "r1-a", endpointCount, 0), policy, jitter);
    }

    private OutlierDetector detector(List<Endpoint> list, OutlierDetectionPolicy.Builder policy, double jitter) {
        endpoints = new ArrayList<>(list);
        registry = StaticRegistry.of(endpoints);
        lb = TestEndpoints.balancer(registry, dev.meshless.balancer.LoadBalancingPolicy.defaults());
        detector = OutlierDetector.start(lb, policy.build(), time, List.of(recorder), () -> jitter);
        return detector;
    }

    private OutlierDetector detector(int endpointCount, OutlierDetectionPolicy.Builder policy) {
        return detector(endpointCount, policy, 0.0);
    }

    @AfterEach
    void stop() {
        if (detector != null) {
            detector.close();
        }
    }

    private void record(int endpoint, Outcome outcome, int times) {
        for (int i = 0; i < times; i++) {
            detector.record(endpoints.get(endpoint), outcome);
        }
    }

    private EndpointState state(int endpoint) {
        return lb.plan().endpoints().stream().filter(e -> e.endpoint().id().equals(endpoints.get(endpoint).id()))
                .map(RoutingPlan.EndpointPlan::state).findFirst().orElseThrow();
    }

    @Test
    void fiveConsecutiveFailuresEjectForTheBaseTimeThenTheEndpointReturns() {
        detector(3, OutlierDetectionPolicy.builder());

        record(0, FAILURE, 4);
        assertThat(state(0)).isEqualTo(EndpointState.AVAILABLE);
        record(0, FAILURE, 1);

        assertThat(state(0)).isEqualTo(EndpointState.EJECTED);
        assertThat(detector.isEjected("r1-a-0")).isTrue();
        assertThat(events).containsExactly("ejected r1-a-0 CONSECUTIVE_FAILURES 30000ms");

        time.advance(Duration.ofMillis(29_999));
        assertThat(state(0)).isEqualTo(EndpointState.EJECTED);
        time.advance(Duration.ofMillis(1));
        assertThat(state(0)).as("back, but only probed until it answers").isEqualTo(EndpointState.PROBING);
        assertThat(events).last().isEqualTo("returned r1-a-0");
        record(0, Outcome.success(), 1);
        assertThat(state(0)).isEqualTo(EndpointState.AVAILABLE);
    }

    /**
     * An endpoint back from ejection that no attempt reaches (its service's calls may not be probes)
     * is known-good after one interval, as Envoy returns a host fully; one that was probed and
     * neither answered nor was ejected again is checked once more an interval later.
     */
    @Test
    void aReturnedEndpointThatNoAttemptReachesForAnIntervalIsKnownGoodAgain() {
        detector(3, OutlierDetectionPolicy.builder().interval(Duration.ofSeconds(10)));
        record(0, FAILURE, 5);
        time.advance(Duration.ofSeconds(30));
        assertThat(state(0)).isEqualTo(EndpointState.PROBING);

        time.advance(Duration.ofSeconds(5));
        record(0, FAILURE, 1); // probed once, failed, not ejected
        time.advance(Duration.ofSeconds(5));
        assertThat(state(0)).as("probed in its first interval").isEqualTo(EndpointState.PROBING);

        time.advance(Duration.ofMillis(9_999));
        assertThat(state(0)).isEqualTo(EndpointState.PROBING);
        time.advance(Duration.ofMillis(1));
        assertThat(state(0)).as("no attempt in its second interval").isEqualTo(EndpointState.AVAILABLE);
    }

    @Test
    void twoRefusedConnectionsInARowEjectButAmbiguousLocalFailuresStillNeedFive() {
        detector(3, OutlierDetectionPolicy.builder());

        record(0, Outcome.connectionRefused("ConnectException"), 1);
        assertThat(state(0)).isEqualTo(EndpointState.AVAILABLE);
        record(0, Outcome.connectionRefused("ConnectException"), 1);
        assertThat(state(0)).isEqualTo(EndpointState.EJECTED);
        assertThat(events).containsExactly("ejected r1-a-0 CONSECUTIVE_CONNECTION_REFUSALS 30000ms");

        record(1, Outcome.endpointFailure("SocketTimeoutException", true), 4);
        assertThat(state(1)).as("timeouts are ambiguous").isEqualTo(EndpointState.AVAILABLE);
        record(2, Outcome.connectionRefused("ConnectException"), 1);
        record(2, Outcome.endpointFailure("SocketTimeoutException", true), 1);
        record(2, Outcome.connectionRefused("ConnectException"), 1);
        assertThat(state(2)).as("refusals must be in a row").isEqualTo(EndpointState.AVAILABLE);
    }

    @Test
    void theRefusalRuleCanBeTurnedOff() {
        detector(3, OutlierDetectionPolicy.builder().consecutiveConnectionRefusals(0));

        record(0, Outcome.connectionRefused("ConnectException"), 4);
        assertThat(state(0)).isEqualTo(EndpointState.AVAILABLE);
        record(0, Outcome.connectionRefused("ConnectException"), 1);
        assertThat(events).containsExactly("ejected r1-a-0 CONSECUTIVE_LOCAL_ORIGIN_FAILURES 30000ms");
    }

    @Test
    void aSuccessBreaksTheRun() {
        detector(3, OutlierDetectionPolicy.builder());

        record(0, FAILURE, 4);
        record(0, Outcome.success(), 1);
        record(0, FAILURE, 4);
        record(0, Outcome.callerError("HTTP 404"), 1);
        record(0, FAILURE, 4);

        assertThat(events).isEmpty();
    }

    @Test
    void overloadNeitherEjectsNorBreaksTheRun() {
        detector(3, OutlierDetectionPolicy.builder());

        record(0, Outcome.overloaded("HTTP 429", Duration.ofSeconds(1)), 20);
        assertThat(events).isEmpty();
        record(0, FAILURE, 4);
        record(0, Outcome.overloaded("HTTP 429", null), 1);
        record(0, FAILURE, 1);

        assertThat(events).containsExactly("ejected r1-a-0 CONSECUTIVE_FAILURES 30000ms");
    }

    @Test
    void ejectionTimeGrowsWithEachEjectionUpToTheMaximum() {
        detector(3, OutlierDetectionPolicy.builder().interval(Duration.ofHours(1))
                .baseEjectionTime(Duration.ofSeconds(30)).maxEjectionTime(Duration.ofSeconds(75)));

        for (int round = 0; round < 4; round++) {
            record(0, FAILURE, 5);
            time.advance(Duration.ofSeconds(75));
        }

        assertThat(events).filteredOn(e -> e.startsWith("ejected")).containsExactly(
                "ejected r1-a-0 CONSECUTIVE_FAILURES 30000ms",
                "ejected r1-a-0 CONSECUTIVE_FAILURES 60000ms",
                "ejected r1-a-0 CONSECUTIVE_FAILURES 75000ms",
                "ejected r1-a-0 CONSECUTIVE_FAILURES 75000ms");
    }

    @Test
    void ejectionMultiplierDecaysOneStepPerHealthyInterval() {
        detector(3, OutlierDetectionPolicy.builder().interval(Duration.ofSeconds(10)));

        record(0, FAILURE, 5);                 // 1st ejection: 30 s
        time.advance(Duration.ofSeconds(30));  // returned
        record(0, FAILURE, 5);                 // 2nd ejection: 60 s
        time.advance(Duration.ofSeconds(60));  // returned, only probed
        record(0, Outcome.success(), 1);       // its probe answers: known-good
        time.advance(Duration.ofSeconds(10));  // one healthy interval: multiplier 2 → 1
        record(0, FAILURE, 5);                 // next ejection counts as the 2nd again

        assertThat(events).filteredOn(e -> e.startsWith("ejected")).containsExactly(
                "ejected r1-a-0 CONSECUTIVE_FAILURES 30000ms",
                "ejected r1-a-0 CONSECUTIVE_FAILURES 60000ms",
                "ejected r1-a-0 CONSECUTIVE_FAILURES 60000ms");
    }

    @Test
    void jitterAddsUpToItsMaximum() {
        detector(3, OutlierDetectionPolicy.builder().maxEjectionTimeJitter(Duration.ofSeconds(4)), 0.5);

        record(0, FAILURE, 5);

        assertThat(events).containsExactly("ejected r1-a-0 CONSECUTIVE_FAILURES 32000ms");
    }

    @Test
    void localOriginFailuresHaveTheirOwnThreshold() {
        detector(3, OutlierDetectionPolicy.builder().consecutiveLocalOriginFailures(2));

        record(0, REFUSED, 1);
        record(0, FAILURE, 1);   // an answered 500 breaks the local-origin run, not the failure run
        record(0, REFUSED, 1);
        assertThat(events).isEmpty();
        record(0, REFUSED, 1);

        assertThat(events).containsExactly("ejected r1-a-0 CONSECUTIVE_LOCAL_ORIGIN_FAILURES 30000ms");
    }

    @Test
    void gatewayFailuresAreOffByDefaultAndHaveTheirOwnThresholdWhenOn() {
        detector(3, OutlierDetectionPolicy.builder().consecutiveFailures(0));
        record(0, GATEWAY, 10);
        assertThat(events).isEmpty();
        detector.close();

        detector(3, OutlierDetectionPolicy.builder().consecutiveFailures(0).consecutiveGatewayFailures(3));
        record(0, GATEWAY, 2);
        record(0, FAILURE, 1);
        record(0, GATEWAY, 2);
        assertThat(events).isEmpty();
        record(0, GATEWAY, 1);
        assertThat(events).containsExactly("ejected r1-a-0 CONSECUTIVE_GATEWAY_FAILURES 30000ms");
    }

    @Test
    void failurePercentageEjectsAtTheIntervalWhenEnoughHostsHaveVolume() {
        detector(6, OutlierDetectionPolicy.builder().consecutiveFailures(0).consecutiveLocalOriginFailures(0)
                .successRateEnabled(false));
        for (int host = 0; host < 6; host++) {
            for (int i = 0; i < 50; i++) {
                // host 5 fails 9 in 10 (90 % ≥ 85 %); host 4 fails 8 in 10 (80 %, below)
                boolean fails = host == 5 ? i % 10 != 0 : host == 4 && i % 10 < 8;
                detector.record(endpoints.get(host), fails ? FAILURE : Outcome.success());
            }
        }
        assertThat(events).isEmpty();

        time.advance(Duration.ofSeconds(10));

        assertThat(events).containsExactly("ejected r1-a-5 FAILURE_PERCENTAGE 30000ms");
    }

    @Test
    void failurePercentageNeedsTheMinimumNumberOfHosts() {
        detector(4, OutlierDetectionPolicy.builder().consecutiveFailures(0).successRateEnabled(false));
        for (int host = 0; host < 4; host++) {
            record(host, host == 3 ? FAILURE : Outcome.success(), 60);
        }

        time.advance(Duration.ofSeconds(10));

        assertThat(events).isEmpty();
    }

    @Test
    void successRateEjectsHostsFarBelowTheirPeers() {
        detector(6, OutlierDetectionPolicy.builder().consecutiveFailures(0).failurePercentageEnabled(false));
        for (int host = 0; host < 6; host++) {
            for (int i = 0; i < 100; i++) {
                // hosts 0-4: 99 % or 100 % success; host 5: 70 %
                boolean fails = host == 5 ? i % 10 < 3 : host % 2 == 0 && i == 0;
                detector.record(endpoints.get(host), fails ? FAILURE : Outcome.success());
            }
        }

        time.advance(Duration.ofSeconds(10));

        assertThat(events).containsExactly("ejected r1-a-5 SUCCESS_RATE 30000ms");
    }

    @Test
    void successRateIgnoresHostsBelowTheRequestVolume() {
        detector(6, OutlierDetectionPolicy.builder().consecutiveFailures(0).failurePercentageEnabled(false));
        for (int host = 0; host < 6; host++) {
            record(host, host == 5 ? FAILURE : Outcome.success(), host == 5 ? 99 : 100);
        }

        time.advance(Duration.ofSeconds(10));

        assertThat(events).isEmpty();
    }

    @Test
    void intervalCountersStartAfreshEachInterval() {
        detector(6, OutlierDetectionPolicy.builder().consecutiveFailures(0).successRateEnabled(false));
        for (int host = 0; host < 6; host++) {
            record(host, host == 5 ? FAILURE : Outcome.success(), 30);
        }
        time.advance(Duration.ofSeconds(10)); // 30 requests each: below the volume of 50
        for (int host = 0; host < 6; host++) {
            record(host, host == 5 ? FAILURE : Outcome.success(), 30);
        }
        time.advance(Duration.ofSeconds(10));

        assertThat(events).isEmpty();
    }

    /**
     * The drill's second drop (issue 13): an endpoint's zone breaker opened on its failures, the zone
     * healed and came back, and the next interval judged the endpoint on the failures from before.
     */
    @Test
    void intervalRulesOnlyCountAttemptsSinceTheEndpointsZoneCameBack() {
        List<Endpoint> list = new ArrayList<>(zone("r1", "r1-a", 1, 0));
        list.addAll(zone("r1", "r1-b", 5, 0));
        detector(list, OutlierDetectionPolicy.builder().consecutiveFailures(0).consecutiveLocalOriginFailures(0),
                0.0);
        record(0, FAILURE, 400); // r1-a-0 fails...
        lb.setZoneAvailable(Locality.of("r1", "r1-a"), false); // ...its zone breaker opens
        time.advance(Duration.ofSeconds(5));
        lb.setZoneAvailable(Locality.of("r1", "r1-a"), true); // healed: the breaker lets it back
        for (int host = 0; host < 6; host++) {
            record(host, Outcome.success(), 60);
        }

        time.advance(Duration.ofSeconds(5)); // the interval that began before the zone opened ends

        assertThat(events).isEmpty();
        assertThat(state(0)).isEqualTo(EndpointState.AVAILABLE);
    }

    @Test
    void intervalRulesOnlyCountAttemptsSinceTheEndpointReturnedFromEjection() {
        detector(6, OutlierDetectionPolicy.builder().consecutiveFailures(0).consecutiveLocalOriginFailures(0)
                .baseEjectionTime(Duration.ofSeconds(3)).maxEjectionTimeJitter(Duration.ZERO).successRateEnabled(false));
        record(0, FAILURE, 100);
        for (int host = 1; host < 6; host++) {
            record(host, Outcome.success(), 60);
        }
        time.advance(Duration.ofSeconds(10)); // ejected for 3 s at t=10
        record(0, FAILURE, 40); // attempts that were in flight end while it is out
        time.advance(Duration.ofSeconds(3)); // back at t=13
        for (int host = 0; host < 6; host++) {
            record(host, Outcome.success(), 60);
        }

        time.advance(Duration.ofSeconds(7)); // the interval ending at t=20

        assertThat(events).containsExactly("ejected r1-a-0 FAILURE_PERCENTAGE 3000ms", "returned r1-a-0");
    }

    @Test
    void passingHealthChecksReturnAnEjectedEndpointAtOnceWithItsCountersCleared() {
        detector(3, OutlierDetectionPolicy.builder());
        record(0, FAILURE, 5);
        record(1, FAILURE, 4);

        detector.healthCheckPassed("r1-a-0", "2 probes passed");
        detector.healthCheckPassed("r1-a-1", "not ejected: nothing to do");

        assertThat(events).containsExactly("ejected r1-a-0 CONSECUTIVE_FAILURES 30000ms", "returned r1-a-0");
        assertThat(state(0)).as("confirmed by health checks: known-good, not only probed")
                .isEqualTo(EndpointState.AVAILABLE);
        record(0, FAILURE, 4);
        assertThat(detector.ejected()).isEmpty(); // the run of failures started again
        time.advance(Duration.ofSeconds(30));
        assertThat(events).hasSize(2); // the cancelled return timer does not fire
    }

    @Test
    void anEndpointEjectedAgainWhileProbedIsKnownGoodOnceHealthChecksConfirmIt() {
        detector(3, OutlierDetectionPolicy.builder().maxEjectionTimeJitter(Duration.ZERO));
        record(0, FAILURE, 5);
        time.advance(Duration.ofSeconds(30));
        assertThat(state(0)).isEqualTo(EndpointState.PROBING);
        record(0, FAILURE, 5); // its probes fail: out again, for 60 s

        detector.healthCheckPassed("r1-a-0", "2 probes passed");

        assertThat(state(0)).as("confirmed by health checks: known-good, not left only probed")
                .isEqualTo(EndpointState.AVAILABLE);
    }

    @Test
    void healthChecksDoNotUnejectWhenThePolicySaysSo() {
        detector(3, OutlierDetectionPolicy.builder().successfulHealthCheckUnejects(false));
        record(0, FAILURE, 5);

        detector.healthCheckPassed("r1-a-0", "2 probes passed");

        assertThat(detector.ejected()).containsExactly("r1-a-0");
    }

    @Test
    void theRegistryReportingAnEjectedEndpointPassingAgainReturnsIt() {
        detector(3, OutlierDetectionPolicy.builder());
        record(0, FAILURE, 5);
        Endpoint critical = endpoints.get(0).toBuilder().health(HealthStatus.CRITICAL).build();
        registry.replace(TestEndpoints.SERVICE, List.of(critical, endpoints.get(1), endpoints.get(2)));
        assertThat(state(0)).isEqualTo(EndpointState.UNHEALTHY);

        registry.replace(TestEndpoints.SERVICE, endpoints);

        assertThat(events).containsExactly("ejected r1-a-0 CONSECUTIVE_FAILURES 30000ms", "returned r1-a-0");
        assertThat(state(0)).as("confirmed by health checks: known-good, not only probed")
                .isEqualTo(EndpointState.AVAILABLE);
    }

    @Test
    void maxEjectionPercentCapsHowManyAreOut() {
        detector(4, OutlierDetectionPolicy.builder().maxEjectionPercent(50));

        record(0, FAILURE, 5);
        record(1, FAILURE, 5);
        record(2, FAILURE, 5);

        assertThat(detector.ejected()).containsExactlyInAnyOrder("r1-a-0", "r1-a-1");
        assertThat(state(2)).isEqualTo(EndpointState.AVAILABLE);
    }

    @Test
    void byDefaultAWholeZoneCanLeaveThePool() {
        detector(2, OutlierDetectionPolicy.builder());

        record(0, REFUSED, 5);
        record(1, REFUSED, 5);

        assertThat(detector.ejected()).containsExactlyInAnyOrder("r1-a-0", "r1-a-1");
    }

    @Test
    void disabledDetectionDoesNothing() {
        detector(3, OutlierDetectionPolicy.builder().enabled(false));

        record(0, FAILURE, 50);
        time.advance(Duration.ofMinutes(5));

        assertThat(events).isEmpty();
        assertThat(time.pendingTimers()).isZero();
    }

    @Test
    void endpointsThatLeaveTheRegistryAreForgotten() {
        detector(3, OutlierDetectionPolicy.builder());
        record(0, FAILURE, 5);

        registry.replace(TestEndpoints.SERVICE, endpoints.subList(1, 3));
        time.advance(Duration.ofSeconds(10));

        assertThat(detector.ejected()).isEmpty();
        time.advance(Duration.ofSeconds(30));
        assertThat(events).containsExactly("ejected r1-a-0 CONSECUTIVE_FAILURES 30000ms");
    }

    @Test
    void closingStopsTheTimers() {
        detector(3, OutlierDetectionPolicy.builder());
        record(0, FAILURE, 5);

        detector.close();

        assertThat(time.pendingTimers()).isZero();
    }

    @Test
    void badPoliciesNameTheProperty() {
        assertInvalid(() -> OutlierDetectionPolicy.builder().consecutiveFailures(-1), "consecutiveFailures", -1,
                "must be at least 0");
        assertInvalid(() -> OutlierDetectionPolicy.builder().maxEjectionPercent(101), "maxEjectionPercent", "101%",
                "must be between 0% and 100%");
        assertInvalid(() -> OutlierDetectionPolicy.builder().interval(Duration.ZERO), "interval", Duration.ZERO,
                "must be positive");
        assertInvalid(() -> OutlierDetectionPolicy.builder().successRateStdevFactor(0), "successRateStdevFactor",
                0.0, "must be a positive number");
        assertInvalid(() -> OutlierDetectionPolicy.builder().maxEjectionTimeJitter(Duration.ofSeconds(-1)),
                "maxEjectionTimeJitter", Duration.ofSeconds(-1), "must be zero or positive");
        // A conflict names the value that was given, not the default it conflicts with.
        assertInvalid(() -> OutlierDetectionPolicy.builder().baseEjectionTime(Duration.ofMinutes(10)).build(),
                "baseEjectionTime", Duration.ofMinutes(10), "must be at most the max ejection time (5m)");
        assertInvalid(() -> OutlierDetectionPolicy.builder().maxEjectionTime(Duration.ofSeconds(10)).build(),
                "maxEjectionTime", Duration.ofSeconds(10), "must be at least the base ejection time (30s)");
        assertThatThrownBy(() -> OutlierDetectionPolicy.builder().interval(Duration.ZERO))
                .hasMessage("interval must be positive, but was 0s");
    }
}
