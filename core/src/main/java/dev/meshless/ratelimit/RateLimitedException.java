package dev.meshless.ratelimit;

import dev.meshless.MeshlessException;
import dev.meshless.config.Values;
import java.time.Duration;

/**
 * A request refused by a rate limit: names the limit, the key (for per-key limits) and how long
 * to wait before a permit is free. Refusals are expected under load, so no stack trace is recorded.
 */
public final class RateLimitedException extends MeshlessException {

    private final String limitName;
    private final String key;
    private final transient Decision decision;

    /**
     * @param service the service concerned (the callee for outbound limits, this service for inbound)
     * @param limit the limit that refused
     * @param key the key, or {@code null} for a limit without keys
     * @param decision the refusal, with the wait
     */
    public RateLimitedException(String service, RateLimit limit, String key, Decision decision) {
        super(service, "Rate limit '" + limit.name() + "' exceeded" + (key == null ? "" : " for key '" + key + "'")
                + ": " + limit.limitForPeriod() + " per " + Values.format(limit.period()) + "; retry after "
                + Math.max(1, decision.retryAfter().toMillis()) + " ms", false);
        this.limitName = limit.name();
        this.key = key;
        this.decision = decision;
    }

    /** @return the name of the limit that refused */
    public String limitName() {
        return limitName;
    }

    /** @return the key, or {@code null} */
    public String key() {
        return key;
    }

    /** @return how long until a permit is free */
    public Duration retryAfter() {
        return decision.retryAfter();
    }

    /** @return the refusal */
    public Decision decision() {
        return decision;
    }
}
