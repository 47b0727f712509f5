package dev.meshless.micrometer;

import dev.meshless.adaptive.AdaptiveConcurrencyLimiter;
import dev.meshless.balancer.Pick;
import dev.meshless.balancer.RoutingPlan;
import dev.meshless.call.CallListener;
import dev.meshless.call.CallMetrics;
import dev.meshless.outcome.Outcome;
import dev.meshless.outlier.EjectionReason;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The call path's meters, for one Micrometer registry. Use one instance as both the
 * {@code metrics} and a {@code listener} of every {@code ServiceClient}:
 *
 * <ul>
 *   <li>{@code meshless.client.requests} (timer; tags {@code service}, {@code tier}, {@code zone},
 *       {@code region}, {@code outcome}, in the vocabulary of {@link MeshlessTags}): every
 *       attempt;</li>
 *   <li>{@code meshless.client.retries} and {@code meshless.client.retry.budget.exhausted}
 *       (counters; tag {@code service});</li>
 *   <li>{@code meshless.outlier.ejected} (gauge; tags {@code service}, {@code region}, {@code zone}): endpoints
 *       currently ejected;</li>
 *   <li>the gauges of every zone breaker ({@code meshless.zone.breaker.*}; tags {@code service},
 *       {@code region}, {@code zone}) and service breaker ({@code meshless.service.breaker.*}; tag
 *       {@code service}): state, failure and slow-call rates, calls not permitted, buffered calls,
 *       read when meters are published (see {@code BreakerGauges}), from the breaker's first use;</li>
 *   <li>with adaptive concurrency on, {@code meshless.client.concurrency.limit} and
 *       {@code meshless.client.concurrency.in-flight} (gauges) and
 *       {@code meshless.client.concurrency.rejected} (counter), tag {@code service}, read from the
 *       service's limiter when meters are published;</li>
 *   <li>the balancer gauges of {@link BalancerMetrics} ({@code meshless.locality.share},
 *       {@code meshless.balancer.panic}, {@code meshless.balancer.endpoints}).</li>
 * </ul>
 * No meter records anything per call beyond the one timer per attempt.
 *
 * <p>Thread-safe; meters are created once and looked up without allocating on the call path.
 */
public final class MicrometerCallMetrics implements CallMetrics, CallListener {

    private static final Outcome.Kind[] KINDS = Outcome.Kind.values();

    private final MeterRegistry registry;
    private final BalancerMetrics balancer;
    /** Per service, per endpoint locality: timers indexed [tier][outcome kind], grown to the tiers seen. */
    private final Map<String, Map<Locality, Timer[][]>> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();
    private final Map<String, Counter> exhausted = new ConcurrentHashMap<>();
    private final Map<String, Counter> probesPassed = new ConcurrentHashMap<>();
    private final Map<String, Counter> probesFailed = new ConcurrentHashMap<>();
    private final Map<String, Counter> recoveries = new ConcurrentHashMap<>();
    private final Map<String, Counter> retriedCalls = new ConcurrentHashMap<>();
    private final Map<String, Counter> probes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> ejected = new ConcurrentHashMap<>();

    /** @param registry where meters are registered */
    public MicrometerCallMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.balancer = new BalancerMetrics(registry);
    }

    /**
     * Binds Resilience4j's own circuit breaker meters ({@code resilience4j.circuitbreaker.*}) for
     * every breaker of the registry, present and future. Needs {@code resilience4j-micrometer} on
     * the class path. Not needed for Meshless's breakers, whose gauges this class registers itself;
     * and not free: Resilience4j's binder subscribes to every breaker's events, so every recorded
     * call then builds an event object and records a timer, and the zone and service breakers
     * record each outcome into Resilience4j as it comes.
     *
     * @param breakers a breaker registry
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
        int tier = pick.tier();
        Timer[][] grid = byLocality.get(locality);
        if (grid == null || grid.length <= tier) {
            grid = byLocality.compute(locality, (l, g) -> g != null && g.length > tier ? g : grow(g, tier));
        }
        Timer timer = grid[tier][outcome.kind().ordinal()];
        if (timer == null) {
            timer = Timer.builder("meshless.client.requests")
                    .description("attempts of calls through Meshless, by where they went and how they ended")
                    .tags(MeshlessTags.SERVICE, service, MeshlessTags.TIER, MeshlessTags.tier(tier),
                            MeshlessTags.ZONE, locality.zone(), MeshlessTags.REGION, locality.region(),
                            MeshlessTags.OUTCOME, MeshlessTags.outcome(outcome.kind()))
                    .register(registry);
            grid[tier][outcome.kind().ordinal()] = timer; // a racing registration finds the same timer
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

    /** A locality's grid with room for the tier; rows already there are shared, not copied. */
    private static Timer[][] grow(Timer[][] grid, int tier) {
        Timer[][] bigger = grid == null ? new Timer[tier + 1][] : Arrays.copyOf(grid, tier + 1);
        for (int i = 0; i < bigger.length; i++) {
            if (bigger[i] == null) {
                bigger[i] = new Timer[KINDS.length];
            }
        }
        return bigger;
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
    public void onProbed(String service, Endpoint endpoint, dev.meshless.health.ProbeResult result) {
        Map<String, Counter> cache = result.healthy() ? probesPassed : probesFailed;
        Counter c = cache.get(service);
        if (c == null) {
            c = cache.computeIfAbsent(service, s -> Counter.builder("meshless.health.probes")
                    .description("active health probes sent, by result").tag("service", s)
                    .tag("result", result.healthy() ? "pass" : "fail").register(registry));
        }
        c.increment();
    }

    @Override
    public void onRecoveryConfirmed(String service, Endpoint endpoint, String evidence) {
        counter(recoveries, "meshless.health.recoveries", "endpoints out of the plan that passed their healthy"
                + " threshold and were brought back", service).increment();
    }

    @Override
    public void onPlanChanged(RoutingPlan previous, RoutingPlan current) {
        balancer.onPlanChanged(previous, current);
    }

    @Override
    public void onZoneBreakerCreated(String service, Locality zone, CircuitBreaker breaker) {
        BreakerGauges.bind(registry, "meshless.zone.breaker", Tags.of(MeshlessTags.SERVICE, service,
                MeshlessTags.REGION, zone.region(), MeshlessTags.ZONE, zone.zone()), breaker);
    }

    @Override
    public void onServiceBreakerCreated(String service, CircuitBreaker breaker) {
        BreakerGauges.bind(registry, "meshless.service.breaker", Tags.of(MeshlessTags.SERVICE, service), breaker);
    }

    @Override
    public void onConcurrencyLimiterCreated(String service, AdaptiveConcurrencyLimiter limiter) {
        Tags tags = Tags.of(MeshlessTags.SERVICE, service);
        Gauge.builder("meshless.client.concurrency.limit", limiter, AdaptiveConcurrencyLimiter::limit).tags(tags)
                .description("adaptive concurrency limit of calls to the service, as its latency moves it")
                .register(registry);
        Gauge.builder("meshless.client.concurrency.in-flight", limiter, AdaptiveConcurrencyLimiter::inFlight)
                .tags(tags).description("calls to the service holding an adaptive concurrency slot").register(registry);
        FunctionCounter.builder("meshless.client.concurrency.rejected", limiter, AdaptiveConcurrencyLimiter::rejected)
                .tags(tags).description("calls refused because the service's adaptive concurrency limit was reached")
                .register(registry);
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
                    .tags(MeshlessTags.SERVICE, service, MeshlessTags.ZONE, locality.zone(), MeshlessTags.REGION,
                            locality.region())
                    .register(registry);
            return value;
        });
    }
}
