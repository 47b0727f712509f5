package dev.meshless.breaker;

import dev.meshless.config.Check;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Percent;
import dev.meshless.config.Spec;
import dev.meshless.config.Specs;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;

/**
 * A circuit breaker (per zone, or for the whole service), as configuration gives it: every setting
 * nullable (not set), mapped onto Resilience4j's CircuitBreakerConfig by
 * toConfig(CircuitBreakerConfig). The breaker is count-based, as Meshless's breakers always are.
 */
public class BreakerSpec implements Spec {

    /** Whether this breaker is used. */
    private Boolean enabled;

    /** Failure rate at which the breaker opens; above 0% and at most 100%. */
    private Percent failureRateThreshold;

    /** Rate of slow calls at which the breaker opens; above 0% and at most 100%. */
    private Percent slowCallRateThreshold;

    /** Calls slower than this count as slow. */
    private Duration slowCallDurationThreshold;

    /** Calls in the count-based window; at least 1. */
    private Integer slidingWindowSize;

    /**
     * Calls needed before the failure rate is judged; at least 1, and at most the window (a larger
     * value is taken as the window size, as Resilience4j does).
     */
    private Integer minimumNumberOfCalls;

    /** How long the breaker stays open before half-opening; at least 1ms. */
    private Duration waitDurationInOpenState;

    /** Probe calls allowed when half-open; at least 1. */
    private Integer permittedCallsInHalfOpenState;

    /** Creates a specification that sets nothing. */
    public BreakerSpec() {
    }

    /** @return whether this breaker is used; {@code null} when not set */
    public Boolean getEnabled() {
        return enabled;
    }

    /** @param enabled whether this breaker is used */
    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    /** @return failure rate at which the breaker opens; above 0% and at most 100%; {@code null} when not set */
    public Percent getFailureRateThreshold() {
        return failureRateThreshold;
    }

    /** @param failureRateThreshold failure rate at which the breaker opens; above 0% and at most 100% */
    public void setFailureRateThreshold(Percent failureRateThreshold) {
        this.failureRateThreshold = failureRateThreshold;
    }

    /** @return rate of slow calls at which the breaker opens; above 0% and at most 100%; {@code null} when not set */
    public Percent getSlowCallRateThreshold() {
        return slowCallRateThreshold;
    }

    /** @param slowCallRateThreshold rate of slow calls at which the breaker opens; above 0% and at most 100% */
    public void setSlowCallRateThreshold(Percent slowCallRateThreshold) {
        this.slowCallRateThreshold = slowCallRateThreshold;
    }

    /** @return calls slower than this count as slow; {@code null} when not set */
    public Duration getSlowCallDurationThreshold() {
        return slowCallDurationThreshold;
    }

    /** @param slowCallDurationThreshold calls slower than this count as slow */
    public void setSlowCallDurationThreshold(Duration slowCallDurationThreshold) {
        this.slowCallDurationThreshold = slowCallDurationThreshold;
    }

    /** @return calls in the count-based window; at least 1; {@code null} when not set */
    public Integer getSlidingWindowSize() {
        return slidingWindowSize;
    }

    /** @param slidingWindowSize calls in the count-based window; at least 1 */
    public void setSlidingWindowSize(Integer slidingWindowSize) {
        this.slidingWindowSize = slidingWindowSize;
    }

    /** @return calls needed before the failure rate is judged; at least 1, and at most the window (a larger value is taken as the window size, as Resilience4j does); {@code null} when not set */
    public Integer getMinimumNumberOfCalls() {
        return minimumNumberOfCalls;
    }

    /** @param minimumNumberOfCalls calls needed before the failure rate is judged; at least 1, and at most the window (a larger value is taken as the window size, as Resilience4j does) */
    public void setMinimumNumberOfCalls(Integer minimumNumberOfCalls) {
        this.minimumNumberOfCalls = minimumNumberOfCalls;
    }

    /** @return how long the breaker stays open before half-opening; at least 1ms; {@code null} when not set */
    public Duration getWaitDurationInOpenState() {
        return waitDurationInOpenState;
    }

    /** @param waitDurationInOpenState how long the breaker stays open before half-opening; at least 1ms */
    public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
        this.waitDurationInOpenState = waitDurationInOpenState;
    }

    /** @return probe calls allowed when half-open; at least 1; {@code null} when not set */
    public Integer getPermittedCallsInHalfOpenState() {
        return permittedCallsInHalfOpenState;
    }

    /** @param permittedCallsInHalfOpenState probe calls allowed when half-open; at least 1 */
    public void setPermittedCallsInHalfOpenState(Integer permittedCallsInHalfOpenState) {
        this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
    }

    /**
     * @param config a Resilience4j configuration, or {@code null} for a breaker that is off
     * @return its settings as a specification
     */
    public static BreakerSpec of(CircuitBreakerConfig config) {
        BreakerSpec s = new BreakerSpec();
        s.enabled = config != null;
        if (config != null) {
            s.failureRateThreshold = Percent.of(config.getFailureRateThreshold());
            s.slowCallRateThreshold = Percent.of(config.getSlowCallRateThreshold());
            s.slowCallDurationThreshold = config.getSlowCallDurationThreshold();
            s.slidingWindowSize = config.getSlidingWindowSize();
            s.minimumNumberOfCalls = config.getMinimumNumberOfCalls();
            s.waitDurationInOpenState = config.getWaitIntervalFunctionInOpenState().apply(1) == null ? null
                    : Duration.ofMillis(config.getWaitIntervalFunctionInOpenState().apply(1));
            s.permittedCallsInHalfOpenState = config.getPermittedNumberOfCallsInHalfOpenState();
        }
        return s;
    }

    /**
     * The one mapping of this specification onto Resilience4j's {@link CircuitBreakerConfig}, with
     * Meshless's checks first (so that a bad value is named by its path, whatever Resilience4j's
     * own wording). Settings left out keep the given defaults; a sliding window is always
     * count-based.
     *
     * @param defaults the breaker's defaults ({@link Breakers#zoneDefaults()} or {@link Breakers#serviceDefaults()})
     * @return the configuration, or {@code null} when {@code enabled} is false
     * @throws InvalidConfigurationException naming the setting, its value and the rule
     */
    public CircuitBreakerConfig toConfig(CircuitBreakerConfig defaults) {
        if (Boolean.FALSE.equals(enabled)) {
            return null;
        }
        CircuitBreakerConfig.Builder b = CircuitBreakerConfig.from(defaults);
        Specs.apply(failureRateThreshold, p -> b.failureRateThreshold(
                (float) Check.abovePercent("failureRateThreshold", p.value(), 100.0)));
        Specs.apply(slowCallRateThreshold, p -> b.slowCallRateThreshold(
                (float) Check.abovePercent("slowCallRateThreshold", p.value(), 100.0)));
        Specs.apply(slowCallDurationThreshold, d -> b.slowCallDurationThreshold(
                Check.positive("slowCallDurationThreshold", d)));
        if (slidingWindowSize != null || minimumNumberOfCalls != null) {
            int size = slidingWindowSize != null ? Check.atLeast("slidingWindowSize", slidingWindowSize, 1)
                    : defaults.getSlidingWindowSize();
            int minimum = minimumNumberOfCalls != null
                    ? Check.atLeast("minimumNumberOfCalls", minimumNumberOfCalls, 1)
                    : defaults.getMinimumNumberOfCalls();
            b.slidingWindow(size, Math.min(size, minimum), CircuitBreakerConfig.SlidingWindowType.COUNT_BASED);
        }
        Specs.apply(waitDurationInOpenState, d -> b.waitDurationInOpenState(
                Check.atLeast("waitDurationInOpenState", d, Duration.ofMillis(1))));
        Specs.apply(permittedCallsInHalfOpenState, n -> b.permittedNumberOfCallsInHalfOpenState(
                Check.atLeast("permittedCallsInHalfOpenState", n, 1)));
        return b.build();
    }
}
