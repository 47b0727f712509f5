package dev.meshless.ratelimit;

import dev.meshless.time.TimeSource;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A limit for one named resource, on Resilience4j's {@link AtomicRateLimiter}, with what it lacks:
 * a burst smaller than the period's permits, a warm-up ramp, a shadow mode, and a share (for
 * global limits split between instances).
 *
 * <p>Resilience4j grants {@code limitForPeriod} permits per refresh cycle. A burst {@code B} of a
 * limit {@code L per P} is mapped to cycles of {@code P × B / L} with {@code B} permits each: the
 * same rate, never more than {@code B} at once. A share {@code s} (0 to 1] gives cycles of
 * {@code P × b / (L × s)} with {@code b = max(1, round(B × s))} permits: the exact shared rate.
 *
 * <p>Warm-up (like Sentinel's): a cold limit starts at {@code rate / coldFactor} and rises linearly
 * to its rate over {@code warmUp}. A limit is cold when created and again after a whole
 * {@code warmUp} without any request, or when {@link #rewarm()} is called (after a failover).
 *
 * <p>Thread-safe. Waiting (a positive timeout) parks the calling thread as Resilience4j does.
 */
public final class LocalRateLimiter implements RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(LocalRateLimiter.class);

    private final RateLimit limit;
    private final TimeSource time;
    private final RateLimitMetrics metrics;
    private final RateLimiterRegistry registry;
    private final boolean systemTime;
    /** The warm-up ramp; 0 when none, or when an application's own limiter is used as it is. */
    private volatile long warmUpNanos;
    /** The Resilience4j limiter in force; replaced when the share changes. */
    private volatile AtomicRateLimiter delegate;
    /** Permits per cycle at full rate for the current share; the warm-up scales it down. */
    private volatile int fullPermitsPerCycle;
    private volatile int currentPermitsPerCycle;
    private volatile double share = 1.0;
    /**
     * The settings of an application's own Resilience4j limiter, used as it is, or null. Decided once,
     * when the limiter is created: neither a share nor a warm-up ever changes the application's limiter.
     */
    private volatile RateLimit adopted;
    /** The limit in force, computed when the share changes rather than on every decision. */
    private volatile RateLimit effective;
    /** Time-source time at which the delegate's cycles start, or MIN_VALUE when unknown. */
    private volatile long originNanos = Long.MIN_VALUE;
    private volatile long coldSinceNanos;
    private volatile long lastRequestNanos;

    private LocalRateLimiter(RateLimit limit, RateLimiterRegistry registry, TimeSource time, RateLimitMetrics metrics) {
        this.limit = limit;
        this.time = time;
        this.metrics = metrics;
        this.registry = registry;
        this.systemTime = time == TimeSource.system();
        this.warmUpNanos = limit.warmUp().toNanos();
        long now = time.nanoTime();
        this.coldSinceNanos = now;
        this.lastRequestNanos = now;
        rebuild(1.0);
    }

    /**
     * @param limit the limit
     * @param registry Resilience4j registry to register the limiter in (so that an application's
     *     Resilience4j metrics and actuator views see it), or {@code null}; used only with the
     *     system time source
     * @param time the time source
     * @param metrics receives decisions
     * @return the limiter
     */
    public static LocalRateLimiter create(RateLimit limit, RateLimiterRegistry registry, TimeSource time,
                                          RateLimitMetrics metrics) {
        return new LocalRateLimiter(Objects.requireNonNull(limit, "limit"), registry,
                Objects.requireNonNull(time, "time"), Objects.requireNonNull(metrics, "metrics"));
    }

    @Override
    public String name() {
        return limit.name();
    }

    /**
     * @return the limit in force: this instance's share of the configured limit, or, when an
     *     application's own Resilience4j limiter of the same name is used, that limiter's settings
     */
    @Override
    public RateLimit limit() {
        return effective;
    }

    /** @return the limit as configured, before any share */
    public RateLimit baseLimit() {
        return limit;
    }

    /** @return this instance's fraction of the limit, 1 unless the limit is global */
    public double share() {
        return share;
    }

    /**
     * Sets this instance's fraction of the limit (a global limit split between instances). Takes
     * effect at once with a fresh window.
     *
     * @param newShare above 0, at most 1
     */
    public void setShare(double newShare) {
        if (!(newShare > 0.0 && newShare <= 1.0)) {
            throw new IllegalArgumentException(limit.name() + " share must be above 0 and at most 1, but was "
                    + newShare);
        }
        if (newShare != share) {
            rebuild(newShare);
        }
    }

    /** Makes the limit cold again: it ramps up over its warm-up from now. */
    public void rewarm() {
        coldSinceNanos = time.nanoTime();
    }

    @Override
    public boolean tryAcquire() {
        AtomicRateLimiter r = current();
        if (r.acquirePermission()) {
            metrics.permitted(limit.name());
            return true;
        }
        if (limit.shadow()) {
            metrics.shadowRejected(limit.name());
            return true;
        }
        metrics.rejected(limit.name());
        return false;
    }

    @Override
    public Decision decide() {
        AtomicRateLimiter r = current();
        boolean ok = r.acquirePermission();
        if (ok) {
            metrics.permitted(limit.name());
        } else if (limit.shadow()) {
            metrics.shadowRejected(limit.name());
        } else {
            metrics.rejected(limit.name());
        }
        AtomicRateLimiter.AtomicRateLimiterMetrics m = r.getDetailedMetrics();
        long remaining = Math.max(0, m.getAvailablePermissions());
        long cycle = r.getRateLimiterConfig().getLimitRefreshPeriod().toNanos();
        // Cycles refill completely: the limit is whole again when the next cycle starts.
        long toNextCycle = originNanos == Long.MIN_VALUE ? cycle
                : cycle - Math.floorMod(time.nanoTime() - originNanos, cycle);
        Duration reset = remaining >= r.getRateLimiterConfig().getLimitForPeriod() ? Duration.ZERO
                : Duration.ofNanos(toNextCycle);
        Duration wait = ok ? Duration.ZERO : Duration.ofNanos(Math.max(1, m.getNanosToWait()));
        return new Decision(ok || limit.shadow(), !ok, effective.limitForPeriod(), remaining, reset, wait);
    }

    private AtomicRateLimiter current() {
        if (warmUpNanos > 0) {
            warm(time.nanoTime());
        }
        return delegate;
    }

    /** Adjusts the permits per cycle to the warm-up ramp; cheap when nothing changes. */
    private void warm(long now) {
        long idle = now - lastRequestNanos;
        lastRequestNanos = now;
        if (idle >= warmUpNanos) {
            coldSinceNanos = now;
        }
        long elapsed = now - coldSinceNanos;
        int full = fullPermitsPerCycle;
        int target;
        if (elapsed >= warmUpNanos) {
            target = full;
        } else {
            double fraction = 1.0 / limit.coldFactor() + (1.0 - 1.0 / limit.coldFactor()) * elapsed / warmUpNanos;
            target = Math.max(1, (int) Math.round(full * fraction));
        }
        if (target != currentPermitsPerCycle) {
            currentPermitsPerCycle = target;
            delegate.changeLimitForPeriod(target);
        }
    }

    private synchronized void rebuild(double newShare) {
        if (adopted != null) {
            log.warn("Rate limit '{}': this instance's share is now {}, but the application's own Resilience4j"
                    + " limiter of that name is used as it is ({})", limit.name(), newShare, adopted);
            this.share = newShare;
            return;
        }
        int permits = Math.max(1, (int) Math.round(limit.burst() * newShare));
        long cycleNanos = Math.max(1_000_000L,
                Math.round(limit.period().toNanos() * (double) permits / (limit.limitForPeriod() * newShare)));
        RateLimiterConfig config = RateLimiterConfig.custom()
                .limitForPeriod(permits)
                .limitRefreshPeriod(Duration.ofNanos(cycleNanos))
                .timeoutDuration(limit.timeout())
                .build();
        AtomicRateLimiter next;
        long origin = time.nanoTime();
        if (systemTime && registry != null) {
            next = registered(config);
            if (next.getRateLimiterConfig() != config) {
                origin = Long.MIN_VALUE; // the application's own limiter: its cycle start is unknown
            }
        } else {
            long start = origin;
            next = new AtomicRateLimiter(limit.name(), config, () -> time.nanoTime() - start);
        }
        this.originNanos = origin;
        this.share = newShare;
        this.fullPermitsPerCycle = permits;
        this.currentPermitsPerCycle = permits;
        this.delegate = next;
        this.effective = adopted != null ? adopted : newShare == 1.0 ? limit : limit.scaled(newShare);
        if (adopted != null) {
            warmUpNanos = 0; // the application's limiter keeps its own permits
        } else if (warmUpNanos > 0) {
            warm(time.nanoTime());
        }
    }

    private AtomicRateLimiter registered(RateLimiterConfig config) {
        io.github.resilience4j.ratelimiter.RateLimiter existing = registry.find(limit.name()).orElse(null);
        if (existing == null) {
            io.github.resilience4j.ratelimiter.RateLimiter created = registry.rateLimiter(limit.name(), config);
            if (created instanceof AtomicRateLimiter atomic) {
                return atomic;
            }
        } else if (delegate == null && existing instanceof AtomicRateLimiter own) {
            RateLimiterConfig theirs = own.getRateLimiterConfig();
            adopted = limit.toBuilder().limitForPeriod(theirs.getLimitForPeriod())
                    .period(theirs.getLimitRefreshPeriod()).burst(theirs.getLimitForPeriod())
                    .timeout(theirs.getTimeoutDuration()).warmUp(Duration.ZERO).build();
            log.warn("Rate limit '{}': a Resilience4j rate limiter is already registered under that name; its"
                    + " settings apply ({}) instead of Meshless's ({})", limit.name(), adopted, limit);
            return own;
        }
        AtomicRateLimiter created = new AtomicRateLimiter(limit.name(), config);
        registry.replace(limit.name(), created);
        return created;
    }
}
