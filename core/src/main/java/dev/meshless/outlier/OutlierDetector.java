package dev.meshless.outlier;

import dev.meshless.balancer.BalancerListener;
import dev.meshless.balancer.EndpointState;
import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.balancer.RoutingPlan;
import dev.meshless.outcome.Outcome;
import dev.meshless.concurrent.SerialExecutor;
import dev.meshless.time.TimeSource;
import dev.meshless.topology.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive outlier detection for one service: watches the outcome of every attempt and ejects
 * endpoints that fail, by Envoy's rules (consecutive failures, consecutive gateway failures,
 * consecutive local-origin failures, failure percentage, success rate) and one of its own
 * (consecutive connection refusals, which are unambiguous). An ejection marks the
 * endpoint ejected in the {@link LocalityLoadBalancer}, which rebuilds its picker; the endpoint
 * returns after {@code base × times ejected} (capped, plus jitter), or earlier when health checks
 * pass ({@link #healthCheckPassed}, and the registry's checks passing again after critical) and
 * {@link OutlierDetectionPolicy#successfulHealthCheckUnejects()} allows it.
 *
 * <p>The interval rules (success rate, failure percentage) only count attempts made since the
 * endpoint last returned to the plan, whatever had taken it out (ejection, its zone's breaker, the
 * registry's health): what it did before it healed says nothing about it now.
 *
 * <p>{@link #record} is called on the call path from any thread: it only updates atomic counters.
 * Ejections, returns and interval evaluations run one at a time on the detector's serial executor
 * (timers from the {@link TimeSource}).
 */
public final class OutlierDetector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

    private final LocalityLoadBalancer balancer;
    private final String service;
    private final OutlierDetectionPolicy policy;
    private final TimeSource time;
    private final List<OutlierListener> listeners;
    private final DoubleSupplier random;
    private final SerialExecutor control = new SerialExecutor();
    private final Map<String, HostState> hosts = new ConcurrentHashMap<>();
    /** Written only by control tasks. */
    private volatile TimeSource.Cancellable intervalTimer;
    private volatile boolean closed;
    /** Hears endpoints come back in the balancer's plan; set once at start. */
    private volatile dev.meshless.registry.Subscription planSubscription;

    /** Per-endpoint counters; atomics for the call path, plain fields confined to {@code control}. */
    private static final class HostState {
        final AtomicInteger consecutiveFailures = new AtomicInteger();
        final AtomicInteger consecutiveGatewayFailures = new AtomicInteger();
        final AtomicInteger consecutiveLocalOriginFailures = new AtomicInteger();
        final AtomicInteger consecutiveRefusals = new AtomicInteger();
        final LongAdder successes = new LongAdder();
        final LongAdder failures = new LongAdder();
        volatile boolean ejected;
        /** Back from an ejection and not yet answered since: only probed ({@link LocalityLoadBalancer#setProbing}). */
        volatile boolean probing;
        /** Whether an attempt reached it while probed, since its return or the last check. */
        volatile boolean probed;
        Endpoint endpoint;
        int timesEjected;
        long returnedAtNanos;
        /** Whether its last return was an active health check's ({@link #healthCheckPassed}). */
        boolean returnedByProbe;
        /** Whether it answered a request since its last return; written false on return, true on an answer. */
        volatile boolean answeredSinceReturn = true;
        /**
         * Real traffic disproved the probes: it came back on a passing health check, answered no
         * request and was ejected again within one base ejection time. Until this ejection runs out, passing probes do not bring
         * it back — its health path answers while its requests fail (a slow dependency, a probe on
         * another port) — or it would go back and forth with every probe.
         */
        boolean probesDisproved;
        TimeSource.Cancellable returnTimer;

        void resetConsecutive() {
            consecutiveFailures.set(0);
            consecutiveGatewayFailures.set(0);
            consecutiveLocalOriginFailures.set(0);
            consecutiveRefusals.set(0);
        }
    }

    private OutlierDetector(LocalityLoadBalancer balancer, OutlierDetectionPolicy policy, TimeSource time,
                            List<OutlierListener> listeners, DoubleSupplier random) {
        this.balancer = balancer;
        this.service = balancer.service();
        this.policy = policy;
        this.time = time;
        this.listeners = List.copyOf(listeners);
        this.random = random;
    }

    /**
     * Creates a detector and starts its interval timer.
     *
     * @param balancer the service's balancer, whose endpoints are ejected
     * @param policy the rules
     * @param time time and timers
     * @param listeners hear ejections and returns
     * @return the running detector
     */
    public static OutlierDetector start(LocalityLoadBalancer balancer, OutlierDetectionPolicy policy, TimeSource time,
                                        List<? extends OutlierListener> listeners) {
        return start(balancer, policy, time, listeners, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * As {@link #start(LocalityLoadBalancer, OutlierDetectionPolicy, TimeSource, List)}, with the
     * source of the ejection-time jitter (0 to 1) given, for deterministic tests.
     *
     * @param balancer the service's balancer
     * @param policy the rules
     * @param time time and timers
     * @param listeners hear ejections and returns
     * @param random uniform numbers in [0, 1) for the jitter
     * @return the running detector
     */
    public static OutlierDetector start(LocalityLoadBalancer balancer, OutlierDetectionPolicy policy, TimeSource time,
                                        List<? extends OutlierListener> listeners, DoubleSupplier random) {
        OutlierDetector detector = new OutlierDetector(Objects.requireNonNull(balancer, "balancer"),
                Objects.requireNonNull(policy, "policy"), Objects.requireNonNull(time, "time"),
                new ArrayList<>(listeners), random);
        if (policy.enabled()) {
            detector.control.execute(detector::scheduleInterval);
            detector.planSubscription = balancer.listen(new BalancerListener() {
                @Override
                public void onPlanChanged(RoutingPlan previous, RoutingPlan current) {
                    detector.control.execute(() -> detector.onPlanChanged(previous, current));
                }
            });
        }
        return detector;
    }

    /**
     * Records the outcome of one attempt. Lock-free; safe from any thread.
     *
     * @param endpoint the endpoint that served the attempt
     * @param outcome its outcome
     */
    public void record(Endpoint endpoint, Outcome outcome) {
        if (!policy.enabled()) {
            return;
        }
        HostState h = hosts.get(endpoint.id());
        if (h == null) {
            h = hosts.computeIfAbsent(endpoint.id(), id -> new HostState());
        }
        if (h.probing && !h.probed) {
            h.probed = true;
        }
        switch (outcome.kind()) {
            case SUCCESS:
            case CALLER_ERROR:
                // The endpoint answered: it works, even if the request was bad.
                h.successes.increment();
                if (!h.answeredSinceReturn) {
                    h.answeredSinceReturn = true;
                }
                if (h.probing) {
                    HostState host = h;
                    control.execute(() -> endProbe(host, endpoint));
                }
                if (h.consecutiveFailures.get() != 0 || h.consecutiveLocalOriginFailures.get() != 0
                        || h.consecutiveGatewayFailures.get() != 0 || h.consecutiveRefusals.get() != 0) {
                    h.resetConsecutive();
                }
                return;
            case OVERLOADED:
                return; // back off, but never eject for it
            case GATEWAY_FAILURE:
            case ENDPOINT_FAILURE:
                h.failures.increment();
                EjectionReason reason = null;
                int failures = h.consecutiveFailures.incrementAndGet();
                if (policy.consecutiveFailures() > 0 && failures >= policy.consecutiveFailures()) {
                    reason = EjectionReason.CONSECUTIVE_FAILURES;
                }
                if (outcome.kind() == Outcome.Kind.GATEWAY_FAILURE) {
                    int gateway = h.consecutiveGatewayFailures.incrementAndGet();
                    if (policy.consecutiveGatewayFailures() > 0 && gateway >= policy.consecutiveGatewayFailures()) {
                        reason = EjectionReason.CONSECUTIVE_GATEWAY_FAILURES;
                    }
                } else {
                    h.consecutiveGatewayFailures.set(0);
                }
                if (outcome.localOrigin()) {
                    int local = h.consecutiveLocalOriginFailures.incrementAndGet();
                    if (policy.consecutiveLocalOriginFailures() > 0
                            && local >= policy.consecutiveLocalOriginFailures()) {
                        reason = EjectionReason.CONSECUTIVE_LOCAL_ORIGIN_FAILURES;
                    }
                } else {
                    h.consecutiveLocalOriginFailures.set(0);
                }
                if (outcome.refused()) {
                    int refusals = h.consecutiveRefusals.incrementAndGet();
                    if (policy.consecutiveConnectionRefusals() > 0 && refusals >= policy.consecutiveConnectionRefusals()) {
                        reason = EjectionReason.CONSECUTIVE_CONNECTION_REFUSALS;
                    }
                } else {
                    h.consecutiveRefusals.set(0);
                }
                if (reason != null && !h.ejected) {
                    HostState host = h;
                    EjectionReason why = reason;
                    control.execute(() -> eject(host, endpoint, why, failures + " failures in a row, last "
                            + outcome.description()));
                }
                return;
            default:
                throw new IllegalStateException("unknown outcome kind " + outcome.kind());
        }
    }

    /**
     * @param endpointId an endpoint id
     * @return whether it is currently ejected
     */
    public boolean isEjected(String endpointId) {
        HostState h = hosts.get(endpointId);
        return h != null && h.ejected;
    }

    /** @return ids of the endpoints currently ejected */
    public Set<String> ejected() {
        Set<String> ids = new HashSet<>();
        hosts.forEach((id, h) -> {
            if (h.ejected) {
                ids.add(id);
            }
        });
        return ids;
    }

    /**
     * Evidence from outside the call path that an endpoint works again: active health checks
     * passed their healthy threshold. When the policy lets health checks uneject
     * ({@link OutlierDetectionPolicy#successfulHealthCheckUnejects()}), an ejected endpoint returns
     * at once, with its counters cleared; otherwise nothing happens. An endpoint that came back this
     * way, answered no request and was ejected again within one base ejection time stays out until
     * that ejection runs out: real traffic disproved its probes. Safe from any thread.
     *
     * @param endpointId the endpoint
     * @param evidence what passed, for the log
     */
    public void healthCheckPassed(String endpointId, String evidence) {
        if (!policy.enabled() || !policy.successfulHealthCheckUnejects()) {
            return;
        }
        control.execute(() -> {
            HostState h = hosts.get(endpointId);
            if (h != null && h.ejected && !closed) {
                if (h.probesDisproved) {
                    log.debug("{}: {} passes health checks but stays out until its ejection runs out: it failed"
                            + " every request after its last return on a passing check", service, endpointId);
                    return;
                }
                returnEarly(h, evidence);
            }
        });
    }

    private void returnEarly(HostState h, String evidence) {
        if (h.returnTimer != null) {
            h.returnTimer.cancel();
        }
        log.info("{}: {} returns before its ejection time runs out: {}", service, h.endpoint.id(), evidence);
        giveBack(h, true);
    }

    /**
     * Endpoints that came back into the plan (from ejection, an open zone breaker or critical
     * registry health) start with empty interval statistics; an ejected endpoint the registry now
     * reports passing after critical returns when the policy lets health checks uneject.
     */
    private void onPlanChanged(RoutingPlan previous, RoutingPlan current) {
        if (closed) {
            return;
        }
        Map<String, EndpointState> before = new HashMap<>();
        for (RoutingPlan.EndpointPlan e : previous.endpoints()) {
            before.put(e.endpoint().id(), e.state());
        }
        for (RoutingPlan.EndpointPlan e : current.endpoints()) {
            EndpointState was = before.get(e.endpoint().id());
            HostState h = hosts.get(e.endpoint().id());
            if (was == null || was == e.state() || h == null) {
                continue;
            }
            if (e.state() == EndpointState.AVAILABLE) {
                h.resetConsecutive();
                h.successes.reset();
                h.failures.reset();
                h.returnedAtNanos = time.nanoTime();
            } else if (was == EndpointState.UNHEALTHY && e.state() == EndpointState.EJECTED && h.ejected
                    && policy.successfulHealthCheckUnejects() && !h.probesDisproved) {
                // A registry's health check is a check like a probe (continuous checks write it too):
                // disproved the same way, by requests that all failed right after such a return.
                returnEarly(h, "the registry reports it passing again");
            }
        }
    }

    /** Stops the timers; endpoints already ejected stay ejected in the balancer. */
    @Override
    public void close() {
        closed = true;
        if (planSubscription != null) {
            planSubscription.close();
        }
        control.execute(() -> {
            if (intervalTimer != null) {
                intervalTimer.cancel();
            }
            hosts.values().forEach(h -> {
                if (h.returnTimer != null) {
                    h.returnTimer.cancel();
                }
            });
        });
    }

    private void scheduleInterval() {
        if (!closed) {
            intervalTimer = time.schedule(() -> control.execute(this::evaluateInterval), policy.interval());
        }
    }

    private void eject(HostState h, Endpoint endpoint, EjectionReason reason, String detail) {
        if (h.ejected || closed) {
            return;
        }
        List<RoutingPlan.EndpointPlan> all = balancer.plan().endpoints();
        int ejectedNow = 0;
        for (HostState other : hosts.values()) {
            ejectedNow += other.ejected ? 1 : 0;
        }
        if (all.isEmpty() || (ejectedNow + 1) * 100 > policy.maxEjectionPercent() * all.size()) {
            log.debug("{}: not ejecting {}: {} of {} endpoints already ejected (maxEjectionPercent={})", service,
                    endpoint.id(), ejectedNow, all.size(), policy.maxEjectionPercent());
            return;
        }
        h.timesEjected++;
        long base = policy.baseEjectionTime().toNanos();
        long nanos = Math.min(policy.maxEjectionTime().toNanos(),
                base > Long.MAX_VALUE / h.timesEjected ? Long.MAX_VALUE : base * h.timesEjected);
        nanos += (long) (random.getAsDouble() * policy.maxEjectionTimeJitter().toNanos());
        Duration ejectionTime = Duration.ofNanos(nanos);
        // Only soon after the return (within one base ejection time): an endpoint that came back on a
        // probe and then got no traffic for long (a failover-only zone) is not judged on a later fault.
        h.probesDisproved = h.returnedByProbe && !h.answeredSinceReturn
                && time.nanoTime() - h.returnedAtNanos < policy.baseEjectionTime().toNanos();
        String why = !h.probesDisproved ? detail : detail + "; it came back on a passing health check and"
                + " answered no request since, so only its ejection time brings it back this time";
        h.ejected = true;
        h.endpoint = endpoint;
        h.resetConsecutive();
        balancer.setEjected(endpoint.id(), true);
        h.returnTimer = time.schedule(() -> control.execute(() -> giveBack(h, false)), ejectionTime);
        log.info("{}: ejected {}{} for {} ms: {} ({})", service, endpoint.id(),
                endpoint.id().equals(endpoint.address()) ? "" : " (" + endpoint.address() + ")", ejectionTime.toMillis(), reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), why);
        for (OutlierListener l : listeners) {
            try {
                l.onEjected(service, endpoint, reason, ejectionTime);
            } catch (RuntimeException e) {
                log.warn("{}: outlier listener {} failed", service, l, e);
            }
        }
    }

    /**
     * @param confirmed whether health checks confirmed the endpoint answers: then it is known-good at
     *     once; an ejection that ran out leaves it only probed until it answers a request
     */
    private void giveBack(HostState h, boolean confirmed) {
        if (!h.ejected) {
            return;
        }
        h.ejected = false;
        h.returnTimer = null;
        h.returnedAtNanos = time.nanoTime();
        h.returnedByProbe = confirmed;
        h.probesDisproved = false;
        h.answeredSinceReturn = false;
        h.resetConsecutive();
        h.successes.reset();
        h.failures.reset();
        // Probing first, so that the endpoint goes from ejected to probed without a plan between
        // in which it is known-good. A confirmed return also ends a probe left from an earlier return
        // (ejected again while probed), or it would stay only probed with nothing to end it.
        h.probing = !confirmed;
        h.probed = false;
        balancer.setProbing(h.endpoint.id(), !confirmed);
        if (!confirmed) {
            probeDeadline(h, h.returnedAtNanos);
        }
        balancer.setEjected(h.endpoint.id(), false);
        log.info("{}: {} ({}) is back in the pool after {} ejection(s)", service, h.endpoint.id(),
                h.endpoint.address(), h.timesEjected);
        for (OutlierListener l : listeners) {
            try {
                l.onReturned(service, h.endpoint);
            } catch (RuntimeException e) {
                log.warn("{}: outlier listener {} failed", service, l, e);
            }
        }
    }

    /**
     * A returned endpoint that no attempt reaches for one {@code interval} is known-good again, as
     * Envoy returns a host fully when its ejection ends. Without this, calls that may not be probes
     * (not repeatable, or single attempts) would leave the endpoints of a service that only has such
     * calls probed forever. One interval is the detector's own period: its statistics would not
     * judge the endpoint sooner, and it keeps the endpoint out of those calls only that much longer
     * than Envoy would. An endpoint that was probed and neither answered nor failed its way out
     * again is checked once more an interval later.
     */
    private void probeDeadline(HostState h, long returnedAt) {
        time.schedule(() -> control.execute(() -> {
            if (closed || !h.probing || h.ejected || h.returnedAtNanos != returnedAt) {
                return;
            }
            if (h.probed) {
                h.probed = false;
                probeDeadline(h, returnedAt);
                return;
            }
            log.info("{}: {} ({}) got no probe within {} ms of its return: known-good again", service,
                    h.endpoint.id(), h.endpoint.address(), policy.interval().toMillis());
            endProbe(h, h.endpoint);
        }), policy.interval());
    }

    /** A returned endpoint answered: it is known-good again. */
    private void endProbe(HostState h, Endpoint endpoint) {
        if (h.probing && !h.ejected) {
            h.probing = false;
            balancer.setProbing(endpoint.id(), false);
        }
    }

    /** Success rate and failure percentage over the interval, then multiplier decay. */
    private void evaluateInterval() {
        if (closed) {
            return;
        }
        Map<String, Endpoint> current = new HashMap<>();
        for (RoutingPlan.EndpointPlan e : balancer.plan().endpoints()) {
            current.put(e.endpoint().id(), e.endpoint());
        }
        hosts.entrySet().removeIf(entry -> {
            boolean gone = !current.containsKey(entry.getKey());
            if (gone && entry.getValue().returnTimer != null) {
                entry.getValue().returnTimer.cancel();
            }
            return gone;
        });
        List<String> ids = new ArrayList<>();
        List<long[]> volumes = new ArrayList<>();
        hosts.forEach((id, h) -> {
            long ok = h.successes.sumThenReset();
            long failed = h.failures.sumThenReset();
            if (!h.ejected) {
                ids.add(id);
                volumes.add(new long[] {ok, failed});
            }
        });
        if (policy.failurePercentageEnabled()) {
            evaluateFailurePercentage(ids, volumes, current);
        }
        if (policy.successRateEnabled()) {
            evaluateSuccessRate(ids, volumes, current);
        }
        // Envoy's back-off decay: one step per interval spent entirely in the pool.
        long now = time.nanoTime();
        hosts.values().forEach(h -> {
            if (!h.ejected && h.timesEjected > 0 && now - h.returnedAtNanos >= policy.interval().toNanos()) {
                h.timesEjected--;
            }
        });
        scheduleInterval();
    }

    private void evaluateFailurePercentage(List<String> ids, List<long[]> volumes, Map<String, Endpoint> current) {
        List<Integer> eligible = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (volumes.get(i)[0] + volumes.get(i)[1] >= policy.failurePercentageRequestVolume()) {
                eligible.add(i);
            }
        }
        if (eligible.size() < policy.failurePercentageMinimumHosts()) {
            return;
        }
        for (int i : eligible) {
            long[] v = volumes.get(i);
            double percent = 100.0 * v[1] / (v[0] + v[1]);
            if (percent >= policy.failurePercentageThreshold()) {
                eject(hosts.get(ids.get(i)), current.get(ids.get(i)), EjectionReason.FAILURE_PERCENTAGE,
                        String.format(java.util.Locale.ROOT, "%.1f%% of %d requests failed in the last interval",
                                percent, v[0] + v[1]));
            }
        }
    }

    private void evaluateSuccessRate(List<String> ids, List<long[]> volumes, Map<String, Endpoint> current) {
        List<Integer> eligible = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (volumes.get(i)[0] + volumes.get(i)[1] >= policy.successRateRequestVolume()) {
                eligible.add(i);
            }
        }
        if (eligible.size() < policy.successRateMinimumHosts()) {
            return;
        }
        double[] rates = new double[eligible.size()];
        double sum = 0.0;
        for (int k = 0; k < rates.length; k++) {
            long[] v = volumes.get(eligible.get(k));
            rates[k] = (double) v[0] / (v[0] + v[1]);
            sum += rates[k];
        }
        double mean = sum / rates.length;
        double variance = 0.0;
        for (double r : rates) {
            variance += (r - mean) * (r - mean);
        }
        double threshold = mean - policy.successRateStdevFactor() * Math.sqrt(variance / rates.length);
        for (int k = 0; k < rates.length; k++) {
            if (rates[k] < threshold) {
                String id = ids.get(eligible.get(k));
                eject(hosts.get(id), current.get(id), EjectionReason.SUCCESS_RATE, String.format(java.util.Locale.ROOT,
                        "success rate %.1f%% below %.1f%% (mean %.1f%% - %.1f standard deviations)", rates[k] * 100,
                        threshold * 100, mean * 100, policy.successRateStdevFactor()));
            }
        }
    }
}
