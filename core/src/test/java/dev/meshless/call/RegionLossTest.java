package dev.meshless.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.balancer.EndpointState;
import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.health.HealthCheckPolicy;
import dev.meshless.outlier.OutlierDetectionPolicy;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's report, replayed on simulated time: a caller in one of three regions with no region
 * order, 200 calls per second, and two regions then lost while the third is healthy. Ejections are
 * shorter than the loss (2 s base, 4 s max, no jitter, as in the failover drill), so endpoints of
 * the dead regions come back and are probed again and again while it lasts. While some zone can
 * serve, no call may fail.
 */
class RegionLossTest {

    private static final Locality CALLER = Locality.of("r1", "r1-a");
    private static final Duration TICK = Duration.ofMillis(5); // 200 calls per second

    private final FakeTime time = new FakeTime();
    private final Set<String> deadRegions = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> attemptsByRegion = new TreeMap<>();
    private ServiceClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private static List<Endpoint> threeRegions() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String region : List.of("r1", "r2", "r3")) {
            for (String zone : List.of("a", "b", "c")) {
                endpoints.addAll(TestEndpoints.zone(region, region + "-" + zone, 2, 0));
            }
        }
        return endpoints;
    }

    private void start() {
        client = ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(threeRegions()))
                .caller(CALLER)
                .timeSource(time)
                .jitter(() -> 0.5)
                .callPolicy(CallPolicy.builder()
                        .outlierDetection(OutlierDetectionPolicy.builder()
                                .baseEjectionTime(Duration.ofSeconds(2))
                                .maxEjectionTime(Duration.ofSeconds(4))
                                .maxEjectionTimeJitter(Duration.ZERO)
                                .build())
                        .build())
                .build();
    }

    /** Calls at 200 per second for the given time; returns the failed calls' messages. */
    private List<String> run(Duration duration) {
        List<String> failures = new ArrayList<>();
        long ticks = duration.toMillis() / TICK.toMillis();
        for (long i = 0; i < ticks; i++) {
            try {
                client.call(a -> {
                    String region = a.endpoint().locality().region();
                    attemptsByRegion.merge(region, 1, Integer::sum);
                    if (deadRegions.contains(region)) {
                        throw new ConnectException("Connection refused");
                    }
                    return "ok";
                }, CallOptions.method("GET"));
            } catch (ServiceCallException e) {
                failures.add(e.getMessage());
            }
            time.advance(TICK);
        }
        return failures;
    }

    @RepeatedTest(10) // picks are random: several runs
    void noCallFailsWhenTwoOfThreeRegionsAreLostAndTheirEndpointsAreProbed() {
        start();
        assertThat(run(Duration.ofSeconds(2))).isEmpty();

        deadRegions.addAll(List.of("r1", "r2"));
        List<String> failures = run(Duration.ofSeconds(20));

        assertThat(failures).as("failed calls of %d while r3 could serve", 20_000 / TICK.toMillis()).isEmpty();
        assertThat(attemptsByRegion.get("r3")).isPositive();
    }

    @RepeatedTest(10)
    void noCallFailsWhenTheFarthestRegionsAreLost() {
        start();
        assertThat(run(Duration.ofSeconds(2))).isEmpty();

        deadRegions.addAll(List.of("r2", "r3"));
        List<String> failures = run(Duration.ofSeconds(20));

        assertThat(failures).isEmpty();
    }

    /**
     * A half-open zone breaker with no probe permit left refuses an attempt: that is the breaker
     * rationing its probes, not the zone failing, so the call goes on in the caller's region (the
     * next zone) rather than leaving it.
     */
    @Test
    void aProbeRefusedByAHalfOpenZoneIsRetriedInTheCallersRegion() {
        halfOpenCallerZone(1);

        assertThat(attemptsWhileAPermitIsHeld()).as("refused by r1-a's breaker, the calls stay in r1")
                .containsOnly("r1-b");
    }

    /** The same once a probe answered: the zone takes its share again while the breaker is still half-open. */
    @Test
    void aHalfOpenZoneThatAnsweredKeepsRefusedCallsInTheCallersRegion() {
        halfOpenCallerZone(2);
        while (state("r1-a-0") == EndpointState.PROBING) {
            client.call(a -> "ok", CallOptions.method("GET"));
        }

        assertThat(attemptsWhileAPermitIsHeld()).as("refused by r1-a's breaker, the calls stay in r1")
                .containsOnly("r1-b");
    }

    /** Opens the breaker of the caller's zone r1-a by failures, then lets it half-open with that many permits. */
    private void halfOpenCallerZone(int permits) {
        client = ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(TestEndpoints.concat(TestEndpoints.zone("r1", "r1-a", 2, 0),
                        TestEndpoints.zone("r1", "r1-b", 2, 0), TestEndpoints.zone("r2", "r2-a", 2, 0))))
                .caller(CALLER).timeSource(time).jitter(() -> 0.0)
                .balancingPolicy(LoadBalancingPolicy.builder().probeSharePercent(50).build())
                .callPolicy(CallPolicy.builder()
                        .outlierDetection(OutlierDetectionPolicy.builder().enabled(false).build())
                        .healthCheck(HealthCheckPolicy.builder().enabled(false).build())
                        .zoneBreaker(CircuitBreakerConfig.custom()
                                .slidingWindow(10, 10, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                                .waitDurationInOpenState(Duration.ofSeconds(10))
                                .permittedNumberOfCallsInHalfOpenState(permits).build())
                        .build())
                .build();
        // r1-a fails until its breaker opens; the calls' retries answer from r1-b.
        for (int i = 0; i < 10; i++) {
            client.call(a -> {
                if (a.endpoint().locality().sameZoneAs(CALLER)) {
                    throw new java.io.IOException("connection reset");
                }
                return "ok";
            }, CallOptions.method("GET"));
        }
        assertThat(state("r1-a-0")).isEqualTo(EndpointState.ZONE_UNAVAILABLE);
        time.advance(Duration.ofSeconds(10));
        assertThat(state("r1-a-0")).as("half-open").isEqualTo(EndpointState.PROBING);
    }

    /**
     * Calls until one's attempt holds r1-a's last permit, and while it does makes 50 calls, which are
     * refused by r1-a's breaker when they pick it.
     *
     * @return the zones where those 50 calls' attempts went
     */
    private List<String> attemptsWhileAPermitIsHeld() {
        List<String> nestedAttempts = new ArrayList<>();
        boolean held = false;
        for (int i = 0; i < 200 && !held; i++) {
            held = client.call(a -> {
                if (!a.endpoint().locality().sameZoneAs(CALLER)) {
                    return false;
                }
                for (int n = 0; n < 50; n++) {
                    client.call(b -> nestedAttempts.add(b.endpoint().locality().zone()), CallOptions.method("GET"));
                }
                return true;
            }, CallOptions.method("GET"));
        }
        assertThat(held).as("an attempt went to r1-a").isTrue();
        return nestedAttempts;
    }

    private EndpointState state(String id) {
        return client.balancer().plan().endpoints().stream().filter(e -> e.endpoint().id().equals(id))
                .map(e -> e.state()).findFirst().orElseThrow();
    }
}
