package dev.meshless.benchmarks;

import dev.meshless.call.AttemptFunction;
import dev.meshless.call.CallOptions;
import dev.meshless.call.ServiceClient;
import dev.meshless.micrometer.MicrometerCallMetrics;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.topology.Endpoint;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One of {@link CallPathBenchmark}'s Meshless variants: a {@link ServiceClient} over the benchmark's
 * fleet, checked to serve every call in the caller's zone at the first attempt, and the measured
 * call ({@link #get()}). It uses only API that earlier builds of meshless-core share, so that
 * {@link OtherBuild} can load it against another build's core and one JMH run can measure both.
 */
public final class MeshlessCall implements Supplier<Integer>, AutoCloseable {

    /** Every default, metrics included ({@code CallMetrics.NOOP}). */
    public static final String PLAIN = "plain";
    /**
     * Measured into a {@link SimpleMeterRegistry} by {@link MicrometerCallMetrics}, as metrics and
     * listener: all of Meshless's meters (in builds since the breaker gauges, those too).
     */
    public static final String MICROMETER = "micrometer";
    /**
     * As {@link #MICROMETER}, with Resilience4j's own event-based meters bound to the client's
     * breaker registry too: what the starter did before the breaker gauges, and what Resilience4j's
     * Spring Boot module still does to a registry it shares with Meshless.
     */
    public static final String BREAKER_METERS = "breaker-meters";

    /** Endpoints in each of the six zones. */
    static final int PER_ZONE = 2;
    static final int ENDPOINTS = PER_ZONE * Topology.ZONES.size();
    /** Calls each setup makes and checks before measuring. */
    static final int CHECK_CALLS = 1_000;

    /** The no-op through Meshless. Boxes the port, as every variant does, to return it generically. */
    private static final AttemptFunction<Integer> PORT = attempt -> attempt.endpoint().port();

    private final ServiceClient client;
    private final SimpleMeterRegistry meters;

    /**
     * Builds the client and checks that calls stay in the caller's zone at the first attempt, and
     * that the meters, if any, saw one successful same-zone attempt per call and no retry.
     *
     * @param variant {@link #PLAIN}, {@link #MICROMETER} or {@link #BREAKER_METERS}
     */
    public MeshlessCall(String variant) {
        this(variant, (builder, meters) -> { });
    }

    /**
     * As {@link #MeshlessCall(String)}, with more on the client: for variants of the current build
     * only, so that what earlier builds lack stays out of this class, which the baseline loads.
     *
     * @param variant {@link #PLAIN}, {@link #MICROMETER} or {@link #BREAKER_METERS}
     * @param extra adds to the client's builder, given the variant's meter registry ({@code null} for
     *     {@link #PLAIN})
     */
    MeshlessCall(String variant, BiConsumer<ServiceClient.Builder, SimpleMeterRegistry> extra) {
        List<Endpoint> fleet = Topology.endpoints(ENDPOINTS, Topology.HEALTHY);
        ServiceClient.Builder builder = ServiceClient.builder(Topology.SERVICE)
                .registry(StaticRegistry.of(fleet))
                .caller(Topology.CALLER);
        switch (variant) {
            case PLAIN -> meters = null;
            case MICROMETER, BREAKER_METERS -> {
                meters = new SimpleMeterRegistry();
                if (variant.equals(BREAKER_METERS)) {
                    CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
                    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
                    builder.circuitBreakerRegistry(breakers);
                }
                MicrometerCallMetrics m = new MicrometerCallMetrics(meters);
                builder.metrics(m).listener(m);
            }
            default -> throw new IllegalArgumentException("variant must be " + PLAIN + ", " + MICROMETER + " or "
                    + BREAKER_METERS + ", but was '" + variant + "'");
        }
        extra.accept(builder, meters);
        client = builder.build();
        checkServedLocallyFirstTime(fleet);
        if (meters != null) {
            checkMetersSawEveryCall();
        }
        if (variant.equals(BREAKER_METERS)) {
            checkBreakerMetersSawEveryCall(meters);
        }
    }

    /** @return the client, for the checks of variants of the current build */
    ServiceClient client() {
        return client;
    }

    /** @return the measured call's answer: the port of the endpoint that served it */
    @Override
    public Integer get() {
        return client.call(PORT, CallOptions.idempotent());
    }

    /** @return the variant's meter registry, {@code null} for {@link #PLAIN} */
    SimpleMeterRegistry meters() {
        return meters;
    }

    /** Stops the client and the meter registry. */
    @Override
    public void close() {
        client.close();
        if (meters != null) {
            meters.close();
        }
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

    static List<Endpoint> localEndpoints(List<Endpoint> fleet) {
        return fleet.stream().filter(e -> e.locality().sameZoneAs(Topology.CALLER)).collect(Collectors.toList());
    }

    private void checkMetersSawEveryCall() {
        long attempts = meters.find("meshless.client.requests").timers().stream().mapToLong(Timer::count).sum();
        // By zone, not tier: builds before the tier vocabulary was unified tagged tier 0 "same-zone".
        Timer local = meters.find("meshless.client.requests").tags("outcome", "success",
                "zone", Topology.CALLER.zone(), "region", Topology.CALLER.region()).timer();
        if (attempts != CHECK_CALLS || local == null || local.count() != CHECK_CALLS) {
            throw new IllegalStateException("expected " + CHECK_CALLS + " successful same-zone attempts and no"
                    + " other, got " + attempts + " attempts, " + (local == null ? 0 : local.count()) + " of them"
                    + " successful in the caller's zone");
        }
        // Builds since the breaker gauges register them with the meters; where they exist, the
        // caller's zone breaker must read closed.
        Gauge closed = meters.find("meshless.zone.breaker.state").tags("zone", Topology.CALLER.zone(),
                "state", "closed").gauge();
        if (closed != null && closed.value() != 1) {
            throw new IllegalStateException("the caller's zone breaker gauge does not read closed");
        }
        if (meters.find("meshless.client.retries").counter() != null) {
            throw new IllegalStateException("a retry was made: " + meters.get("meshless.client.retries")
                    .counter().count());
        }
    }

    /**
     * Fails the trial unless every call is answered by an endpoint of the caller's zone and nothing
     * failed. With a function that cannot fail, the only way to a second attempt is a failure that
     * the zone or service breaker would have recorded, or a zone breaker refusing the caller's zone,
     * which would send the call elsewhere; so no failure and no call elsewhere means no retry.
     */
    private void checkServedLocallyFirstTime(List<Endpoint> fleet) {
        Set<Integer> localPorts = localEndpoints(fleet).stream().map(Endpoint::port).collect(Collectors.toSet());
        if (localPorts.size() != PER_ZONE) {
            throw new IllegalStateException("expected " + PER_ZONE + " endpoints in the caller's zone, got "
                    + localPorts);
        }
        for (int i = 0; i < CHECK_CALLS; i++) {
            Integer port = get();
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
