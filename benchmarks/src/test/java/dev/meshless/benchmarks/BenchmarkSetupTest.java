package dev.meshless.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshless.benchmarks.drill.InboundOverloadDrill;
import dev.meshless.call.ServiceClient;
import dev.meshless.spring.boot.shedding.LoadShedder;
import dev.meshless.spring.boot.shedding.Priority;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs every benchmark's trial setup, with its routing checks, for every parameter combination,
 * so that a core change that breaks a scenario fails the build rather than the next manual run.
 * Measures nothing.
 */
class BenchmarkSetupTest {

    @ParameterizedTest
    @CsvSource({"10, healthy", "100, healthy", "1000, healthy",
            "10, local-zone-degraded", "100, local-zone-degraded", "1000, local-zone-degraded"})
    void meshlessSetupRoutesAsTheScenarioIntends(int endpoints, String scenario) {
        MeshlessPickBenchmark benchmark = new MeshlessPickBenchmark();
        benchmark.endpoints = endpoints;
        benchmark.scenario = scenario;
        benchmark.setUp();
        try {
            assertNotNull(benchmark.pick());
            assertNotNull(benchmark.retryPick());
        } finally {
            benchmark.tearDown();
        }
    }

    @ParameterizedTest
    @CsvSource({"10, healthy", "100, healthy", "1000, healthy",
            "10, local-zone-degraded", "100, local-zone-degraded", "1000, local-zone-degraded"})
    void springCloudSetupChoosesInTheCallersZone(int endpoints, String scenario) {
        SpringCloudLoadBalancerBenchmark benchmark = new SpringCloudLoadBalancerBenchmark();
        benchmark.endpoints = endpoints;
        benchmark.scenario = scenario;
        benchmark.setUp();
        assertNotNull(benchmark.choose().getServer());
    }

    @ParameterizedTest
    @ValueSource(strings = {"off", "on"})
    void adaptiveConcurrencySetupServesAndGivesEverySlotBack(String adaptive) {
        AdaptiveConcurrencyBenchmark benchmark = new AdaptiveConcurrencyBenchmark();
        benchmark.adaptive = adaptive;
        benchmark.setUp();
        try {
            assertNotNull(benchmark.call());
        } finally {
            benchmark.tearDown();
        }
        AdaptiveConcurrencyBenchmark wrong = new AdaptiveConcurrencyBenchmark();
        wrong.adaptive = "maybe";
        assertThrows(IllegalArgumentException.class, wrong::setUp);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gradient2", "vegas", "envoy-gradient"})
    void loadSheddingAdmitsEveryRequestAndGivesEachPlaceBack(String algorithm) {
        LoadSheddingBenchmark benchmark = new LoadSheddingBenchmark();
        benchmark.algorithm = algorithm;
        benchmark.setUp();
        for (int i = 0; i < 10_000; i++) {
            benchmark.request();
        }
        assertEquals(algorithm, benchmark.shedder().algorithm().name().toLowerCase(java.util.Locale.ROOT)
                .replace('_', '-'));
        assertEquals(0, benchmark.shedder().inFlight());
        benchmark.tearDown();
        LoadSheddingBenchmark wrong = new LoadSheddingBenchmark();
        wrong.algorithm = "aimd";
        assertThrows(IllegalArgumentException.class, wrong::setUp);
    }

    @Test
    void inboundDrillHoldsItsFixedLimitAtTheEndpointsWorkersForNormalRequests() {
        InboundOverloadDrill.Settings settings = InboundOverloadDrill.Settings.of(Map.of());
        Map<String, Object> fixed = InboundOverloadDrill.properties("fixed", settings);
        int limit = settings.fixedLimit();
        assertEquals(List.of(limit, limit, limit), List.of(fixed.get("meshless.load-shedding.min-limit"),
                fixed.get("meshless.load-shedding.max-limit"), fixed.get("meshless.load-shedding.initial-limit")));
        // The shedder admits exactly the endpoint's workers of normal requests at that limit.
        LoadShedder shedder = LoadShedder.builder().minLimit(limit).maxLimit(limit).initialLimit(limit).build();
        for (int i = 0; i < settings.workers(); i++) {
            assertNotNull(shedder.acquire(Priority.NORMAL), "request " + (i + 1));
        }
        assertNull(shedder.acquire(Priority.NORMAL));

        for (String algorithm : List.of("gradient2", "vegas", "envoy-gradient")) {
            Map<String, Object> adaptive = InboundOverloadDrill.properties(algorithm, settings);
            assertEquals(algorithm, adaptive.get("meshless.load-shedding.algorithm"));
            assertEquals(settings.minLimit(), adaptive.get("meshless.load-shedding.min-limit"));
        }
        assertEquals("false", InboundOverloadDrill.properties("bulkhead", settings).get("meshless.load-shedding.enabled"));
        assertThrows(IllegalArgumentException.class, () -> InboundOverloadDrill.properties("aimd", settings));
    }

    @Test
    void callPathSetupsServeInTheCallersZoneAtTheFirstAttempt() {
        CallPathBenchmark benchmark = new CallPathBenchmark();

        CallPathBenchmark.DirectState direct = new CallPathBenchmark.DirectState();
        direct.setUp();
        assertEquals(direct.endpoint.port(), benchmark.direct(direct));

        CallPathBenchmark.MeshlessState meshless = new CallPathBenchmark.MeshlessState();
        assertServes(meshless::setUp, () -> benchmark.meshless(meshless), meshless::tearDown);
        CallPathBenchmark.MeshlessWithMicrometerState micrometer = new CallPathBenchmark.MeshlessWithMicrometerState();
        assertServes(micrometer::setUp, () -> benchmark.meshlessWithMicrometer(micrometer), micrometer::tearDown);
        CallPathBenchmark.MeshlessWithBreakerMetersState breakerMeters =
                new CallPathBenchmark.MeshlessWithBreakerMetersState();
        assertServes(breakerMeters::setUp, () -> benchmark.meshlessWithBreakerMeters(breakerMeters),
                breakerMeters::tearDown);
        for (String handler : List.of(CallPathBenchmark.MeshlessObservedState.TIMERS,
                CallPathBenchmark.MeshlessObservedState.NO_OP_HANDLER)) {
            CallPathBenchmark.MeshlessObservedState observed = new CallPathBenchmark.MeshlessObservedState();
            observed.handler = handler;
            assertServes(observed::setUp, () -> benchmark.meshlessObserved(observed), observed::tearDown);
        }
        for (String handler : List.of(CallPathBenchmark.MeshlessObservedState.TIMERS,
                CallPathBenchmark.MeshlessObservedState.NO_OP_HANDLER)) {
            CallPathBenchmark.OneObservationState one = new CallPathBenchmark.OneObservationState();
            one.handler = handler;
            assertServes(one::setUp, () -> benchmark.oneObservation(one), one::tearDown);
        }
        CallPathBenchmark.MeshlessNoopObservationRegistryState noopObservations =
                new CallPathBenchmark.MeshlessNoopObservationRegistryState();
        assertServes(noopObservations::setUp, () -> benchmark.meshlessWithNoopObservationRegistry(noopObservations),
                noopObservations::tearDown);

        CallPathBenchmark.Resilience4jState resilience4j = new CallPathBenchmark.Resilience4jState();
        resilience4j.setUp();
        assertEquals(resilience4j.endpoint.port(), benchmark.resilience4jDecorators(resilience4j));

        CallPathBenchmark.Resilience4jWithMetersState resilience4jMeters =
                new CallPathBenchmark.Resilience4jWithMetersState();
        assertServes(resilience4jMeters::setUp, () -> benchmark.resilience4jDecoratorsWithMeters(resilience4jMeters),
                resilience4jMeters::tearDown);
    }

    /** Runs a trial's setup, one call, and its tear-down. */
    private static void assertServes(Runnable setUp, Supplier<Integer> call, Runnable tearDown) {
        setUp.run();
        try {
            assertNotNull(call.get());
        } finally {
            tearDown.run();
        }
    }

    @Test
    void allOfMeshlessMetersIncludeTheBreakerGaugesAndNoPerCallBreakerTimer() {
        MeshlessCall call = new MeshlessCall(MeshlessCall.MICROMETER);
        try {
            assertEquals(1.0, call.meters().get("meshless.zone.breaker.state").tags("zone", Topology.CALLER.zone(),
                    "state", "closed").gauge().value());
            assertEquals(1.0, call.meters().get("meshless.service.breaker.state").tags("state", "closed").gauge()
                    .value());
            assertTrue(call.meters().find("resilience4j.circuitbreaker.calls").timers().isEmpty());
        } finally {
            call.close();
        }
    }

    @Test
    void aBaselineBuildRunsOnItsOwnCoreApartFromTheCurrentOne() throws Exception {
        // The current core, loaded apart as if it were another build's: what build=baseline does.
        URL core = ServiceClient.class.getProtectionDomain().getCodeSource().getLocation();
        Supplier<Integer> baseline = OtherBuild.meshlessCall(core, MeshlessCall.PLAIN);
        try {
            assertNotEquals(MeshlessCall.class, baseline.getClass(), "loaded by its own class loader");
            assertNotEquals(ServiceClient.class, baseline.getClass().getClassLoader()
                    .loadClass(ServiceClient.class.getName()), "on its own core");
            // One call, asked once: each call may go to the other local endpoint.
            int port = baseline.get();
            assertTrue(MeshlessCall.localEndpoints(Topology.endpoints(MeshlessCall.ENDPOINTS, Topology.HEALTHY))
                    .stream().anyMatch(e -> e.port() == port), "served in the caller's zone, but by port " + port);
        } finally {
            ((AutoCloseable) baseline).close();
        }
    }

    @Test
    void aBaselineBuildWithoutItsCoreJarFailsTheTrialSayingWhy() {
        CallPathBenchmark.MeshlessState state = new CallPathBenchmark.MeshlessState();
        state.build = CallPathBenchmark.BASELINE;
        String before = System.clearProperty(OtherBuild.CORE_JAR);
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, state::setUp);
            assertTrue(e.getMessage().startsWith("build=baseline needs -Dmeshless.baseline.core="), e.getMessage());
        } finally {
            if (before != null) {
                System.setProperty(OtherBuild.CORE_JAR, before);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 100, 1000})
    void degradedScenarioMakesUpToHalfOfTheCallersZoneCriticalAndNothingElse(int endpoints) {
        List<Endpoint> fleet = Topology.endpoints(endpoints, Topology.LOCAL_ZONE_DEGRADED);
        assertEquals(endpoints, fleet.size());
        long critical = fleet.stream().filter(e -> e.health() == HealthStatus.CRITICAL).count();
        long inCallerZone = fleet.stream().filter(e -> e.locality().equals(Topology.CALLER)).count();
        long criticalInCallerZone = fleet.stream()
                .filter(e -> e.health() == HealthStatus.CRITICAL && e.locality().equals(Topology.CALLER))
                .count();
        assertTrue(critical > 0, "some endpoint is critical");
        assertEquals(critical, criticalInCallerZone, "only the caller's zone is degraded");
        // At most half: the zone stays at or above the 50 % panic threshold and keeps part of the traffic.
        assertTrue(2 * critical <= inCallerZone, critical + " of " + inCallerZone + " critical");
        assertTrue(2 * (critical + 1) > inCallerZone, "as close to half as the zone's size allows");
        assertEquals(endpoints - critical, Topology.instances(fleet).length);
    }

    @Test
    void rateLimitSetupsHoldTheirKeysAndNeverReject() {
        RateLimitBenchmark benchmark = new RateLimitBenchmark();
        RateLimitBenchmark.Resilience4j r4j = new RateLimitBenchmark.Resilience4j();
        RateLimitBenchmark.Local local = new RateLimitBenchmark.Local();
        RateLimitBenchmark.PerKey perKey = new RateLimitBenchmark.PerKey();
        r4j.setUp();
        local.setUp();
        perKey.setUp();
        for (int i = 0; i < 1_000; i++) {
            assertEquals(true, benchmark.resilience4jAtomicRateLimiter(r4j));
            assertEquals(true, benchmark.meshlessLocal(local));
            assertEquals(true, benchmark.meshlessLocalWarmingUp(local));
            assertEquals(true, benchmark.meshlessPerKey100kKeys(perKey));
        }
        assertEquals(RateLimitBenchmark.KEYS, perKey.limiter.trackedKeys());
    }

    @ParameterizedTest
    @CsvSource({"none", "batching", "predicting"})
    void redisSetupsDecideInRedis(String optimization) throws Exception {
        RedisRateLimitBenchmark benchmark = new RedisRateLimitBenchmark();
        RedisRateLimitBenchmark.Exact exact = new RedisRateLimitBenchmark.Exact();
        exact.optimization = optimization;
        exact.setUp();
        try {
            assertEquals(1_000_000_000, benchmark.exact(exact).limit());
        } finally {
            exact.tearDown();
        }
    }
}
