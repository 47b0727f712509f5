package dev.meshless.benchmarks;

import dev.meshless.call.AttemptFunction;
import dev.meshless.call.CallOptions;
import dev.meshless.call.ServiceClient;
import dev.meshless.micrometer.MicrometerCallMetrics;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.topology.Endpoint;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.decorators.Decorators;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the resilient call path adds around a call that does nothing: the same no-op (read the
 * endpoint's port, boxed) called directly, through {@link ServiceClient#call} with the default
 * policy (service breaker, zone breakers, outlier detection and retry budget all on), the same with
 * Micrometer meters, the same with Resilience4j's breaker meters bound as well, and through
 * Resilience4j's {@link Decorators} with a circuit breaker and a retry, bare and with their meters.
 * Every call succeeds at the first attempt, so this is the happy path every call pays.
 *
 * <p>Each variant has its own state, so a trial builds and checks only what it measures and the
 * call sites inside {@link ServiceClient} see one metrics implementation, as in an application.
 * Each setup fails the trial unless calls are served in the caller's zone at the first attempt.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(3)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class CallPathBenchmark {

    /** Endpoints in each of the six zones. */
    static final int PER_ZONE = 2;
    static final int ENDPOINTS = PER_ZONE * Topology.ZONES.size();
    /** Calls each setup makes and checks before measuring. */
    static final int CHECK_CALLS = 1_000;

    /** The no-op through Meshless. Boxes the port, as every variant does, to return it generically. */
    static final AttemptFunction<Integer> PORT = attempt -> attempt.endpoint().port();

    /** The direct baseline: the same work on a fixed endpoint. */
    @State(Scope.Benchmark)
    public static class DirectState {
        Endpoint endpoint;
        Function<Endpoint, Integer> port;

        /** Picks the endpoint; fails unless the function reads its port. */
        @Setup(Level.Trial)
        public void setUp() {
            endpoint = localEndpoints(Topology.endpoints(ENDPOINTS, Topology.HEALTHY)).get(0);
            port = Endpoint::port;
            if (port.apply(endpoint) != endpoint.port()) {
                throw new IllegalStateException("the direct function does not return the endpoint's port");
            }
        }
    }

    /** A {@link ServiceClient} with every default, metrics included ({@code CallMetrics.NOOP}). */
    @State(Scope.Benchmark)
    public static class MeshlessState {
        ServiceClient client;

        /** Builds the client and checks that calls stay in the caller's zone at the first attempt. */
        @Setup(Level.Trial)
        public void setUp() {
            List<Endpoint> fleet = Topology.endpoints(ENDPOINTS, Topology.HEALTHY);
            client = clientBuilder(fleet).build();
            checkServedLocallyFirstTime(client, fleet, () -> client.call(PORT, CallOptions.idempotent()));
        }

        /** Stops the client's timers and registry subscription. */
        @TearDown(Level.Trial)
        public void tearDown() {
            client.close();
        }
    }

    /** The same client, measured into a {@link SimpleMeterRegistry}. */
    @State(Scope.Benchmark)
    public static class MeshlessWithMicrometerState {
        ServiceClient client;
        SimpleMeterRegistry meters;

        /**
         * Builds the client and checks, besides the routing, that the meters saw one successful
         * same-zone attempt per call and no retry.
         */
        @Setup(Level.Trial)
        public void setUp() {
            List<Endpoint> fleet = Topology.endpoints(ENDPOINTS, Topology.HEALTHY);
            meters = new SimpleMeterRegistry();
            MicrometerCallMetrics m = new MicrometerCallMetrics(meters);
            client = clientBuilder(fleet).metrics(m).listener(m).build();
            checkServedLocallyFirstTime(client, fleet, () -> client.call(PORT, CallOptions.idempotent()));
            long attempts = meters.find("meshless.client.requests").timers().stream().mapToLong(Timer::count).sum();
            Timer local = meters.find("meshless.client.requests").tags("tier", "same-zone", "outcome", "success",
                    "zone", Topology.CALLER.zone()).timer();
            if (attempts != CHECK_CALLS || local == null || local.count() != CHECK_CALLS) {
                throw new IllegalStateException("expected " + CHECK_CALLS + " successful same-zone attempts and no"
                        + " other, got " + attempts + " attempts, " + (local == null ? 0 : local.count()) + " of them"
                        + " successful in the caller's zone");
            }
            if (meters.find("meshless.client.retries").counter() != null) {
                throw new IllegalStateException("a retry was made: " + meters.get("meshless.client.retries")
                        .counter().count());
            }
        }

        /** Stops the client and the meter registry. */
        @TearDown(Level.Trial)
        public void tearDown() {
            client.close();
            meters.close();
        }
    }

    /**
     * As {@link MeshlessWithMicrometerState}, with Resilience4j's own meters bound to the breakers
     * too, as the Spring Boot starter does when Micrometer is present. Resilience4j's binder
     * subscribes to every breaker event, so each outcome is recorded into the breakers as it comes.
     */
    @State(Scope.Benchmark)
    public static class MeshlessWithBreakerMetersState {
        ServiceClient client;
        SimpleMeterRegistry meters;

        /** Builds the client with a shared breaker registry bound to the meters; checks the routing. */
        @Setup(Level.Trial)
        public void setUp() {
            List<Endpoint> fleet = Topology.endpoints(ENDPOINTS, Topology.HEALTHY);
            meters = new SimpleMeterRegistry();
            CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
            MicrometerCallMetrics.bindCircuitBreakers(breakers, meters);
            MicrometerCallMetrics m = new MicrometerCallMetrics(meters);
            client = clientBuilder(fleet).circuitBreakerRegistry(breakers).metrics(m).listener(m).build();
            checkServedLocallyFirstTime(client, fleet, () -> client.call(PORT, CallOptions.idempotent()));
            checkBreakerMetersSawEveryCall(meters);
        }

        /** Stops the client and the meter registry. */
        @TearDown(Level.Trial)
        public void tearDown() {
            client.close();
            meters.close();
        }
    }

    /** Resilience4j's decorators, circuit breaker inside retry, both with their defaults. */
    @State(Scope.Benchmark)
    public static class Resilience4jState {
        CircuitBreaker circuitBreaker;
        Retry retry;
        Supplier<Integer> decorated;
        Endpoint endpoint;

        /** Decorates the no-op once; checks that calls succeed without retry. */
        @Setup(Level.Trial)
        public void setUp() {
            endpoint = localEndpoints(Topology.endpoints(ENDPOINTS, Topology.HEALTHY)).get(0);
            Endpoint target = endpoint;
            circuitBreaker = CircuitBreaker.ofDefaults(Topology.SERVICE);
            retry = Retry.ofDefaults(Topology.SERVICE);
            decorated = Decorators.ofSupplier(() -> target.port())
                    .withCircuitBreaker(circuitBreaker)
                    .withRetry(retry)
                    .decorate();
            for (int i = 0; i < CHECK_CALLS; i++) {
                if (decorated.get() != endpoint.port()) {
                    throw new IllegalStateException("the decorated supplier does not return the endpoint's port");
                }
            }
            long withoutRetry = retry.getMetrics().getNumberOfSuccessfulCallsWithoutRetryAttempt();
            if (withoutRetry != CHECK_CALLS || circuitBreaker.getState() != CircuitBreaker.State.CLOSED
                    || circuitBreaker.getMetrics().getNumberOfFailedCalls() != 0) {
                throw new IllegalStateException("expected " + CHECK_CALLS + " calls without retry through a closed"
                        + " breaker, got " + withoutRetry + ", breaker " + circuitBreaker.getState());
            }
        }
    }

    /** As {@link Resilience4jState}, with Resilience4j's breaker and retry meters bound. */
    @State(Scope.Benchmark)
    public static class Resilience4jWithMetersState {
        Supplier<Integer> decorated;
        SimpleMeterRegistry meters;

        /** Decorates the no-op; checks that the meters count the calls. */
        @Setup(Level.Trial)
        public void setUp() {
            Endpoint target = localEndpoints(Topology.endpoints(ENDPOINTS, Topology.HEALTHY)).get(0);
            meters = new SimpleMeterRegistry();
            CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
            RetryRegistry retries = RetryRegistry.ofDefaults();
            MicrometerCallMetrics.bindCircuitBreakers(breakers, meters);
            TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
            decorated = Decorators.ofSupplier(() -> target.port())
                    .withCircuitBreaker(breakers.circuitBreaker(Topology.SERVICE))
                    .withRetry(retries.retry(Topology.SERVICE))
                    .decorate();
            for (int i = 0; i < CHECK_CALLS; i++) {
                if (decorated.get() != target.port()) {
                    throw new IllegalStateException("the decorated supplier does not return the endpoint's port");
                }
            }
            checkBreakerMetersSawEveryCall(meters);
        }

        /** Stops the meter registry. */
        @TearDown(Level.Trial)
        public void tearDown() {
            meters.close();
        }
    }

    /** The no-op alone. */
    @Benchmark
    public Integer direct(DirectState s) {
        return s.port.apply(s.endpoint);
    }

    /** The no-op through Meshless's call path. */
    @Benchmark
    public Integer meshless(MeshlessState s) {
        return s.client.call(PORT, CallOptions.idempotent());
    }

    /** The no-op through Meshless's call path with Micrometer meters and listener. */
    @Benchmark
    public Integer meshlessWithMicrometer(MeshlessWithMicrometerState s) {
        return s.client.call(PORT, CallOptions.idempotent());
    }

    /** The no-op through Meshless's call path with its meters and Resilience4j's breaker meters. */
    @Benchmark
    public Integer meshlessWithBreakerMeters(MeshlessWithBreakerMetersState s) {
        return s.client.call(PORT, CallOptions.idempotent());
    }

    /** The no-op through Resilience4j's circuit breaker and retry, with their meters. */
    @Benchmark
    public Integer resilience4jDecoratorsWithMeters(Resilience4jWithMetersState s) {
        return s.decorated.get();
    }

    /** The no-op through Resilience4j's circuit breaker and retry. */
    @Benchmark
    public Integer resilience4jDecorators(Resilience4jState s) {
        return s.decorated.get();
    }

    static ServiceClient.Builder clientBuilder(List<Endpoint> fleet) {
        return ServiceClient.builder(Topology.SERVICE)
                .registry(StaticRegistry.of(fleet))
                .caller(Topology.CALLER);
    }

    /** Fails the trial unless Resilience4j's meters timed each check call as a success of the service's breaker. */
    static void checkBreakerMetersSawEveryCall(SimpleMeterRegistry meters) {
        long recorded = meters.find("resilience4j.circuitbreaker.calls").tags("name", Topology.SERVICE,
                "kind", "successful").timers().stream().mapToLong(Timer::count).sum();
        if (recorded != CHECK_CALLS) {
            throw new IllegalStateException("Resilience4j's meters saw " + recorded + " successful calls of "
                    + CHECK_CALLS);
        }
    }

    private static List<Endpoint> localEndpoints(List<Endpoint> fleet) {
        return fleet.stream().filter(e -> e.locality().sameZoneAs(Topology.CALLER)).collect(Collectors.toList());
    }

    /**
     * Fails the trial unless every call is answered by an endpoint of the caller's zone and nothing
     * failed. With a function that cannot fail, the only way to a second attempt is a failure that
     * the zone or service breaker would have recorded, or a zone breaker refusing the caller's zone,
     * which would send the call elsewhere; so no failure and no call elsewhere means no retry.
     */
    static void checkServedLocallyFirstTime(ServiceClient client, List<Endpoint> fleet, Supplier<Integer> call) {
        Set<Integer> localPorts = localEndpoints(fleet).stream().map(Endpoint::port).collect(Collectors.toSet());
        if (localPorts.size() != PER_ZONE) {
            throw new IllegalStateException("expected " + PER_ZONE + " endpoints in the caller's zone, got "
                    + localPorts);
        }
        for (int i = 0; i < CHECK_CALLS; i++) {
            Integer port = call.get();
            if (!localPorts.contains(port)) {
                throw new IllegalStateException("call " + i + " was served outside " + Topology.CALLER + " by port "
                        + port + " (local ports " + localPorts + ")");
            }
        }
        if (client.attemptsInFlight() != 0) {
            throw new IllegalStateException(client.attemptsInFlight() + " attempts still in flight");
        }
        CircuitBreaker zone = client.zoneBreakers().breaker(Topology.CALLER);
        CircuitBreaker service = client.serviceBreaker();
        for (CircuitBreaker cb : List.of(zone, service)) {
            if (cb.getState() != CircuitBreaker.State.CLOSED || cb.getMetrics().getNumberOfFailedCalls() != 0
                    || cb.getMetrics().getNumberOfSuccessfulCalls() == 0) {
                throw new IllegalStateException("breaker " + cb.getName() + " is " + cb.getState() + " with "
                        + cb.getMetrics().getNumberOfFailedCalls() + " failed and "
                        + cb.getMetrics().getNumberOfSuccessfulCalls() + " successful calls in its window");
            }
        }
        if (!client.outlierDetector().ejected().isEmpty()) {
            throw new IllegalStateException("endpoints ejected: " + client.outlierDetector().ejected());
        }
    }
}
