package dev.meshless.benchmarks;

import dev.meshless.call.ServiceClient;
import dev.meshless.micrometer.observation.DefaultAttemptObservationConvention;
import dev.meshless.micrometer.observation.DefaultCallObservationConvention;
import dev.meshless.micrometer.observation.ObservationCallObserver;
import dev.meshless.topology.Endpoint;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.decorators.Decorators;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
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
 * all of Meshless's meters, with Resilience4j's event-based breaker meters bound as well, with
 * every call and attempt observed, with an observer over the no-op observation registry, and
 * through Resilience4j's {@link Decorators} with a circuit breaker and a retry, bare and with
 * Resilience4j's own meters.
 * Every call succeeds at the first attempt, so this is the happy path every call pays.
 *
 * <p>Each variant has its own state, so a trial builds and checks only what it measures and the
 * call sites inside {@link ServiceClient} see one metrics implementation, as in an application.
 * Each setup fails the trial unless calls are served in the caller's zone at the first attempt
 * ({@link MeshlessCall}).
 *
 * <p>The Meshless variants take a {@code build} parameter: {@code current} (the core on the class
 * path) or {@code baseline}, the core jar of another build named by
 * {@code -Dmeshless.baseline.core} and loaded apart ({@link OtherBuild}), so that
 * {@code -p build=baseline,current} measures before and after in one run. Both are called through
 * the same {@code Supplier}, so they pay the same indirection.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(3)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class CallPathBenchmark {

    /** The core on the class path. */
    static final String CURRENT = "current";
    /** The core jar named by {@value OtherBuild#CORE_JAR}. */
    static final String BASELINE = "baseline";
    /** {@link #oneObservation}'s observation. */
    private static final String OBSERVATION = "benchmark.observation";

    /** The direct baseline: the same work on a fixed endpoint. */
    @State(Scope.Benchmark)
    public static class DirectState {
        Endpoint endpoint;
        Function<Endpoint, Integer> port;

        /** Picks the endpoint; fails unless the function reads its port. */
        @Setup(Level.Trial)
        public void setUp() {
            endpoint = MeshlessCall.localEndpoints(Topology.endpoints(MeshlessCall.ENDPOINTS, Topology.HEALTHY))
                    .get(0);
            port = Endpoint::port;
            if (port.apply(endpoint) != endpoint.port()) {
                throw new IllegalStateException("the direct function does not return the endpoint's port");
            }
        }
    }

    /** A Meshless variant on the current build or the baseline one. */
    @State(Scope.Benchmark)
    public abstract static class MeshlessVariant {
        /** {@value #CURRENT} or {@value #BASELINE}. */
        @Param({CURRENT})
        public String build = CURRENT;
        Supplier<Integer> call;
        private AutoCloseable client;

        /** Builds the variant's client and checks its routing (see {@link MeshlessCall}). */
        void start(String variant) {
            switch (build) {
                case CURRENT -> {
                    MeshlessCall current = new MeshlessCall(variant);
                    call = current;
                    client = current;
                }
                case BASELINE -> {
                    var baseline = OtherBuild.meshlessCall(variant);
                    call = baseline;
                    client = baseline;
                }
                default -> throw new IllegalArgumentException("build must be " + CURRENT + " or " + BASELINE
                        + ", but was '" + build + "'");
            }
        }

        /** Stops the client, its timers and its meters. */
        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                client.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not close the " + build + " client", e);
            }
        }
    }

    /** A {@link ServiceClient} with every default, metrics included ({@code CallMetrics.NOOP}). */
    @State(Scope.Benchmark)
    public static class MeshlessState extends MeshlessVariant {
        /** Builds the client and checks that calls stay in the caller's zone at the first attempt. */
        @Setup(Level.Trial)
        public void setUp() {
            start(MeshlessCall.PLAIN);
        }
    }

    /**
     * The same client with all of Meshless's meters in a {@link SimpleMeterRegistry}: the attempt
     * timer, and (in builds since they exist) the breaker gauges, read only when published.
     */
    @State(Scope.Benchmark)
    public static class MeshlessWithMicrometerState extends MeshlessVariant {
        /**
         * Builds the client and checks, besides the routing, that the meters saw one successful
         * same-zone attempt per call and no retry.
         */
        @Setup(Level.Trial)
        public void setUp() {
            start(MeshlessCall.MICROMETER);
        }
    }

    /**
     * As {@link MeshlessWithMicrometerState}, with Resilience4j's own meters bound to the breakers
     * too: what the starter did before the breaker gauges, and what Resilience4j's Spring Boot
     * module does to a breaker registry it shares with Meshless. Resilience4j's binder subscribes to
     * every breaker event, so each outcome is recorded into the breakers as it comes.
     */
    @State(Scope.Benchmark)
    public static class MeshlessWithBreakerMetersState extends MeshlessVariant {
        /** Builds the client with a shared breaker registry bound to the meters; checks the routing. */
        @Setup(Level.Trial)
        public void setUp() {
            start(MeshlessCall.BREAKER_METERS);
        }
    }

    /**
     * As {@link MeshlessWithMicrometerState}, every call and attempt also observed
     * ({@link ObservationCallObserver}). Parameter {@code handler}: {@value #TIMERS}, the registry's
     * one handler records each observation as a timer in the same meter registry (what Spring Boot
     * does with the actuator and no tracer); {@value #NO_OP_HANDLER}, a handler that does nothing,
     * which leaves the cost of the observations themselves. Current build only.
     */
    @State(Scope.Benchmark)
    public static class MeshlessObservedState {
        /** Micrometer's {@code DefaultMeterObservationHandler}. */
        static final String TIMERS = "timers";
        /** A handler that supports every observation and does nothing. */
        static final String NO_OP_HANDLER = "no-op-handler";

        /** {@value #TIMERS} or {@value #NO_OP_HANDLER}. */
        @Param({TIMERS, NO_OP_HANDLER})
        public String handler = TIMERS;
        Supplier<Integer> call;
        private MeshlessCall client;

        /** Builds the client; with timers, checks that one call and one attempt observation were timed per call. */
        @Setup(Level.Trial)
        public void setUp() {
            client = new MeshlessCall(MeshlessCall.MICROMETER,
                    (builder, meters) -> builder.observer(new ObservationCallObserver(registry(handler, meters))));
            call = client;
            for (String name : List.of(DefaultCallObservationConvention.NAME, DefaultAttemptObservationConvention.NAME)) {
                long timed = client.meters().find(name).tags("outcome", "success", "tier", "0").timers().stream()
                        .mapToLong(Timer::count).sum();
                if (timed != (handler.equals(TIMERS) ? MeshlessCall.CHECK_CALLS : 0)) {
                    throw new IllegalStateException("expected " + MeshlessCall.CHECK_CALLS + " successful " + name
                            + " observations in tier 0 timed by " + handler + ", got " + timed);
                }
            }
        }

        /** Stops the client and its meters. */
        @TearDown(Level.Trial)
        public void tearDown() {
            client.close();
        }

        /**
         * @param handler {@value #TIMERS} or {@value #NO_OP_HANDLER}
         * @param meters where {@value #TIMERS} records
         * @return an observation registry with that one handler
         */
        static ObservationRegistry registry(String handler, MeterRegistry meters) {
            ObservationRegistry observations = ObservationRegistry.create();
            switch (handler) {
                case TIMERS -> observations.observationConfig().observationHandler(
                        new DefaultMeterObservationHandler(meters));
                case NO_OP_HANDLER -> observations.observationConfig().observationHandler(context -> true);
                default -> throw new IllegalArgumentException("handler must be " + TIMERS + " or " + NO_OP_HANDLER
                        + ", but was '" + handler + "'");
            }
            return observations;
        }
    }

    /**
     * For scale: one Micrometer observation around the no-op, with as many keys as Meshless's
     * attempt observation (five low-, two high-cardinality) and the same handlers, and nothing else.
     * What any observed operation pays, an HTTP client's own {@code http.client.requests} included;
     * Meshless makes two per call answered at the first attempt.
     */
    @State(Scope.Benchmark)
    public static class OneObservationState {
        /** As {@link MeshlessObservedState#handler}. */
        @Param({MeshlessObservedState.TIMERS, MeshlessObservedState.NO_OP_HANDLER})
        public String handler = MeshlessObservedState.TIMERS;
        ObservationRegistry observations;
        Endpoint endpoint;
        SimpleMeterRegistry meters;

        /** Builds the registry; with timers, checks that the observations are timed. */
        @Setup(Level.Trial)
        public void setUp() {
            endpoint = MeshlessCall.localEndpoints(Topology.endpoints(MeshlessCall.ENDPOINTS, Topology.HEALTHY))
                    .get(0);
            meters = new SimpleMeterRegistry();
            observations = MeshlessObservedState.registry(handler, meters);
            for (int i = 0; i < MeshlessCall.CHECK_CALLS; i++) {
                if (observe(this) != endpoint.port()) {
                    throw new IllegalStateException("the observed function does not return the endpoint's port");
                }
            }
            long timed = meters.find(OBSERVATION).timers().stream().mapToLong(Timer::count).sum();
            if (timed != (handler.equals(MeshlessObservedState.TIMERS) ? MeshlessCall.CHECK_CALLS : 0)) {
                throw new IllegalStateException("expected " + MeshlessCall.CHECK_CALLS + " observations timed by "
                        + handler + ", got " + timed);
            }
        }

        /** Stops the meter registry. */
        @TearDown(Level.Trial)
        public void tearDown() {
            meters.close();
        }
    }

    private static Integer observe(OneObservationState s) {
        Endpoint endpoint = s.endpoint;
        return Observation.createNotStarted(OBSERVATION, s.observations)
                .lowCardinalityKeyValue("service", Topology.SERVICE)
                .lowCardinalityKeyValue("zone", endpoint.locality().zone())
                .lowCardinalityKeyValue("region", endpoint.locality().region())
                .lowCardinalityKeyValue("tier", "0")
                .lowCardinalityKeyValue("outcome", "success")
                .highCardinalityKeyValue("endpoint", endpoint.id())
                .highCardinalityKeyValue("attempt", "1")
                .observe(() -> endpoint.port());
    }

    /**
     * {@link MeshlessWithMicrometerState}'s client, all meters, with an {@link ObservationCallObserver}
     * over {@link ObservationRegistry#NOOP}: plain Java code that passes a registry it never
     * configured. Current build only.
     */
    @State(Scope.Benchmark)
    public static class MeshlessNoopObservationRegistryState {
        Supplier<Integer> call;
        private MeshlessCall client;

        /** Builds the client and checks its routing and meters. */
        @Setup(Level.Trial)
        public void setUp() {
            client = new MeshlessCall(MeshlessCall.MICROMETER,
                    (builder, meters) -> builder.observer(new ObservationCallObserver(ObservationRegistry.NOOP)));
            call = client;
        }

        /** Stops the client. */
        @TearDown(Level.Trial)
        public void tearDown() {
            client.close();
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
            endpoint = MeshlessCall.localEndpoints(Topology.endpoints(MeshlessCall.ENDPOINTS, Topology.HEALTHY))
                    .get(0);
            Endpoint target = endpoint;
            circuitBreaker = CircuitBreaker.ofDefaults(Topology.SERVICE);
            retry = Retry.ofDefaults(Topology.SERVICE);
            decorated = Decorators.ofSupplier(() -> target.port())
                    .withCircuitBreaker(circuitBreaker)
                    .withRetry(retry)
                    .decorate();
            for (int i = 0; i < MeshlessCall.CHECK_CALLS; i++) {
                if (decorated.get() != endpoint.port()) {
                    throw new IllegalStateException("the decorated supplier does not return the endpoint's port");
                }
            }
            long withoutRetry = retry.getMetrics().getNumberOfSuccessfulCallsWithoutRetryAttempt();
            if (withoutRetry != MeshlessCall.CHECK_CALLS || circuitBreaker.getState() != CircuitBreaker.State.CLOSED
                    || circuitBreaker.getMetrics().getNumberOfFailedCalls() != 0) {
                throw new IllegalStateException("expected " + MeshlessCall.CHECK_CALLS + " calls without retry through a closed"
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
            Endpoint target = MeshlessCall.localEndpoints(Topology.endpoints(MeshlessCall.ENDPOINTS, Topology.HEALTHY))
                    .get(0);
            meters = new SimpleMeterRegistry();
            CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
            RetryRegistry retries = RetryRegistry.ofDefaults();
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
            TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
            decorated = Decorators.ofSupplier(() -> target.port())
                    .withCircuitBreaker(breakers.circuitBreaker(Topology.SERVICE))
                    .withRetry(retries.retry(Topology.SERVICE))
                    .decorate();
            for (int i = 0; i < MeshlessCall.CHECK_CALLS; i++) {
                if (decorated.get() != target.port()) {
                    throw new IllegalStateException("the decorated supplier does not return the endpoint's port");
                }
            }
            MeshlessCall.checkBreakerMetersSawEveryCall(meters);
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
        return s.call.get();
    }

    /** The no-op through Meshless's call path with all its meters (Micrometer metrics and listener). */
    @Benchmark
    public Integer meshlessWithMicrometer(MeshlessWithMicrometerState s) {
        return s.call.get();
    }

    /** The no-op through Meshless's call path with its meters and Resilience4j's event-based breaker meters. */
    @Benchmark
    public Integer meshlessWithBreakerMeters(MeshlessWithBreakerMetersState s) {
        return s.call.get();
    }

    /** The no-op through Meshless's call path with all its meters, each call and attempt observed as a timer. */
    @Benchmark
    public Integer meshlessObserved(MeshlessObservedState s) {
        return s.call.get();
    }

    /** The no-op through Meshless's call path with all its meters and an observer over the no-op observation registry. */
    @Benchmark
    public Integer meshlessWithNoopObservationRegistry(MeshlessNoopObservationRegistryState s) {
        return s.call.get();
    }

    /** The no-op inside one Micrometer observation, for scale. */
    @Benchmark
    public Integer oneObservation(OneObservationState s) {
        return observe(s);
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
}
