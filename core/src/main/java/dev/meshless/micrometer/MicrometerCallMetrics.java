package dev.meshless.micrometer;

import dev.meshless.balancer.Pick;
import dev.meshless.balancer.RoutingPlan;
import dev.meshless.balancer.TierKind;
import dev.meshless.call.CallListener;
import dev.meshless.call.CallMetrics;
import dev.meshless.outcome.Outcome;
import dev.meshless.outlier.EjectionReason;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The call path's meters, for one Micrometer registry. Use one instance as both the
 * {@code metrics} and a {@code listener} of every {@code ServiceClient}:
 *
 * <ul>
 *   <li>{@code meshless.client.requests} (timer; tags {@code service}, {@code tier} =
 *       same-zone / same-region / other-region, {@code zone}, {@code region}, {@code outcome}):
 *       every attempt;</li>
 *   <li>{@code meshless.client.retries} and {@code meshless.client.retry.budget.exhausted}
 *       (counters; tag {@code service});</li>
 *   <li>{@code meshless.outlier.ejected} (gauge; tags {@code service}, {@code region}, {@code zone}): endpoints
 *       currently ejected;</li>
 *   <li>the balancer gauges of {@link BalancerMetrics} ({@code meshless.locality.share},
 *       {@code meshless.balancer.panic}, {@code meshless.balancer.endpoints}).</li>
 * </ul>
 * Circuit breakers are measured by Resilience4j's own binder: {@link #bindCircuitBreakers}.
 *
 * <p>Thread-safe; meters are created once and looked up without allocating on the call path.
 */
public final class MicrometerCallMetrics implements CallMetrics, CallListener {

    private static final Outcome.Kind[] KINDS = Outcome.Kind.values();
    private static final TierKind[] TIER_KINDS = TierKind.values();

    private final MeterRegistry registry;
    private final BalancerMetrics balancer;
    /** Per service, per endpoint locality: timers indexed [tier kind][outcome kind]. */
    private final Map<String, Map<Locality, Timer[][]>> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();
    private final Map<String, Counter> exhausted = new ConcurrentHashMap<>();
    private final Map<String, Counter> retriedCalls = new ConcurrentHashMap<>();
    private final Map<String, Counter> probes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> ejected = new ConcurrentHashMap<>();

    /** @param registry where meters are registered */
    public MicrometerCallMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.balancer = new BalancerMetrics(registry);
    }

    /**
     * Binds Resilience4j's circuit breaker meters ({@code resilience4j.circuitbreaker.*}) for every
     * breaker of the registry, present and future; the zone and service breakers of Meshless live
     * there. Needs {@code resilience4j-micrometer} on the class path.
     *
     * @param breakers the registry the clients were given
     * @param meters where to register the meters
     */
    public static void bindCircuitBreakers(CircuitBreakerRegistry breakers, MeterRegistry meters) {
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
    }

    @Override
    public void attempt(String service, Pick pick, Outcome outcome, long nanos) {
        Map<Locality, Timer[][]> byLocality = timers.get(service);
        if (byLocality == null) {
            byLocality = timers.computeIfAbsent(service, s -> new ConcurrentHashMap<>());
        }
        Locality locality = pick.endpoint().locality();
        Timer[][] grid = byLocality.get(locality);
        if (grid == null) {
            grid = byLocality.computeIfAbsent(locality, l -> new Timer[TIER_KINDS.length][KINDS.length]);
        }
        Timer timer = grid[pick.tierKind().ordinal()][outcome.kind().ordinal()];
        if (timer == null) {
            timer = Timer.builder("meshless.client.requests")
                    .description("attempts of calls through Meshless, by where they went and how they ended")
                    .tags("service", service, "tier", pick.tierKind().tag(), "zone", locality.zone(),
                            "region", locality.region(), "outcome", outcome.kind().name().toLowerCase(Locale.ROOT))
                    .register(registry);
            grid[pick.tierKind().ordinal()][outcome.kind().ordinal()] = timer;
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
        if (pick.probe()) {
            counter(probes, "meshless.client.probes", "attempts to endpoints or zones only being probed (an ejection"
                    + " just expired, a zone breaker half-open)", service).increment();
        }
    }

    @Override
    public void callRetried(String service) {
        counter(retriedCalls, "meshless.client.calls.retried", "calls whose first attempt failed and that were"
                + " retried", service).increment();
    }

    @Override
    public void retry(String service) {
        counter(retries, "meshless.client.retries", "retries made", service).increment();
    }

    @Override
    public void retryBudgetExhausted(String service) {
        counter(exhausted, "meshless.client.retry.budget.exhausted", "retries refused because the retry budget"
                + " was spent", service).increment();
    }

    @Override
    public void onEjected(String service, Endpoint endpoint, EjectionReason reason, Duration ejectionTime) {
        ejectedGauge(service, endpoint.locality()).incrementAndGet();
    }

    @Override
    public void onReturned(String service, Endpoint endpoint) {
        ejectedGauge(service, endpoint.locality()).updateAndGet(v -> Math.max(0, v - 1));
    }

    @Override
    public void onPlanChanged(RoutingPlan previous, RoutingPlan current) {
        balancer.onPlanChanged(previous, current);
    }

    private Counter counter(Map<String, Counter> cache, String name, String description, String service) {
        Counter c = cache.get(service);
        if (c == null) {
            c = cache.computeIfAbsent(service, s -> Counter.builder(name).description(description)
                    .tag("service", s).register(registry));
        }
        return c;
    }

    private AtomicInteger ejectedGauge(String service, Locality locality) {
        return ejected.computeIfAbsent(service + "\u0000" + locality.region() + "\u0000" + locality.zone(), key -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("meshless.outlier.ejected", value, AtomicInteger::get)
                    .description("endpoints of the service in the zone currently ejected by outlier detection")
                    .tags("service", service, "zone", locality.zone(), "region", locality.region())
                    .register(registry);
            return value;
        });
    }
}
