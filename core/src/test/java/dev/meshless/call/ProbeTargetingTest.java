package dev.meshless.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.balancer.EndpointState;
import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.health.HealthCheckPolicy;
import dev.meshless.outcome.Outcome;
import dev.meshless.outlier.OutlierDetectionPolicy;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which attempts an endpoint only being probed (back from ejection, not yet answered) may take
 * (issue 13): never the first attempt of a call that could not be repeated after it while
 * known-good capacity exists, and the retry of a call that has no known-good endpoint left. Two
 * endpoints in the caller's zone, half of the first attempts planned for probes, simulated time.
 */
class ProbeTargetingTest {

    private static final Locality CALLER = Locality.of("r1", "r1-a");
    private static final String RETURNING = "r1-a-0";
    private static final String KNOWN_GOOD = "r1-a-1";

    private final FakeTime time = new FakeTime();
    private final Map<String, Integer> attempts = new TreeMap<>();
    private List<Endpoint> endpoints;
    private ServiceClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private void start() {
        start(50);
    }

    private void start(double probeSharePercent) {
        endpoints = TestEndpoints.zone("r1", "r1-a", 2, 0);
        client = ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(endpoints))
                .caller(CALLER).timeSource(time).jitter(() -> 0.0)
                .balancingPolicy(LoadBalancingPolicy.builder().probeSharePercent(probeSharePercent).build())
                .callPolicy(CallPolicy.builder()
                        .outlierDetection(OutlierDetectionPolicy.builder().maxEjectionTimeJitter(Duration.ZERO).build())
                        .healthCheck(HealthCheckPolicy.builder().enabled(false).build())
                        .build())
                .build();
    }

    /** Ejects {@link #RETURNING} by five failures and lets its 30 s ejection run out: it is only probed. */
    private void ejectAndReturn() {
        for (int i = 0; i < 5; i++) {
            client.outlierDetector().record(endpoints.get(0), Outcome.endpointFailure("HTTP 500", false));
        }
        assertThat(state(RETURNING)).isEqualTo(EndpointState.EJECTED);
        time.advance(Duration.ofSeconds(30));
        assertThat(state(RETURNING)).isEqualTo(EndpointState.PROBING);
    }

    /** Makes calls, every attempt answering; @return the endpoints their attempts went to, counted */
    private Map<String, Integer> calls(int n, CallOptions options) {
        attempts.clear();
        for (int i = 0; i < n; i++) {
            client.call(a -> attempts.merge(a.endpoint().id(), 1, Integer::sum), options);
        }
        return attempts;
    }

    @Test
    void aCallThatMayNotBeRepeatedNeverTakesAProbeWhileKnownGoodCapacityExists() {
        start();
        ejectAndReturn();

        assertThat(calls(200, CallOptions.method("POST"))).as("POST is not retried").containsOnlyKeys(KNOWN_GOOD);
        assertThat(calls(200, CallOptions.method("GET")))
                .as("a GET may be a probe; the first answer ends probing").containsKey(RETURNING);
        assertThat(state(RETURNING)).isEqualTo(EndpointState.AVAILABLE);
    }

    /**
     * A service whose calls are all POSTs never probes a returning endpoint; after one
     * outlier-detection interval (10 s) with no attempt on it, it is known-good again, as Envoy
     * returns a host fully when its ejection ends.
     */
    @Test
    void aReturningEndpointThatNoCallProbesForAnIntervalIsKnownGoodAgain() {
        start();
        ejectAndReturn();

        for (int s = 0; s < 9; s++) {
            assertThat(calls(20, CallOptions.method("POST"))).containsOnlyKeys(KNOWN_GOOD);
            time.advance(Duration.ofSeconds(1));
        }
        assertThat(state(RETURNING)).isEqualTo(EndpointState.PROBING);
        time.advance(Duration.ofSeconds(1));

        assertThat(state(RETURNING)).isEqualTo(EndpointState.AVAILABLE);
        assertThat(calls(200, CallOptions.method("POST"))).containsKeys(KNOWN_GOOD, RETURNING);
    }

    /**
     * With the only known-good endpoint failed by this call, the retry goes to the returning one
     * rather than ending the call with no endpoint. Probing is set on the balancer directly, so that
     * answers do not end it; the default 5 % probe share sends nearly every first attempt to the
     * known-good endpoint.
     */
    @Test
    void aRetryTakesAReturningEndpointWhenTheCallHasNoKnownGoodEndpointLeft() {
        start(LoadBalancingPolicy.DEFAULT_PROBE_SHARE_PERCENT);
        client.balancer().setProbing(RETURNING, true);
        List<String> results = new ArrayList<>();

        for (int i = 0; i < 4; i++) { // fewer than the five failures in a row that would eject the known-good one
            results.add(client.call(a -> {
                attempts.merge(a.endpoint().id(), 1, Integer::sum);
                if (a.endpoint().id().equals(KNOWN_GOOD)) {
                    throw new java.io.IOException("Connection reset");
                }
                return a.endpoint().id();
            }, CallOptions.method("GET")));
        }

        assertThat(results).containsOnly(RETURNING);
        assertThat(attempts.get(KNOWN_GOOD)).as("first attempts went to the known-good endpoint").isPositive();
        assertThat(state(RETURNING)).isEqualTo(EndpointState.PROBING);
    }

    private EndpointState state(String id) {
        return client.balancer().plan().endpoints().stream().filter(e -> e.endpoint().id().equals(id))
                .map(e -> e.state()).findFirst().orElseThrow();
    }
}
