package dev.meshless.micrometer;

import dev.meshless.ratelimit.GlobalRateLimiter;
import dev.meshless.ratelimit.KeyedRateLimiter;
import dev.meshless.ratelimit.RateLimitMetrics;
import dev.meshless.ratelimit.SharedBuckets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rate-limit meters:
 * <ul>
 *   <li>{@code meshless.ratelimit.requests} (counter; tags {@code limit}, {@code outcome} =
 *       permitted / rejected / shadow-rejected);</li>
 *   <li>{@code meshless.ratelimit.keys} (gauge; tag {@code limit}): keys tracked by a per-key limit,
 *       after {@link #bindKeys};</li>
 *   <li>{@code meshless.ratelimit.share} (gauge; tag {@code limit}): this instance's share of a
 *       global limit, after {@link #bindShare};</li>
 *   <li>{@code meshless.ratelimit.fallback} (counter; tag {@code limit}): decisions of an exact limit
 *       taken on this instance's share because its shared store (Redis) did not answer in time;</li>
 *   <li>{@code meshless.ratelimit.shared.available} (gauge): 1 while the shared store answers, 0 while
 *       limits fall back to shares, after {@link #bindShared}.</li>
 * </ul>
 * Thread-safe; counters are cached, so recording does not allocate.
 */
public final class MicrometerRateLimitMetrics implements RateLimitMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter[]> counters = new ConcurrentHashMap<>();

    /** @param registry where meters are registered */
    public MicrometerRateLimitMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void permitted(String limit) {
        counters(limit)[0].increment();
    }

    @Override
    public void rejected(String limit) {
        counters(limit)[1].increment();
    }

    @Override
    public void shadowRejected(String limit) {
        counters(limit)[2].increment();
    }

    @Override
    public void fallback(String limit) {
        counters(limit)[3].increment();
    }

    /**
     * @param shared the store of exact limits whose availability to publish
     */
    public void bindShared(SharedBuckets shared) {
        Gauge.builder("meshless.ratelimit.shared.available", shared, s -> s.available() ? 1 : 0)
                .description("1 while the shared store of exact rate limits answers, 0 while limits fall back to"
                        + " this instance's share").register(registry);
    }

    /**
     * @param limiter a per-key limiter whose tracked keys to publish
     */
    public void bindKeys(KeyedRateLimiter limiter) {
        Gauge.builder("meshless.ratelimit.keys", limiter, KeyedRateLimiter::trackedKeys)
                .description("keys tracked by a per-key rate limit (bounded by its maxKeys)")
                .tag("limit", limiter.name()).register(registry);
    }

    /**
     * @param limiter a global limiter whose share to publish
     */
    public void bindShare(GlobalRateLimiter limiter) {
        Gauge.builder("meshless.ratelimit.share", limiter, GlobalRateLimiter::share)
                .description("this instance's share of a global rate limit, 0 to 1")
                .tag("limit", limiter.name()).register(registry);
    }

    private Counter[] counters(String limit) {
        Counter[] c = counters.get(limit);
        if (c == null) {
            c = counters.computeIfAbsent(limit, l -> new Counter[] {counter(l, "permitted"), counter(l, "rejected"),
                    counter(l, "shadow-rejected"), Counter.builder("meshless.ratelimit.fallback")
                    .description("decisions of an exact rate limit taken on this instance's share because the"
                            + " shared store did not answer in time").tag("limit", l).register(registry)});
        }
        return c;
    }

    private Counter counter(String limit, String outcome) {
        return Counter.builder("meshless.ratelimit.requests")
                .description("requests checked against a rate limit, by outcome")
                .tags("limit", limit, "outcome", outcome).register(registry);
    }
}
