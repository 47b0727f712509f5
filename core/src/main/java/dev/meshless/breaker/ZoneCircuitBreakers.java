package dev.meshless.breaker;

import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.concurrent.SerialExecutor;
import dev.meshless.outcome.Outcome;
import dev.meshless.time.TimeSource;
import dev.meshless.topology.Locality;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Resilience4j {@link CircuitBreaker} per (service, zone). An open breaker takes its zone out of
 * the balancer ({@link LocalityLoadBalancer#setZoneAvailable}), so the spillover maths moves the
 * zone's share to the next tier; after the breaker's wait it half-opens, the zone returns to the
 * plan as probed only ({@link LocalityLoadBalancer#setZoneProbing}: a bounded share of first
 * attempts, no retries, while known-good capacity exists elsewhere) until a probe answers; then it
 * takes its share again while the breaker's remaining probes close or reopen it.
 *
 * <p>Breakers live in the given registry under {@code <service>-zone-<region>-<zone>}, so that an
 * application's Resilience4j configuration, metrics and actuator views see them; a breaker already
 * registered under that name is used as it is. The open-to-half-open move is driven by a
 * {@link TimeSource} timer, because an open zone receives no calls that could trigger it.
 *
 * <p>{@link #acquire} and {@link #record} are called on the call path from any thread. State
 * changes are noticed there, by comparing the breaker's state with the last one seen, rather than
 * by subscribing to the breaker's events: with a subscriber, Resilience4j builds an event object
 * (with a time stamp) for every recorded call. A transition made from outside (an actuator forcing a
 * breaker closed) is noticed on the zone's next call or, for an open zone, when its half-open timer
 * fires.
 */
public final class ZoneCircuitBreakers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ZoneCircuitBreakers.class);

    private final LocalityLoadBalancer balancer;
    private final String service;
    private final CircuitBreakerRegistry registry;
    private final CircuitBreakerConfig config;
    private final TimeSource time;
    private final List<ZoneBreakerListener> listeners;
    private final SerialExecutor control = new SerialExecutor();
    /** Keyed by the endpoint's locality as it comes (sub-zone included), to avoid allocating a key. */
    private final Map<Locality, ZoneBreaker> byLocality = new ConcurrentHashMap<>();
    private final Map<Locality, ZoneBreaker> byZone = new ConcurrentHashMap<>();
    private final Map<Locality, TimeSource.Cancellable> halfOpenTimers = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** Hands the zone breakers' counted successes to Resilience4j every second ({@link BreakerRecorder}). */
    private final TimeSource.Cancellable flushing;

    /**
     * @param balancer the service's balancer, whose zones are taken out and put back
     * @param registry where the breakers are created and found
     * @param config configuration for breakers not yet in the registry; its clock is replaced by
     *     the time source's
     * @param time time and timers
     * @param listeners hear state changes
     */
    public ZoneCircuitBreakers(LocalityLoadBalancer balancer, CircuitBreakerRegistry registry,
                               CircuitBreakerConfig config, TimeSource time,
                               List<? extends ZoneBreakerListener> listeners) {
        this.balancer = balancer;
        this.service = balancer.service();
        this.registry = registry;
        this.config = CircuitBreakerConfig.from(config).clock(time.clock())
                .automaticTransitionFromOpenToHalfOpenEnabled(false).build();
        this.time = time;
        this.listeners = List.copyOf(listeners);
        this.flushing = BreakerRecorder.flushEvery(time, this::flush);
    }

    /**
     * @param service a service name
     * @param zone a zone
     * @return the registry name of that zone's breaker
     */
    public static String breakerName(String service, Locality zone) {
        return service + "-zone-" + zone.region() + "-" + zone.zone();
    }

    /** A zone's breaker and the last state the balancer was told about. */
    public static final class ZoneBreaker {
        final Locality zone;
        final CircuitBreaker breaker;
        final BreakerRecorder recorder;
        /** Written only by control tasks. */
        volatile CircuitBreaker.State seen = CircuitBreaker.State.CLOSED;
        /**
         * Half-open and no probe answered yet: the balancer only probes the zone. Set by control
         * tasks; cleared by the first success, on the call path.
         */
        volatile boolean probing;
        /** Whether a permit was given while probing, since half-open or the last check. */
        volatile boolean probed;
        /** Counts half-open episodes, so that a check left from an earlier one does nothing; control only. */
        int halfOpens;
        /** Whether active health checks closed it last ({@link #probesPassed}), and when; control only. */
        boolean closedByProbes;
        long closedAtNanos;
        /** Whether the zone answered a call since it was last closed; false on close, true on an answer. */
        volatile boolean answeredSinceClose = true;
        /**
         * Real calls disproved the probes: they closed it, the zone answered nothing and the breaker
         * opened again within one wait in open state. Until the breaker's own wait ends, passing probes do not close it, or a zone
         * whose health path answers while its requests fail would flap with every probe. Control only.
         */
        boolean probesDisproved;

        ZoneBreaker(Locality zone, CircuitBreaker breaker) {
            this.zone = zone;
            this.breaker = breaker;
            this.recorder = BreakerRecorder.of(breaker);
        }

        /** @return the Resilience4j breaker */
        public CircuitBreaker breaker() {
            return breaker;
        }
    }

    /**
     * @param zone an endpoint's locality
     * @return its zone's breaker, created on first use
     */
    public CircuitBreaker breaker(Locality zone) {
        return zoneBreaker(zone).breaker;
    }

    /**
     * Looks a zone's breaker up without asking it for a permit, for an attempt whose outcome is
     * recorded {@linkplain #record(ZoneBreaker, Outcome, long, boolean) without one}.
     *
     * @param zone an endpoint's locality
     * @return its zone's breaker, created on first use
     */
    public ZoneBreaker zoneBreaker(Locality zone) {
        ZoneBreaker zb = byLocality.get(zone);
        if (zb == null) {
            zb = byLocality.computeIfAbsent(zone, z -> byZone.computeIfAbsent(z.withoutSubZone(), this::create));
        }
        return zb;
    }

    /**
     * Asks the zone's breaker for a permit. A granted permit must be followed by
     * {@link #record(ZoneBreaker, Outcome, long)} or {@link #release(ZoneBreaker)}.
     *
     * @param zone an endpoint's locality
     * @return the zone's breaker holding a permit, or {@code null} when the zone may not take a call now
     */
    public ZoneBreaker acquire(Locality zone) {
        ZoneBreaker zb = zoneBreaker(zone);
        return tryAcquire(zb) ? zb : null;
    }

    /**
     * Asks a zone's breaker for a permit. A granted permit must be followed by
     * {@link #record(ZoneBreaker, Outcome, long)} or {@link #release(ZoneBreaker)}.
     *
     * @param zb the zone's breaker, from {@link #zoneBreaker}
     * @return whether the zone may take a call now
     */
    public boolean tryAcquire(ZoneBreaker zb) {
        boolean permitted = zb.breaker.tryAcquirePermission();
        if (permitted && zb.probing && !zb.probed) {
            zb.probed = true;
        }
        noticeChange(zb);
        return permitted;
    }

    /**
     * @param zone an endpoint's locality
     * @return whether a call may go to the zone now (a permit is taken; report it with
     *     {@link #record(Locality, Outcome, long)})
     */
    public boolean tryAcquire(Locality zone) {
        return acquire(zone) != null;
    }

    /**
     * Gives back a permit without recording an outcome.
     *
     * @param zb the breaker holding the permit
     */
    public void release(ZoneBreaker zb) {
        zb.recorder.releasePermission();
    }

    /**
     * As {@link #record(ZoneBreaker, Outcome, long)}, looking the breaker up by locality.
     *
     * @param zone the endpoint's locality
     * @param outcome the outcome
     * @param nanos how long the call took
     */
    public void record(Locality zone, Outcome outcome, long nanos) {
        record(zoneBreaker(zone), outcome, nanos);
    }

    /**
     * Reports the outcome of a call that held a permit: successes and caller errors count as
     * successes (with their duration, for the slow-call rule), endpoint and gateway failures as
     * errors, overload releases the permit without counting.
     *
     * @param zb the breaker holding the permit
     * @param outcome the outcome
     * @param nanos how long the call took
     */
    public void record(ZoneBreaker zb, Outcome outcome, long nanos) {
        record(zb, outcome, nanos, true);
    }

    /**
     * As {@link #record(ZoneBreaker, Outcome, long)}, also for a call made without asking the
     * breaker first (one an integration started where no permit could be tied to it): its
     * successes and failures count all the same; its overload counts nothing and gives back no
     * permit, since none was taken.
     *
     * @param zb the zone's breaker
     * @param outcome the outcome
     * @param nanos how long the call took
     * @param permitted whether the call holds a permit of this breaker
     */
    public void record(ZoneBreaker zb, Outcome outcome, long nanos, boolean permitted) {
        BreakerRecorder recorder = zb.recorder;
        switch (outcome.kind()) {
            case SUCCESS:
            case CALLER_ERROR:
                if (!zb.answeredSinceClose) {
                    zb.answeredSinceClose = true;
                }
                if (zb.probing) {
                    // The half-open zone answered: known to work again, it takes its share while the
                    // breaker counts its remaining probes (a failure among them reopens it).
                    zb.probing = false;
                    control.execute(() -> balancer.setZoneProbing(zb.zone, false));
                }
                if (closed) {
                    recorder.onSuccessNow(nanos); // no flush will follow
                } else {
                    recorder.onSuccess(nanos);
                }
                break;
            case ENDPOINT_FAILURE:
            case GATEWAY_FAILURE:
                recorder.onError(nanos, ZoneCallFailure.INSTANCE);
                break;
            default:
                if (permitted) {
                    recorder.releasePermission();
                }
                break;
        }
        noticeChange(zb);
    }

    /**
     * Active health checks found an endpoint of the zone healthy: an open breaker (not a forced one)
     * moves through half-open to closed at once, without waiting for its wait to end and without
     * user calls paying for the half-open probes. The usual events and log lines follow. A zone
     * closed this way that answered no call before its breaker opened again, within one wait in
     * open state, waits out that open state: its calls disproved its probes.
     *
     * @param zone an endpoint's locality
     * @param evidence what passed, for the log
     */
    public void probesPassed(Locality zone, String evidence) {
        ZoneBreaker zb = byZone.get(zone.withoutSubZone());
        if (zb == null) {
            return;
        }
        control.execute(() -> {
            if (closed || zb.breaker.getState() != CircuitBreaker.State.OPEN) {
                return;
            }
            if (zb.probesDisproved) {
                log.debug("{}: zone {} passes active health checks but its calls failed after probes closed it last;"
                        + " its breaker waits out its open state", service, zb.zone);
                return;
            }
            TimeSource.Cancellable timer = halfOpenTimers.remove(zb.zone);
            if (timer != null) {
                timer.cancel();
            }
            log.info("{}: zone {} passes active health checks ({}); closing its breaker", service, zb.zone, evidence);
            zb.breaker.transitionToHalfOpenState();
            reconcile(zb);
            // Before the transition, so that an answer right after it is not lost.
            zb.answeredSinceClose = false;
            zb.breaker.transitionToClosedState();
            reconcile(zb);
            zb.closedByProbes = true;
            zb.closedAtNanos = time.nanoTime();
        });
    }

    /** Hands successes counted on the call path to the breakers ({@link BreakerRecorder}). */
    private void flush() {
        byZone.values().forEach(zb -> zb.recorder.flush());
    }

    /** One volatile read on the call path; the reaction runs on the control side. */
    private void noticeChange(ZoneBreaker zb) {
        if (zb.breaker.getState() != zb.seen) {
            control.execute(() -> reconcile(zb));
        }
    }

    private void reconcile(ZoneBreaker zb) {
        CircuitBreaker.State now = zb.breaker.getState();
        if (now != zb.seen) {
            zb.seen = now;
            zb.probing = now == CircuitBreaker.State.HALF_OPEN;
            zb.probed = false;
            if (now == CircuitBreaker.State.OPEN) {
                // Only soon after probes closed it (within one wait in open state): a zone closed by
                // probes that then got no traffic for long is not judged on a later fault.
                long waitNanos = zb.breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1)
                        * 1_000_000L;
                zb.probesDisproved = zb.closedByProbes && !zb.answeredSinceClose
                        && time.nanoTime() - zb.closedAtNanos < waitNanos;
            } else if (now == CircuitBreaker.State.CLOSED) {
                zb.closedByProbes = false;
                zb.probesDisproved = false;
            }
            onTransition(zb.zone, zb.breaker, now);
            if (now == CircuitBreaker.State.HALF_OPEN) {
                probeDeadline(zb, ++zb.halfOpens);
            }
        }
    }

    /**
     * A half-open zone that no attempt reaches for one wait in open state (calls that may not be
     * probes: not repeatable, or single attempts) takes its share again, as after a first answer,
     * while its breaker still counts its probe permits: without this, a zone of a service whose
     * calls are all POSTs would stay probed forever. A zone probed in that time and not answered is
     * checked again one wait later.
     */
    private void probeDeadline(ZoneBreaker zb, int episode) {
        long waitMillis = zb.breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
        time.schedule(() -> control.execute(() -> {
            if (closed || zb.halfOpens != episode || !zb.probing
                    || zb.breaker.getState() != CircuitBreaker.State.HALF_OPEN) {
                return;
            }
            if (zb.probed) {
                zb.probed = false;
                probeDeadline(zb, episode);
                return;
            }
            zb.probing = false;
            log.info("{}: half-open zone {} got no probe within {} ms; it takes its share while its breaker"
                    + " counts its probes", service, zb.zone, waitMillis);
            balancer.setZoneProbing(zb.zone, false);
        }), Duration.ofMillis(waitMillis));
    }

    /**
     * Cancels pending half-open timers and hands over counted successes; successes reported after
     * this are recorded as they come. Zones stay as they are in the balancer.
     */
    @Override
    public void close() {
        closed = true;
        halfOpenTimers.values().forEach(TimeSource.Cancellable::cancel);
        flushing.cancel();
        flush();
    }

    private ZoneBreaker create(Locality zone) {
        String name = breakerName(service, zone);
        CircuitBreaker cb = registry.find(name).orElseGet(() -> registry.circuitBreaker(name, config));
        ZoneBreaker zb = new ZoneBreaker(zone, cb);
        control.execute(() -> listeners.forEach(l -> notify(l, () -> l.onZoneBreakerCreated(service, zone, cb))));
        if (cb.getState() != CircuitBreaker.State.CLOSED) {
            control.execute(() -> reconcile(zb)); // a shared breaker may already be open
        }
        return zb;
    }

    private void onTransition(Locality zone, CircuitBreaker cb, CircuitBreaker.State to) {
        if (closed) {
            return;
        }
        switch (to) {
            case OPEN:
            case FORCED_OPEN:
                balancer.setZoneAvailable(zone, false);
                balancer.setZoneProbing(zone, false);
                if (to == CircuitBreaker.State.OPEN) {
                    scheduleHalfOpen(zone, cb);
                }
                log.warn("{}: circuit breaker of zone {} opened ({} failure rate {}%, slow-call rate {}%);"
                                + " the zone takes no traffic", service, zone, cb.getName(),
                        cb.getMetrics().getFailureRate(), cb.getMetrics().getSlowCallRate());
                listeners.forEach(l -> notify(l, () -> l.onZoneBreakerOpened(service, zone)));
                break;
            case HALF_OPEN:
                // Probing first, so that the zone goes from unavailable to probed without a plan
                // between in which it is known-good.
                balancer.setZoneProbing(zone, true);
                balancer.setZoneAvailable(zone, true);
                log.info("{}: circuit breaker of zone {} half-open; probing with {} calls", service, zone,
                        cb.getCircuitBreakerConfig().getPermittedNumberOfCallsInHalfOpenState());
                listeners.forEach(l -> notify(l, () -> l.onZoneBreakerHalfOpened(service, zone)));
                break;
            default:
                balancer.setZoneAvailable(zone, true);
                balancer.setZoneProbing(zone, false);
                log.info("{}: circuit breaker of zone {} closed", service, zone);
                listeners.forEach(l -> notify(l, () -> l.onZoneBreakerClosed(service, zone)));
                break;
        }
    }

    private void scheduleHalfOpen(Locality zone, CircuitBreaker cb) {
        long waitMillis = cb.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
        ZoneBreaker zb = byZone.get(zone);
        TimeSource.Cancellable previous = halfOpenTimers.put(zone, time.schedule(() -> control.execute(() -> {
            if (!closed && cb.getState() == CircuitBreaker.State.OPEN) {
                cb.transitionToHalfOpenState();
            }
            if (zb != null) {
                reconcile(zb);
            }
        }), Duration.ofMillis(waitMillis)));
        if (previous != null) {
            previous.cancel();
        }
    }

    private void notify(ZoneBreakerListener listener, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("{}: zone breaker listener {} failed", service, listener, e);
        }
    }

    /** What zone breakers record as the error of a failed call; shared, without a stack trace. */
    static final class ZoneCallFailure extends RuntimeException {
        static final ZoneCallFailure INSTANCE = new ZoneCallFailure();

        private ZoneCallFailure() {
            super("endpoint or gateway failure", null, false, false);
        }
    }
}
