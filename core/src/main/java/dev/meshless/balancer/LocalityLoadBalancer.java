package dev.meshless.balancer;

import dev.meshless.balancer.internal.RegionLatencies;
import dev.meshless.concurrent.SerialExecutor;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.registry.Subscription;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The locality-aware load balancer of one service, as seen from one caller.
 *
 * <p>Keeps calls in the caller's zone while it is healthy, spills gradually to the other zones of
 * the region and then to other regions as health drops (Envoy's priority levels with an
 * over-provisioning factor), panics rather than crushing a few survivors, and balances zones by
 * capacity when the caller's own service is visible in the registry. The maths is in
 * {@code docs/load-balancing.md}.
 *
 * <p>Two sides, as in grpc-java:
 * <ul>
 *   <li>the <b>control side</b> ({@link #setEjected}, {@link #setProbing}, {@link #setZoneAvailable},
 *       {@link #setZoneProbing}, {@link #updatePolicy}, registry deliveries) may be called from any
 *       thread; its work runs
 *       one task at a time on a serial executor and ends by publishing a new immutable
 *       {@link Picker}, but only when the resulting {@link RoutingPlan} differs from the current one;</li>
 *   <li>the <b>data side</b> ({@link #pick()}, {@link #pick(Exclusions)}, {@link #picker()}) reads that
 *       picker through one volatile field: no lock, no I/O, no allocation.</li>
 * </ul>
 * When a control call returns, its change is live, unless another thread was already running
 * control work, in which case that thread applies it before it returns.
 */
public final class LocalityLoadBalancer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalityLoadBalancer.class);

    private final String service;
    private final Locality caller;
    private final String callerService;
    /** Listeners from the builder, then those added by {@link #listen}; read by control tasks. */
    private final List<BalancerListener> listeners;
    private final SerialExecutor control = new SerialExecutor();
    private final List<Subscription> subscriptions = new ArrayList<>();

    /** Written only by control tasks; volatile so that {@link #policy()} may read it anywhere. */
    private volatile LoadBalancingPolicy policy;
    // Control state: read and written only by tasks on `control`.
    private List<Endpoint> endpoints = List.of();
    private boolean endpointsKnown;
    private Map<Locality, Integer> callerCounts = Map.of();
    private final Set<String> ejected = new HashSet<>();
    private final Set<Locality> unavailableZones = new HashSet<>();
    private final Set<String> probing = new HashSet<>();
    private final Set<Locality> probingZones = new HashSet<>();
    private final Map<String, AtomicInteger> loads = new HashMap<>();
    /** Slow start: when each endpoint still ramping came back (time source nanos). */
    private final Map<String, Long> returnedAt = new HashMap<>();
    /**
     * Slow start of a scale-up: when each endpoint added after the first plan, still ramping inside
     * its zone, first entered the plan (time source nanos).
     */
    private final Map<String, Long> addedAt = new HashMap<>();
    /** Endpoints added after the first plan that have not been available yet: they ramp when they are. */
    private final Set<String> added = new HashSet<>();
    private final SlowStartPolicy slowStart;
    private final dev.meshless.time.TimeSource time;
    private dev.meshless.time.TimeSource.Cancellable rampTimer;
    /** Written once, by {@link #subscribe}; read by control tasks for the regions' proximity. */
    private EndpointRegistry registry;
    /** Written on the call path by {@link #recordLatency}; read by control tasks. */
    private final RegionLatencies latencies = new RegionLatencies();

    /** Written only by control tasks; read by any thread on every pick. */
    private volatile Picker picker;
    /** Written only by control tasks, with each rebuild; read by reports. */
    private volatile List<String> regionOrder = List.of();

    private LocalityLoadBalancer(Builder b) {
        this.service = b.service;
        this.caller = b.caller;
        this.callerService = b.callerService;
        this.policy = b.policy;
        this.listeners = new java.util.concurrent.CopyOnWriteArrayList<>(b.listeners);
        this.ejected.addAll(b.ejected);
        this.unavailableZones.addAll(b.unavailableZones);
        this.slowStart = b.slowStart;
        this.time = b.time;
        RoutingPlan initial = new RoutingPlan(service, caller, List.of(), List.of(), false,
                NoEndpointAvailableException.Reason.NO_ENDPOINTS,
                "the registry has not delivered its endpoints yet");
        this.picker = new Picker(initial, policy, id -> new AtomicInteger());
    }

    /**
     * Subscribes once the balancer is fully constructed; registries may deliver at once. Callers
     * first, so that with a registry that answers at once the first plan already knows them.
     */
    private LocalityLoadBalancer subscribe(EndpointRegistry registry) {
        this.registry = registry;
        if (callerService != null) {
            subscriptions.add(registry.subscribe(callerService, set -> control.execute(() -> onCallers(set))));
        }
        subscriptions.add(registry.subscribe(service, set -> control.execute(() -> onEndpoints(set))));
        return this;
    }

    /**
     * @param service the service to balance calls to
     * @return a builder; {@link Builder#registry} is required
     */
    public static Builder builder(String service) {
        return new Builder(service);
    }

    /**
     * Picks an endpoint for a first attempt.
     *
     * @return the pick
     * @throws NoEndpointAvailableException when nothing can be picked, with the reason
     */
    public Pick pick() {
        return picker.pick();
    }

    /**
     * Picks an endpoint for a first attempt that is also the call's last: never one only being
     * probed while known-good capacity exists.
     *
     * @return the pick
     * @throws NoEndpointAvailableException when nothing can be picked, with the reason
     * @see Picker#pickKnownGood()
     */
    public Pick pickKnownGood() {
        return picker.pickKnownGood();
    }

    /**
     * Picks an endpoint for a retry, avoiding what was already tried.
     *
     * @param exclusions endpoints and tiers already tried
     * @return the pick
     * @throws NoEndpointAvailableException when nothing untried remains, with the reason
     * @see Picker#pick(Exclusions)
     */
    public Pick pick(Exclusions exclusions) {
        return picker.pick(exclusions);
    }

    /**
     * Picks, for a retry that has no known-good endpoint left, an endpoint only being probed.
     *
     * @param exclusions what the call avoids
     * @return the pick
     * @throws NoEndpointAvailableException when none is left either
     * @see Picker#pickProbing(Exclusions)
     */
    public Pick pickProbing(Exclusions exclusions) {
        return picker.pickProbing(exclusions);
    }

    /** @return the current picker; keep it for several picks only when they must see one snapshot */
    public Picker picker() {
        return picker;
    }

    /** @return the plan the current picker follows */
    public RoutingPlan plan() {
        return picker.plan();
    }

    /** @return the service this balancer routes to */
    public String service() {
        return service;
    }

    /** @return the caller's locality, or {@code null} when unknown */
    public Locality caller() {
        return caller;
    }

    /**
     * Marks an endpoint ejected (by outlier detection) or returns it to the pool. Rebuilds the plan.
     * An ejection of an id the registry no longer lists is forgotten at the next registry update.
     *
     * @param endpointId the endpoint's id
     * @param isEjected true to eject, false to return it
     */
    public void setEjected(String endpointId, boolean isEjected) {
        Objects.requireNonNull(endpointId, "endpointId");
        toggle(ejected, endpointId, isEjected, "endpoint " + endpointId + (isEjected ? " ejected" : " returned"));
    }

    /**
     * Marks an endpoint as only being probed (its ejection just expired: it is not known to work
     * again yet) or known-good again. Rebuilds the plan. While known-good capacity exists anywhere
     * in the plan, a probing endpoint receives only its part of
     * {@link LoadBalancingPolicy#probeSharePercent()} of first attempts and no retry. Forgotten when
     * the registry no longer lists the endpoint. Other inputs (slow start) may build on this state.
     *
     * @param endpointId the endpoint's id
     * @param isProbing true while it is only being probed
     */
    public void setProbing(String endpointId, boolean isProbing) {
        Objects.requireNonNull(endpointId, "endpointId");
        toggle(probing, endpointId, isProbing, "endpoint " + endpointId + (isProbing ? " probing" : " known-good"));
    }

    /**
     * Marks a whole zone as only being probed (its circuit breaker is half-open) or known-good
     * again. Rebuilds the plan; as {@link #setProbing} for every endpoint of the zone.
     *
     * @param zone the zone (its sub-zone, if any, is ignored)
     * @param isProbing true while it is only being probed
     */
    public void setZoneProbing(Locality zone, boolean isProbing) {
        Locality key = zone.withoutSubZone();
        toggle(probingZones, key, isProbing, "zone " + key + (isProbing ? " probing" : " known-good"));
    }

    /**
     * Records the latency of a successful attempt to another region, for the proximity order of
     * regions the policy does not list. Lock-free; called on the call path. The order is read again
     * at the next plan change.
     *
     * @param region the region of the endpoint that answered
     * @param nanos how long the attempt took
     */
    public void recordLatency(String region, long nanos) {
        latencies.record(region, nanos);
    }

    /**
     * @return the regions after the caller's, in tier order (the order the current plan was built
     *     with: those the policy lists, then the others nearest first)
     */
    public List<String> regionOrder() {
        return regionOrder;
    }

    /**
     * Marks a whole zone of this service unavailable (for example while its circuit breaker is
     * open) or available again. Rebuilds the plan; the spillover maths moves the zone's share.
     *
     * @param zone the zone (its sub-zone, if any, is ignored)
     * @param available false to take the zone out, true to bring it back
     */
    public void setZoneAvailable(Locality zone, boolean available) {
        Locality key = zone.withoutSubZone();
        toggle(unavailableZones, key, !available, "zone " + key + (available ? " available" : " unavailable"));
    }

    /**
     * Replaces the policy (for example after a configuration reload). Rebuilds the plan.
     *
     * @param newPolicy the policy to apply from now on
     */
    public void updatePolicy(LoadBalancingPolicy newPolicy) {
        Objects.requireNonNull(newPolicy, "policy");
        control.execute(() -> {
            if (!newPolicy.equals(policy)) {
                policy = newPolicy;
                rebuild("policy updated");
            }
        });
    }

    /**
     * Adds a listener after the balancer was built, for the parts of a client that are built on
     * top of it (outlier detection, active health checks) and must hear endpoints come back.
     *
     * @param listener hears plan changes from the next change on
     * @return closes the subscription
     */
    public Subscription listen(BalancerListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** On the control side: adds or removes a key of a health input, and rebuilds when that changed it. */
    private <T> void toggle(Set<T> set, T key, boolean present, String cause) {
        control.execute(() -> {
            if (present ? set.add(key) : set.remove(key)) {
                rebuild(cause);
            }
        });
    }

    /** @return the policy in force */
    public LoadBalancingPolicy policy() {
        return policy;
    }

    /** Stops listening to the registry. Picks keep working on the last snapshot. */
    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
        control.execute(() -> {
            if (rampTimer != null) {
                rampTimer.cancel();
                rampTimer = null;
            }
            returnedAt.clear();
            addedAt.clear();
            added.clear();
        });
    }

    /** @return the slow-start settings */
    public SlowStartPolicy slowStart() {
        return slowStart;
    }

    private void onEndpoints(ServiceEndpoints set) {
        Set<String> listed = new HashSet<>();
        for (Endpoint e : endpoints) {
            listed.add(e.id());
        }
        boolean firstPlan = !endpointsKnown;
        endpoints = set.endpoints();
        endpointsKnown = true;
        Set<String> ids = new HashSet<>();
        for (Endpoint e : endpoints) {
            ids.add(e.id());
            if (slowStart.enabled() && !firstPlan && !listed.contains(e.id())) {
                added.add(e.id()); // a scale-up; same id with new metadata is not new
            }
        }
        added.retainAll(ids);
        ejected.retainAll(ids);
        probing.retainAll(ids);
        loads.keySet().retainAll(ids);
        Set<String> regions = new HashSet<>();
        endpoints.forEach(e -> regions.add(e.locality().region()));
        latencies.retain(regions);
        rebuild("registry update");
    }

    private void onCallers(ServiceEndpoints set) {
        Map<Locality, Integer> counts = new HashMap<>();
        for (Endpoint e : set.endpoints()) {
            if (e.health() != HealthStatus.CRITICAL) {
                counts.merge(e.locality().withoutSubZone(), 1, Integer::sum);
            }
        }
        if (!counts.equals(callerCounts)) {
            callerCounts = Map.copyOf(counts);
            if (endpointsKnown) {
                rebuild("caller topology update");
            }
        }
    }

    private void rebuild(String cause) {
        if (!endpointsKnown) {
            return;
        }
        RoutingPlan previous = picker.plan();
        RoutingPlan computed = compute();
        RoutingPlan next = slowStart.enabled() && noteReturns(previous, computed) ? compute() : computed;
        if (next.equals(previous)) {
            return;
        }
        boolean rampStep = cause.equals(RAMP);
        picker = new Picker(next, policy, id -> loads.computeIfAbsent(id, k -> new AtomicInteger()));
        if (log.isDebugEnabled()) {
            log.debug("{} ({}): {}", service, cause, next);
        }
        boolean shifted = !rampStep && !previous.tiers().isEmpty()
                && !previous.shareByTier().equals(next.shareByTier());
        if (shifted) {
            log.info("{}", describeShift(previous, next));
        }
        boolean enteredPanic = next.panic() && !previous.panic();
        boolean leftPanic = !next.panic() && previous.panic();
        if (enteredPanic) {
            log.warn("{}", describePanic(next));
        } else if (leftPanic) {
            log.info("{}: left panic; traffic follows health again ({})", service, next);
        }
        for (BalancerListener l : listeners) {
            notify(l, () -> l.onPlanChanged(previous, next));
            if (shifted) {
                notify(l, () -> l.onFailover(previous, next));
            }
            if (enteredPanic) {
                notify(l, () -> l.onPanicEntered(next));
            } else if (leftPanic) {
                notify(l, () -> l.onPanicExited(next));
            }
        }
    }

    private static final String RAMP = "slow start";

    private RoutingPlan compute() {
        PlanCalculator.Input in = input(factors(returnedAt), factors(addedAt));
        regionOrder = List.copyOf(PlanCalculator.regionTiers(in, caller == null ? null : caller.withoutSubZone()));
        return PlanCalculator.compute(in);
    }

    /** The slow-start factors now, below 1; forgets the endpoints whose window has passed. */
    private Map<String, Double> factors(Map<String, Long> since) {
        if (since.isEmpty()) {
            return Map.of();
        }
        long now = time.nanoTime();
        Map<String, Double> factors = new HashMap<>();
        since.entrySet().removeIf(e -> {
            double f = slowStart.factor(now - e.getValue());
            if (f < 1.0) {
                factors.put(e.getKey(), f);
            }
            return f >= 1.0;
        });
        return factors;
    }

    /**
     * Slow start: endpoints that came back into the plan (were known and not available, now are)
     * start ramping in their zone's and tier's health; endpoints added after the first plan start
     * ramping inside their zone when they first enter it; those that leave it stop (a later return
     * follows the returning rule). Keeps a timer that rebuilds the plan while any ramps.
     *
     * @return whether an endpoint started ramping, so that the plan must be computed again
     */
    private boolean noteReturns(RoutingPlan previous, RoutingPlan next) {
        Map<String, EndpointState> before = new HashMap<>();
        for (RoutingPlan.EndpointPlan e : previous.endpoints()) {
            before.put(e.endpoint().id(), e.state());
        }
        boolean started = false;
        long now = time.nanoTime();
        for (RoutingPlan.EndpointPlan e : next.endpoints()) {
            String id = e.endpoint().id();
            EndpointState was = before.get(id);
            if (e.state() != EndpointState.AVAILABLE) {
                returnedAt.remove(id);
                addedAt.remove(id);
                continue;
            }
            // A new endpoint's first entry, unless a Meshless input (breaker, ejection) held it out:
            // then it comes back with its zone, and returning rules win.
            boolean firstEntry = added.remove(id) && (was == null || was == EndpointState.UNHEALTHY
                    || was == EndpointState.REGION_EXCLUDED);
            if (firstEntry) {
                addedAt.put(id, now);
                started = true;
            } else if (was != null && was != EndpointState.AVAILABLE && was != EndpointState.REGION_EXCLUDED) {
                returnedAt.put(id, now);
                addedAt.remove(id);
                started = true;
            }
        }
        Set<String> ids = idsOf(next);
        returnedAt.keySet().retainAll(ids);
        addedAt.keySet().retainAll(ids);
        if (started) {
            log.info("{}: slow start: {} returning and {} new endpoint(s) start at {}% of their weight, full after"
                    + " {} ms", service, returnedAt.size(), addedAt.size(), slowStart.minWeightPercent(),
                    slowStart.window().toMillis());
        }
        if (ramping() && rampTimer == null) {
            scheduleRamp();
        }
        return started;
    }

    private boolean ramping() {
        return !returnedAt.isEmpty() || !addedAt.isEmpty();
    }

    private static Set<String> idsOf(RoutingPlan plan) {
        Set<String> ids = new HashSet<>();
        plan.endpoints().forEach(e -> ids.add(e.endpoint().id()));
        return ids;
    }

    /** One rebuild per twentieth of the window (at least 50 ms apart) while endpoints ramp. */
    private void scheduleRamp() {
        long step = Math.max(50_000_000L, slowStart.window().toNanos() / 20);
        rampTimer = time.schedule(() -> control.execute(() -> {
            rampTimer = null;
            rebuild(RAMP);
            if (ramping() && rampTimer == null) {
                scheduleRamp();
            }
        }), java.time.Duration.ofNanos(step));
    }

    /**
     * The plan's inputs now. Proximity: the registry's order (Consul's round-trip order), then the
     * regions measured by latency. Control tasks only.
     */
    private PlanCalculator.Input input(Map<String, Double> ramp, Map<String, Double> zoneRamp) {
        List<String> proximity = new ArrayList<>();
        if (registry != null) {
            try {
                proximity.addAll(registry.regionsByProximity());
            } catch (RuntimeException e) {
                log.debug("{}: the registry could not order regions by proximity", service, e);
            }
        }
        for (String r : latencies.nearestFirst()) {
            if (!proximity.contains(r)) {
                proximity.add(r);
            }
        }
        return new PlanCalculator.Input(service, caller, policy, endpoints, callerCounts, ejected, unavailableZones,
                probing, probingZones, proximity, false, ramp, zoneRamp);
    }

    private void notify(BalancerListener listener, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("{}: balancer listener {} failed; routing is not affected", service, listener, e);
        }
    }

    /**
     * "inventory: zone r1-a has 0 of 3 endpoints available (was 3); traffic now r1-b 50.0%, r1-c 50.0%":
     * the zones whose available endpoints changed, else the caller's zone.
     */
    private String describeShift(RoutingPlan previous, RoutingPlan plan) {
        StringBuilder sb = new StringBuilder(service).append(':');
        Map<Locality, long[]> before = availability(previous);
        Map<Locality, long[]> after = availability(plan);
        boolean described = false;
        for (Map.Entry<Locality, long[]> z : after.entrySet()) {
            long[] was = before.get(z.getKey());
            if (was != null && was[0] != z.getValue()[0]) {
                sb.append(described ? "," : "").append(" zone ").append(z.getKey().zone()).append(" has ")
                        .append(z.getValue()[0]).append(" of ").append(z.getValue()[1])
                        .append(" endpoints available (was ").append(was[0]).append(')');
                described = true;
            }
        }
        if (!described && caller != null) {
            long[] home = after.getOrDefault(caller.withoutSubZone(), new long[2]);
            sb.append(" zone ").append(caller.zone()).append(" has ").append(home[0]).append(" of ").append(home[1])
                    .append(" endpoints available");
            described = true;
        }
        if (described) {
            sb.append(';');
        }
        sb.append(" traffic now");
        String separator = " ";
        for (Map.Entry<Locality, Double> z : plan.shareByZone().entrySet()) {
            if (z.getValue() > 0.0) {
                sb.append(separator).append(z.getKey().zone())
                        .append(String.format(Locale.ROOT, " %.1f%%", z.getValue() * 100));
                separator = ", ";
            }
        }
        if (!plan.routable()) {
            sb.append(" nowhere (").append(plan.unroutableDetail()).append(')');
        }
        return sb.toString();
    }

    /** Zone (without sub-zone) → {available, total} endpoints, in the plan's order. */
    private static Map<Locality, long[]> availability(RoutingPlan plan) {
        Map<Locality, long[]> zones = new java.util.LinkedHashMap<>();
        for (RoutingPlan.EndpointPlan e : plan.endpoints()) {
            long[] counts = zones.computeIfAbsent(e.endpoint().locality().withoutSubZone(), z -> new long[2]);
            counts[0] += e.state() == EndpointState.AVAILABLE ? 1 : 0;
            counts[1]++;
        }
        return zones;
    }

    private String describePanic(RoutingPlan plan) {
        StringBuilder sb = new StringBuilder(service).append(": entered panic;");
        for (RoutingPlan.TierPlan t : plan.tiers()) {
            if (t.panic()) {
                sb.append(String.format(Locale.ROOT,
                        " tier %d (%s) has %.1f%% of its weight available (panic threshold %.1f%%), so its"
                                + " %.1f%% share now goes to all %d of its endpoints regardless of health;",
                        t.tier(), t.kind().tag(), t.healthyFraction() * 100, policy.panicThresholdPercent(),
                        t.share() * 100, t.zones().stream().mapToInt(z -> z.endpoints().size()).sum()));
            }
        }
        return sb.substring(0, sb.length() - 1);
    }

    /** Builder for {@link LocalityLoadBalancer}; not thread-safe. */
    public static final class Builder {
        private final String service;
        private EndpointRegistry registry;
        private Locality caller;
        private String callerService;
        private LoadBalancingPolicy policy = LoadBalancingPolicy.defaults();
        private final List<BalancerListener> listeners = new ArrayList<>();
        private final Set<String> ejected = new HashSet<>();
        private final Set<Locality> unavailableZones = new HashSet<>();
        private SlowStartPolicy slowStart = SlowStartPolicy.disabled();
        private dev.meshless.time.TimeSource time = dev.meshless.time.TimeSource.system();

        private Builder(String service) {
            if (service == null || service.isBlank()) {
                throw new IllegalArgumentException("service must be a non-blank name, but was "
                        + (service == null ? "null" : "'" + service + "'"));
            }
            this.service = service;
        }

        /**
         * @param registry where the service's endpoints come from; required
         * @return this builder
         */
        public Builder registry(EndpointRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * @param caller where the calling instance runs; {@code null} (the default) disables
         *     locality preference: every endpoint is then in tier 0
         * @return this builder
         */
        public Builder caller(Locality caller) {
            this.caller = caller;
            return this;
        }

        /**
         * @param callerService the calling instance's own service name, looked up in the same
         *     registry to learn how callers spread over zones (capacity-aware zone routing);
         *     {@code null} (the default) disables capacity-aware routing
         * @return this builder
         */
        public Builder callerService(String callerService) {
            if (callerService != null && callerService.isBlank()) {
                throw new IllegalArgumentException("callerService must be null or a non-blank name, but was '"
                        + callerService + "'");
            }
            this.callerService = callerService;
            return this;
        }

        /**
         * @param policy the load-balancing policy; default {@link LoadBalancingPolicy#defaults()}
         * @return this builder
         */
        public Builder policy(LoadBalancingPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param listener hears plan changes and panic; may be called several times
         * @return this builder
         */
        public Builder listener(BalancerListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Starts with an endpoint ejected, so that the first plan already leaves it out (instead of
         * calling {@link LocalityLoadBalancer#setEjected} after the first plan is live). Forgotten if
         * the registry's first set does not list it.
         *
         * @param endpointId the endpoint's id
         * @return this builder
         */
        public Builder ejected(String endpointId) {
            this.ejected.add(Objects.requireNonNull(endpointId, "endpointId"));
            return this;
        }

        /**
         * Starts with a zone unavailable, so that the first plan already leaves it out.
         *
         * @param zone the zone (its sub-zone, if any, is ignored)
         * @return this builder
         */
        public Builder unavailableZone(Locality zone) {
            this.unavailableZones.add(zone.withoutSubZone());
            return this;
        }

        /**
         * @param policy how endpoints that come back ramp up; default {@link SlowStartPolicy#disabled()}
         * @param timeSource the clock and timers of the ramp
         * @return this builder
         */
        public Builder slowStart(SlowStartPolicy policy, dev.meshless.time.TimeSource timeSource) {
            this.slowStart = Objects.requireNonNull(policy, "slowStart");
            this.time = Objects.requireNonNull(timeSource, "timeSource");
            return this;
        }

        /**
         * Builds the balancer and subscribes to the registry.
         *
         * @return the balancer
         * @throws IllegalStateException when no registry was given
         */
        public LocalityLoadBalancer build() {
            if (registry == null) {
                throw new IllegalStateException("registry must be set for service '" + service + "'");
            }
            return new LocalityLoadBalancer(this).subscribe(registry);
        }
    }
}
