package dev.meshless.ratelimit;

import dev.meshless.ratelimit.spi.SharedPermit;
import dev.meshless.time.TimeSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * A limit per key value counted exactly across the fleet: each key has one bucket in a
 * {@link SharedBuckets} store (named {@code prefix + key}), shared by every instance. When the store
 * does not answer in time, a {@link KeyedRateLimiter} on this instance decides with each key's limit
 * scaled by this instance's share (from the registry, as for {@link GlobalRateLimiter}); it is
 * rebuilt, with fresh cells, when the share changes.
 *
 * <p>A decision may block for up to the decision timeout ({@link #mayBlock()}). Thread-safe.
 */
public final class SharedKeyedRateLimiter implements KeyedLimiter, AutoCloseable {

    private final SharedBuckets buckets;
    private final String prefix;
    private final RateLimit defaultLimit;
    private final Map<String, RateLimit> overrides;
    private final int maxKeys;
    private final DoubleSupplier share;
    private final AutoCloseable shareSource;
    private final TimeSource time;
    private final RateLimitMetrics metrics;
    /** The fallback for the share it was built for; replaced by whichever thread sees the share change. */
    private volatile Fallback fallback;

    private record Fallback(double share, KeyedRateLimiter keyed) {
    }

    /**
     * @param buckets the shared store
     * @param prefix put before each key to name its bucket, unique per service and limit
     * @param defaultLimit the limit of keys without an override; it must not wait or warm up
     * @param overrides limits for chosen keys
     * @param maxKeys the most keys the fallback tracks on this instance
     * @param share this instance's share of each key's limit while the store is unavailable
     * @param shareSource closed with this limiter (stops following the registry), or {@code null}
     * @param time the fallback's time source
     * @param metrics receives decisions and fallbacks
     */
    public SharedKeyedRateLimiter(SharedBuckets buckets, String prefix, RateLimit defaultLimit,
                                  Map<String, RateLimit> overrides, int maxKeys, DoubleSupplier share,
                                  AutoCloseable shareSource, TimeSource time, RateLimitMetrics metrics) {
        this.buckets = Objects.requireNonNull(buckets, "buckets");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.defaultLimit = Objects.requireNonNull(defaultLimit, "defaultLimit");
        this.overrides = Map.copyOf(overrides);
        this.maxKeys = maxKeys;
        this.share = Objects.requireNonNull(share, "share");
        this.shareSource = shareSource;
        this.time = Objects.requireNonNull(time, "time");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.fallback = build(share.getAsDouble());
    }

    @Override
    public String name() {
        return defaultLimit.name();
    }

    @Override
    public RateLimit defaultLimit() {
        return defaultLimit;
    }

    @Override
    public RateLimit limitFor(String key) {
        return overrides.getOrDefault(key, defaultLimit);
    }

    @Override
    public Decision decide(String key) {
        RateLimit limit = limitFor(key);
        SharedPermit permit = buckets.take(prefix + key, limit);
        if (permit == null) {
            metrics.fallback(defaultLimit.name());
            return fallback().decide(key);
        }
        return SharedRateLimiter.decision(permit, limit, defaultLimit.name(), metrics);
    }

    /** @return true: a decision may wait for the store up to its decision timeout */
    @Override
    public boolean mayBlock() {
        return true;
    }

    /** @return the limiter that decides on this instance's share while the store is unavailable */
    public KeyedRateLimiter fallback() {
        double now = share.getAsDouble();
        Fallback f = fallback;
        if (f.share() != now) {
            f = build(now);
            fallback = f;
        }
        return f.keyed();
    }

    private Fallback build(double s) {
        Map<String, RateLimit> scaled = new LinkedHashMap<>();
        overrides.forEach((key, limit) -> scaled.put(key, s == 1.0 ? limit : limit.scaled(s)));
        return new Fallback(s, KeyedRateLimiter.create(s == 1.0 ? defaultLimit : defaultLimit.scaled(s), scaled,
                maxKeys, time, metrics));
    }

    /** Stops following the registry for the share. */
    @Override
    public void close() {
        if (shareSource != null) {
            try {
                shareSource.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the share of rate limit '" + name() + "'", e);
            }
        }
    }
}
