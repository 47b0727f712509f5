package dev.meshless.breaker;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;

/**
 * Meshless's default Resilience4j configurations for zone and service circuit breakers. Each is a
 * starting point: pass your own {@link CircuitBreakerConfig} to override any of it.
 */
public final class Breakers {

    private Breakers() {
    }

    /**
     * Defaults for a breaker per (service, zone): count-based window of the last 20 attempts to the
     * zone, judged after 10; opens at 50 % failures or 80 % of calls slower than 2 s; stays open
     * 10 s; lets 5 probe calls through when half-open.
     *
     * @return the zone breaker defaults
     */
    public static CircuitBreakerConfig zoneDefaults() {
        return CircuitBreakerConfig.custom()
                .slidingWindow(20, 10, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(50)
                .slowCallDurationThreshold(Duration.ofSeconds(2))
                .slowCallRateThreshold(80)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .permittedNumberOfCallsInHalfOpenState(5)
                .build();
    }

    /**
     * Defaults for a breaker per service (whole calls, after retries): count-based window of the
     * last 100 calls, judged after 20; opens at 50 % failures; stays open 10 s; 10 probe calls
     * when half-open. Slow calls are left to the zone breakers and timeouts.
     *
     * @return the service breaker defaults
     */
    public static CircuitBreakerConfig serviceDefaults() {
        return CircuitBreakerConfig.custom()
                .slidingWindow(100, 20, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .permittedNumberOfCallsInHalfOpenState(10)
                .build();
    }
}
