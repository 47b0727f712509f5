package dev.meshless.ratelimit;

import dev.meshless.call.CallGate;
import java.util.Map;

/**
 * Outbound limits per target service, as the {@link CallGate} of the resilient call path: a caller
 * throttles itself before a call leaves instead of being rejected by the callee. A rejection is a
 * {@link RateLimitedException} naming the limit and the wait. Services without a limit pass.
 */
public final class RateLimitGate implements CallGate {

    private final Map<String, RateLimiter> byService;

    /** @param byService the limiter of each limited target service */
    public RateLimitGate(Map<String, ? extends RateLimiter> byService) {
        this.byService = Map.copyOf(byService);
    }

    @Override
    public void admit(String service) {
        RateLimiter limiter = byService.get(service);
        if (limiter == null) {
            return;
        }
        Decision decision = limiter.decide();
        if (!decision.permitted()) {
            throw new RateLimitedException(service, limiter.limit(), null, decision);
        }
    }
}
