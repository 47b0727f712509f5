package dev.meshless.ratelimit;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.ratelimit.spi.SharedPermit;
import java.time.Duration;
import java.util.Objects;

/**
 * A limit counted exactly for the whole fleet, in one bucket of a {@link SharedBuckets} store: every
 * instance takes its permits from the same bucket, so the fleet admits the limit however unevenly
 * traffic reaches the instances. When the store does not answer within its decision timeout, the
 * decision falls back to {@code fallback} — this instance's share of the limit, as a
 * {@link GlobalRateLimiter} computes it from the registry — and is counted as a fallback.
 *
 * <p>A decision may block for up to the decision timeout ({@link #mayBlock()}). Thread-safe.
 */
public final class SharedRateLimiter implements RateLimiter, AutoCloseable {

    private final SharedBuckets buckets;
    private final String key;
    private final RateLimit limit;
    private final RateLimiter fallback;
    private final RateLimitMetrics metrics;

    /**
     * @param buckets the shared store
     * @param key the bucket's name in the store, unique per service and limit
     * @param limit the whole fleet's limit; it must not wait or warm up
     * @param fallback what decides while the store is unavailable: this instance's share
     * @param metrics receives decisions and fallbacks
     */
    public SharedRateLimiter(SharedBuckets buckets, String key, RateLimit limit, RateLimiter fallback,
                             RateLimitMetrics metrics) {
        this.buckets = Objects.requireNonNull(buckets, "buckets");
        this.key = Objects.requireNonNull(key, "key");
        this.limit = Objects.requireNonNull(limit, "limit");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public String name() {
        return limit.name();
    }

    /** @return the whole fleet's limit while the store answers; this instance's share while it does not */
    @Override
    public RateLimit limit() {
        return buckets.available() ? limit : fallback.limit();
    }

    /** @return what decides while the store is unavailable */
    public RateLimiter fallback() {
        return fallback;
    }

    /** @return the bucket's name in the store */
    public String key() {
        return key;
    }

    @Override
    public boolean tryAcquire() {
        return decide().permitted();
    }

    @Override
    public Decision decide() {
        SharedPermit permit = buckets.take(key, limit);
        if (permit == null) {
            metrics.fallback(limit.name());
            return fallback.decide();
        }
        return decision(permit, limit, limit.name(), metrics);
    }

    /** @return true: a decision may wait for the store up to its decision timeout */
    @Override
    public boolean mayBlock() {
        return true;
    }

    /** Stops the fallback following the registry. */
    @Override
    public void close() {
        if (fallback instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the fallback of rate limit '" + limit.name() + "'", e);
            }
        }
    }

    /**
     * The rules of a limit counted for a whole service (on a shared store, or on registry shares for
     * outbound limits): it never waits for a permit and has no warm-up.
     *
     * @param limit the limit
     * @throws InvalidConfigurationException naming {@code timeout} or {@code warmUp}
     */
    public static void checkGlobal(RateLimit limit) {
        if (!limit.timeout().isZero()) {
            throw new InvalidConfigurationException("timeout", limit.timeout(), "must be 0s for a global limit: its"
                    + " decisions never wait for a permit");
        }
        if (!limit.warmUp().isZero()) {
            throw new InvalidConfigurationException("warmUp", limit.warmUp(), "must be 0s for a global limit, which"
                    + " has no warm-up ramp");
        }
    }

    /**
     * @return the decision a shared permit stands for, recorded under {@code name}: {@code RateLimit-Reset}
     *     is the time the bucket takes to refill to its burst at the limit's rate
     */
    static Decision decision(SharedPermit permit, RateLimit limit, String name, RateLimitMetrics metrics) {
        boolean ok = permit.taken();
        if (ok) {
            metrics.permitted(name);
        } else if (limit.shadow()) {
            metrics.shadowRejected(name);
        } else {
            metrics.rejected(name);
        }
        long remaining = Math.max(0, Math.min(permit.remaining(), limit.burst()));
        long interval = Math.max(1, limit.period().toNanos() / limit.limitForPeriod());
        Duration reset = Duration.ofNanos((limit.burst() - remaining) * interval);
        Duration wait = ok ? Duration.ZERO : Duration.ofNanos(Math.max(1, permit.nanosToWait()));
        return new Decision(ok || limit.shadow(), !ok, limit.limitForPeriod(), remaining, reset, wait);
    }
}
