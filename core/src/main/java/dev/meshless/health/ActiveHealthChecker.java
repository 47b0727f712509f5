package dev.meshless.health;

import dev.meshless.balancer.BalancerListener;
import dev.meshless.balancer.EndpointState;
import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.balancer.RoutingPlan;
import dev.meshless.breaker.ZoneCircuitBreakers;
import dev.meshless.concurrent.SerialExecutor;
import dev.meshless.config.Values;
import dev.meshless.outlier.OutlierDetector;
import dev.meshless.registry.EndpointListener;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.registry.Subscription;
import dev.meshless.time.TimeSource;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks of one service: probes, out of band, the endpoints that are out of the plan
 * (ejected by outlier detection, or in a zone whose breaker is open) and, with continuous checks,
 * every endpoint. An endpoint out of the plan that passes {@code healthyThreshold} probes in a row
 * returns at once ({@link OutlierDetector#healthCheckPassed}), and its zone's open breaker closes
 * through half-open ({@link ZoneCircuitBreakers#probesPassed}). When an endpoint out of the plan
 * passes after failing, the other endpoints of its zone that are out are probed at once, not at
 * their next interval: zones heal together. Continuous checks mark endpoints
 * critical or passing in the {@linkplain #view registry view} the balancer reads, as if the
 * registry had said so.
 *
 * <p>Cost is bounded: each probed endpoint is probed once per interval (less jitter; the no-traffic
 * interval for endpoints the plan sends nothing under continuous checks), never twice at once, and
 * the service's probes share {@code maxProbesPerSecond}. Probes never touch the call path's
 * concurrency caps, breakers' permits or retry budget.
 *
 * <p>Threading: timers, probe completions, plan changes and registry deliveries all run one at a
 * time on the checker's serial executor; {@link #status()} may be called from any thread.
 */
public final class ActiveHealthChecker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ActiveHealthChecker.class);

    private final String service;
    private final HealthCheckPolicy policy;
    private final HealthProbe probe;
    private final TimeSource time;
    private final DoubleSupplier random;
    private final List<HealthCheckListener> listeners;
    private final SerialExecutor control = new SerialExecutor();
    /** Written by control tasks; read by {@link #status()} from any thread. */
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    // Control state.
    private OutlierDetector detector;
    private ZoneCircuitBreakers zoneBreakers;
    private Subscription planSubscription;
    private RoutingPlan plan;
    /** Continuous checks: the registry's latest set and the view's listeners. */
    private ServiceEndpoints registered;
    private final List<EndpointListener> viewListeners = new CopyOnWriteArrayList<>();
    private ServiceEndpoints delivered;
    private double tokens;
    private long tokensAt;
    private volatile boolean closed;

    /** One probed endpoint; fields written by control tasks, volatile for {@link #status()}. */
    private static final class Target {
        volatile Endpoint endpoint;
        volatile String reason;
        volatile boolean healthy = true;
        volatile int passes;
        volatile int failures;
        volatile ProbeResult last;
        volatile java.time.Instant lastAt;
        boolean inFlight;
        /** When its latest probe was sent, and when its latest result came, on the time source. */
        long sentNanos;
        long resultNanos = Long.MIN_VALUE;
        TimeSource.Cancellable timer;

        Target(Endpoint endpoint) {
            this.endpoint = endpoint;
        }
    }

    /**
     * Creates a checker that probes nothing until {@link #start}.
     *
     * @param service the service
     * @param policy the checks' settings
     * @param probe how one endpoint is checked
     * @param time time and timers
     * @param listeners hear probes, verdicts and recoveries
     * @param random uniform numbers in [0, 1) for the interval jitter
     */
    public ActiveHealthChecker(String service, HealthCheckPolicy policy, HealthProbe probe, TimeSource time,
                               List<? extends HealthCheckListener> listeners, DoubleSupplier random) {
        this.service = Objects.requireNonNull(service, "service");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.time = Objects.requireNonNull(time, "time");
        this.listeners = List.copyOf(listeners);
        this.random = Objects.requireNonNull(random, "random");
        this.tokens = policy.maxProbesPerSecond();
        this.tokensAt = time.nanoTime();
    }

    /** @return the settings the checks follow */
    public HealthCheckPolicy policy() {
        return policy;
    }

    /**
     * The registry as the balancer should see it under continuous checks: the service's endpoints
     * with those the checks failed marked critical. Other services pass through unchanged. Without
     * continuous checks, the registry itself.
     *
     * @param registry the real registry
     * @return the view to build the balancer on
     */
    public EndpointRegistry view(EndpointRegistry registry) {
        if (!policy.enabled() || !policy.continuous()) {
            return registry;
        }
        return new EndpointRegistry() {
            @Override
            public Subscription subscribe(String name, EndpointListener listener) {
                if (!name.equals(service)) {
                    return registry.subscribe(name, listener);
                }
                viewListeners.add(listener);
                Subscription upstream = registry.subscribe(name, set -> control.execute(() -> onRegistered(set)));
                control.execute(() -> {
                    if (delivered != null) {
                        deliver(listener, delivered);
                    }
                });
                return () -> {
                    viewListeners.remove(listener);
                    upstream.close();
                };
            }

            /** The real registry's order: the checks change endpoints' health, not where regions are. */
            @Override
            public List<String> regionsByProximity() {
                return registry.regionsByProximity();
            }
        };
    }

    /**
     * Starts probing: hears the balancer's plan and brings endpoints and zones back through the
     * detector and the zone breakers.
     *
     * @param balancer the service's balancer
     * @param outliers its outlier detector
     * @param breakers its zone breakers, or {@code null} when they are off
     */
    public void start(LocalityLoadBalancer balancer, OutlierDetector outliers, ZoneCircuitBreakers breakers) {
        if (!policy.enabled()) {
            return;
        }
        control.execute(() -> {
            detector = outliers;
            zoneBreakers = breakers;
            onPlan(balancer.plan());
        });
        planSubscription = balancer.listen(new BalancerListener() {
            @Override
            public void onPlanChanged(RoutingPlan previous, RoutingPlan current) {
                control.execute(() -> onPlan(current));
            }
        });
    }

    /** @return the endpoints under checks now, by id */
    public List<ProbeStatus> status() {
        List<ProbeStatus> list = new ArrayList<>();
        for (Map.Entry<String, Target> e : targets.entrySet()) {
            Target t = e.getValue();
            list.add(new ProbeStatus(e.getKey(), t.endpoint.address(), t.reason, t.healthy, t.passes, t.failures,
                    t.last, t.lastAt));
        }
        list.sort(Comparator.comparing(ProbeStatus::endpointId));
        return list;
    }

    /** Stops every timer; endpoints keep the state they have. */
    @Override
    public void close() {
        closed = true;
        if (planSubscription != null) {
            planSubscription.close();
        }
        control.execute(() -> targets.values().forEach(t -> {
            if (t.timer != null) {
                t.timer.cancel();
            }
        }));
    }

    private void onRegistered(ServiceEndpoints set) {
        registered = set;
        reconcile();
        publish();
    }

    private void onPlan(RoutingPlan current) {
        plan = current;
        reconcile();
    }

    /** Starts and stops targets: those out of the plan, and with continuous checks, all. */
    private void reconcile() {
        if (closed) {
            return;
        }
        Map<String, String> wanted = new HashMap<>();
        Map<String, Endpoint> endpoints = new HashMap<>();
        if (registered != null) {
            for (Endpoint e : registered.endpoints()) {
                wanted.put(e.id(), "continuous");
                endpoints.put(e.id(), e);
            }
        }
        if (plan != null) {
            for (RoutingPlan.EndpointPlan e : plan.endpoints()) {
                String why = outReason(e.state());
                if (why != null) {
                    wanted.put(e.endpoint().id(), why);
                    endpoints.putIfAbsent(e.endpoint().id(), e.endpoint());
                }
            }
        }
        targets.entrySet().removeIf(entry -> {
            boolean gone = !wanted.containsKey(entry.getKey());
            if (gone && entry.getValue().timer != null) {
                entry.getValue().timer.cancel();
            }
            return gone;
        });
        wanted.forEach((id, why) -> {
            Target t = targets.get(id);
            if (t == null) {
                t = new Target(endpoints.get(id));
                targets.put(id, t);
                t.reason = why;
                // The first probe comes after a random part of one interval, so that the probes of
                // endpoints that left together (a zone) spread out, and a heal waits half an
                // interval for its first probe on average, not a whole one.
                schedule(t, Duration.ofNanos((long) (random.getAsDouble() * policy.interval().toNanos())));
            }
            t.endpoint = endpoints.get(id);
            boolean wasIn = "continuous".equals(t.reason) || "unhealthy".equals(t.reason);
            if (wasIn && !why.equals("continuous")) {
                // It just left the plan: only passes from now on bring it back, not those before.
                t.passes = 0;
            }
            t.reason = !t.healthy && why.equals("continuous") ? "unhealthy" : why;
        });
    }

    private static String outReason(EndpointState state) {
        switch (state) {
            case EJECTED:
                return "ejected";
            case ZONE_UNAVAILABLE:
                return "zone unavailable";
            default:
                return null;
        }
    }

    private Duration nextDelay(Target t) {
        Duration base = policy.interval();
        if (policy.continuous() && t.healthy && "continuous".equals(t.reason) && plan != null
                && plan.shareByEndpoint().getOrDefault(t.endpoint.id(), 0.0) == 0.0) {
            base = policy.noTrafficInterval();
        }
        return base.minusNanos((long) (random.getAsDouble() * policy.intervalJitter().toNanos()));
    }

    private void schedule(Target t, Duration delay) {
        t.timer = time.schedule(() -> control.execute(() -> due(t)), delay);
    }

    private void due(Target t) {
        if (closed || targets.get(t.endpoint.id()) != t || t.inFlight) {
            return;
        }
        if (!takeToken()) {
            log.debug("{}: probe of {} deferred: {} probes per second already sent", service, t.endpoint.id(),
                    policy.maxProbesPerSecond());
            schedule(t, Duration.ofNanos(1_000_000_000L / policy.maxProbesPerSecond()));
            return;
        }
        t.inFlight = true;
        t.sentNanos = time.nanoTime();
        CompletableFuture<ProbeResult> settled = new CompletableFuture<>();
        CompletionStage<ProbeResult> stage;
        try {
            stage = probe.check(t.endpoint, policy.timeout());
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        CompletionStage<ProbeResult> running = stage;
        TimeSource.Cancellable timeout = time.schedule(() -> {
            if (settled.complete(ProbeResult.unhealthy("timed out after " + Values.format(policy.timeout())))) {
                cancel(running);
            }
        }, policy.timeout());
        running.whenComplete((r, e) -> {
            if (r == null && unwrap(e) instanceof ProbeNotSentException notSent) {
                if (settled.complete(null)) {
                    timeout.cancel();
                    control.execute(() -> notSent(t, notSent));
                }
            } else {
                settled.complete(r != null ? r : ProbeResult.unhealthy(describe(e)));
            }
        });
        settled.thenAccept(r -> {
            if (r != null) {
                timeout.cancel();
                control.execute(() -> onResult(t, r));
            }
        });
    }

    /**
     * A probe the prober could not send taught nothing: the endpoint keeps its passes and failures,
     * the token goes back, and it is tried again after one slot of the service's probe rate plus a
     * random part of one probe timeout (how long a busy prober's thread stays busy at most), so
     * that probes deferred together do not come back together.
     */
    private void notSent(Target t, ProbeNotSentException e) {
        t.inFlight = false;
        tokens = Math.min(policy.maxProbesPerSecond(), tokens + 1.0);
        log.debug("{}: probe of {} not sent, tried again shortly: {}", service, t.endpoint.id(), e.getMessage());
        if (!closed && targets.get(t.endpoint.id()) == t) {
            long slot = 1_000_000_000L / policy.maxProbesPerSecond();
            schedule(t, Duration.ofNanos(slot + (long) (random.getAsDouble() * policy.timeout().toNanos())));
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static void cancel(CompletionStage<ProbeResult> stage) {
        try {
            stage.toCompletableFuture().cancel(false);
        } catch (UnsupportedOperationException ignored) {
            // a stage that cannot be cancelled finishes on its own; its late result is ignored
        }
    }

    private static String describe(Throwable e) {
        Throwable cause = unwrap(e);
        return cause == null ? "failed" : cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private boolean takeToken() {
        long now = time.nanoTime();
        int rate = policy.maxProbesPerSecond();
        tokens = Math.min(rate, tokens + (now - tokensAt) / 1e9 * rate);
        tokensAt = now;
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    private void onResult(Target t, ProbeResult r) {
        t.inFlight = false;
        t.resultNanos = time.nanoTime();
        t.last = r;
        t.lastAt = time.clock().instant();
        if (r.healthy()) {
            t.passes++;
            t.failures = 0;
        } else {
            t.failures++;
            t.passes = 0;
        }
        Endpoint endpoint = t.endpoint;
        listeners.forEach(l -> notify(l, () -> l.onProbed(service, endpoint, r)));
        if (closed || targets.get(endpoint.id()) != t) {
            return;
        }
        if (registered != null) {
            judge(t);
        }
        String out = plan == null ? null : stateOf(endpoint.id());
        if (r.healthy() && t.passes >= policy.healthyThreshold() && out != null) {
            String evidence = t.passes + " probes in a row passed, last: " + r.detail();
            log.info("{}: {} ({}) passes active health checks while {}: {}", service, endpoint.id(),
                    endpoint.address(), out, evidence);
            listeners.forEach(l -> notify(l, () -> l.onRecoveryConfirmed(service, endpoint, evidence)));
            if (detector != null) {
                detector.healthCheckPassed(endpoint.id(), evidence);
            }
            if (zoneBreakers != null && out.equals("zone unavailable")) {
                zoneBreakers.probesPassed(endpoint.locality(), evidence + " on " + endpoint.id());
            }
        }
        if (targets.get(endpoint.id()) == t) {
            schedule(t, nextDelay(t));
        }
        if (r.healthy() && t.passes == 1 && out != null) {
            probeZoneNow(t);
        }
    }

    /**
     * An endpoint out of the plan just passed after failing: its zone's other endpoints that are out
     * and failed their latest probe are probed now rather than at their next interval, because a
     * zone's endpoints usually fail and heal together (a partition, a zone's network, a deploy), so
     * that a healed zone comes back with its first passing probe instead of its last. Only those
     * with no result since the passing probe was sent are probed, so one heal probes each sibling
     * once; the probes still count against {@code maxProbesPerSecond}.
     */
    private void probeZoneNow(Target passed) {
        Locality zone = passed.endpoint.locality();
        for (Target s : targets.values()) {
            if (s != passed && !s.inFlight && s.passes == 0 && !"continuous".equals(s.reason)
                    && s.resultNanos < passed.sentNanos && zone.equals(s.endpoint.locality())) {
                if (s.timer != null) {
                    s.timer.cancel();
                }
                log.debug("{}: {} passed; probing {} of the same zone now", service, passed.endpoint.id(),
                        s.endpoint.id());
                schedule(s, Duration.ZERO);
            }
        }
    }

    private String stateOf(String endpointId) {
        for (RoutingPlan.EndpointPlan e : plan.endpoints()) {
            if (e.endpoint().id().equals(endpointId)) {
                return outReason(e.state());
            }
        }
        return null;
    }

    /** Continuous checks: flips the verdict at the thresholds and republishes the view. */
    private void judge(Target t) {
        boolean flip = t.healthy ? t.failures >= policy.unhealthyThreshold() : t.passes >= policy.healthyThreshold();
        if (!flip) {
            return;
        }
        t.healthy = !t.healthy;
        boolean healthy = t.healthy;
        Endpoint endpoint = t.endpoint;
        if ("continuous".equals(t.reason) || "unhealthy".equals(t.reason)) {
            t.reason = healthy ? "continuous" : "unhealthy";
        }
        log.info("{}: {} ({}) marked {} by active health checks ({} in a row, last: {})", service, endpoint.id(),
                endpoint.address(), healthy ? "healthy" : "unhealthy",
                healthy ? t.passes + " passes" : t.failures + " failures", t.last.detail());
        listeners.forEach(l -> notify(l, () -> l.onHealthChanged(service, endpoint, healthy)));
        publish();
    }

    /** Delivers the registry's set with the endpoints failed by continuous checks marked critical. */
    private void publish() {
        if (registered == null) {
            return;
        }
        Set<String> failed = new HashSet<>();
        targets.forEach((id, t) -> {
            if (!t.healthy) {
                failed.add(id);
            }
        });
        List<Endpoint> view = new ArrayList<>(registered.endpoints().size());
        for (Endpoint e : registered.endpoints()) {
            view.add(failed.contains(e.id()) && e.health() != HealthStatus.CRITICAL
                    ? e.toBuilder().health(HealthStatus.CRITICAL).build() : e);
        }
        ServiceEndpoints next = ServiceEndpoints.of(service, view);
        if (next.equals(delivered)) {
            return;
        }
        delivered = next;
        viewListeners.forEach(l -> deliver(l, next));
    }

    private void deliver(EndpointListener listener, ServiceEndpoints set) {
        try {
            listener.onEndpoints(set);
        } catch (RuntimeException e) {
            log.warn("{}: endpoint listener {} failed", service, listener, e);
        }
    }

    private void notify(HealthCheckListener listener, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("{}: health check listener {} failed", service, listener, e);
        }
    }
}
