package dev.meshless.spring.boot.actuate;

import dev.meshless.balancer.RoutingPlan;
import dev.meshless.call.CallListener;
import dev.meshless.outlier.EjectionReason;
import dev.meshless.time.TimeSource;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the last events of each service — failovers, panic, ejections, zone breaker transitions —
 * for the {@code meshless} actuator endpoint. Bounded: {@value #PER_SERVICE} events per service.
 * Thread-safe.
 */
public final class EventJournal implements CallListener {

    /** Events kept per service. */
    public static final int PER_SERVICE = 50;

    /**
     * One event.
     *
     * @param time when it happened
     * @param type failover, panic-entered, panic-exited, ejected, returned, zone-breaker-opened,
     *     zone-breaker-half-open or zone-breaker-closed
     * @param detail what happened, with the numbers
     */
    public record Event(Instant time, String type, String detail) {
    }

    private final TimeSource time;
    private final Map<String, Deque<Event>> byService = new ConcurrentHashMap<>();

    /** @param time where event times come from */
    public EventJournal(TimeSource time) {
        this.time = time;
    }

    /**
     * @param service a service
     * @return its events, newest last
     */
    public List<Event> events(String service) {
        Deque<Event> events = byService.get(service);
        if (events == null) {
            return List.of();
        }
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    private void add(String service, String type, String detail) {
        Deque<Event> events = byService.computeIfAbsent(service, s -> new ArrayDeque<>());
        synchronized (events) {
            if (events.size() == PER_SERVICE) {
                events.removeFirst();
            }
            events.addLast(new Event(time.clock().instant(), type, detail));
        }
    }

    @Override
    public void onFailover(RoutingPlan previous, RoutingPlan current) {
        StringBuilder shares = new StringBuilder();
        current.shareByZone().forEach((zone, share) -> {
            if (share > 0.0) {
                shares.append(shares.length() == 0 ? "" : ", ").append(zone.zone())
                        .append(String.format(Locale.ROOT, " %.1f%%", share * 100));
            }
        });
        add(current.service(), "failover", "traffic now " + (shares.length() == 0 ? "nowhere" : shares));
    }

    @Override
    public void onPanicEntered(RoutingPlan plan) {
        add(plan.service(), "panic-entered", "tiers " + plan.panicTiers() + " in panic");
    }

    @Override
    public void onPanicExited(RoutingPlan plan) {
        add(plan.service(), "panic-exited", "no tier in panic");
    }

    @Override
    public void onEjected(String service, Endpoint endpoint, EjectionReason reason, Duration ejectionTime) {
        add(service, "ejected", endpoint.id() + " (" + endpoint.locality() + ") for " + ejectionTime.toMillis()
                + " ms: " + reason.name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }

    @Override
    public void onReturned(String service, Endpoint endpoint) {
        add(service, "returned", endpoint.id() + " (" + endpoint.locality() + ") is back in the pool");
    }

    @Override
    public void onRecoveryConfirmed(String service, Endpoint endpoint, String evidence) {
        add(service, "recovery-confirmed", endpoint.id() + " (" + endpoint.locality() + ") passes active health"
                + " checks: " + evidence);
    }

    @Override
    public void onHealthChanged(String service, Endpoint endpoint, boolean healthy) {
        add(service, healthy ? "health-check-passing" : "health-check-failing", endpoint.id() + " ("
                + endpoint.locality() + ") marked " + (healthy ? "healthy" : "unhealthy") + " by continuous checks");
    }

    @Override
    public void onZoneBreakerOpened(String service, Locality zone) {
        add(service, "zone-breaker-opened", zone + " takes no traffic");
    }

    @Override
    public void onZoneBreakerHalfOpened(String service, Locality zone) {
        add(service, "zone-breaker-half-open", zone + " is probed");
    }

    @Override
    public void onZoneBreakerClosed(String service, Locality zone) {
        add(service, "zone-breaker-closed", zone + " is healthy again");
    }
}
