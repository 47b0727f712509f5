package dev.meshless.ratelimit;

import dev.meshless.config.Spec;
import dev.meshless.config.Specs;
import java.time.Duration;

/**
 * One rate limit, as configuration gives it: every setting nullable (not set), mapped onto
 * RateLimit by toRateLimit(String). The same shape serves an outbound limit, an inbound limit, the
 * defaults of inbound limits and a per-key override, layered with Specs#merge.
 */
public class RateLimitSpec implements Spec {

    /** Permits per period; at least 1. Required for the limit to exist. */
    private Integer limitForPeriod;

    /** The period; from 1ms. */
    private Duration period;

    /** Most permits at once; 1 to limit-for-period. Not set: limit-for-period. */
    private Integer burst;

    /** How long a caller may wait for a permit before being refused. */
    private Duration timeout;

    /** How long a cold limit ramps up to its full rate; 0s for no ramp. */
    private Duration warmUp;

    /** A cold limit starts at its rate divided by this factor; above 1. */
    private Double coldFactor;

    /** Whether the limit only counts and logs (at DEBUG) what it would refuse, refusing nothing. */
    private Boolean shadow;

    /** Creates a specification that sets nothing. */
    public RateLimitSpec() {
    }

    /** @return permits per period; at least 1; {@code null} when not set */
    public Integer getLimitForPeriod() {
        return limitForPeriod;
    }

    /** @param limitForPeriod permits per period; at least 1 */
    public void setLimitForPeriod(Integer limitForPeriod) {
        this.limitForPeriod = limitForPeriod;
    }

    /** @return the period; from 1ms; {@code null} when not set */
    public Duration getPeriod() {
        return period;
    }

    /** @param period the period; from 1ms */
    public void setPeriod(Duration period) {
        this.period = period;
    }

    /** @return most permits at once; 1 to limit-for-period; {@code null} when not set */
    public Integer getBurst() {
        return burst;
    }

    /** @param burst most permits at once; 1 to limit-for-period */
    public void setBurst(Integer burst) {
        this.burst = burst;
    }

    /** @return how long a caller may wait for a permit before being refused; {@code null} when not set */
    public Duration getTimeout() {
        return timeout;
    }

    /** @param timeout how long a caller may wait for a permit before being refused */
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    /** @return how long a cold limit ramps up to its full rate; 0s for no ramp; {@code null} when not set */
    public Duration getWarmUp() {
        return warmUp;
    }

    /** @param warmUp how long a cold limit ramps up to its full rate; 0s for no ramp */
    public void setWarmUp(Duration warmUp) {
        this.warmUp = warmUp;
    }

    /** @return a cold limit starts at its rate divided by this factor; above 1; {@code null} when not set */
    public Double getColdFactor() {
        return coldFactor;
    }

    /** @param coldFactor a cold limit starts at its rate divided by this factor; above 1 */
    public void setColdFactor(Double coldFactor) {
        this.coldFactor = coldFactor;
    }

    /** @return whether the limit only counts and logs (at DEBUG) what it would refuse, refusing nothing; {@code null} when not set */
    public Boolean getShadow() {
        return shadow;
    }

    /** @param shadow whether the limit only counts and logs (at DEBUG) what it would refuse, refusing nothing */
    public void setShadow(Boolean shadow) {
        this.shadow = shadow;
    }

    /** @return every setting at Meshless's default; no limit for period, which has none */
    public static RateLimitSpec builtIn() {
        RateLimitSpec s = new RateLimitSpec();
        s.period = RateLimit.DEFAULT_PERIOD;
        s.timeout = RateLimit.DEFAULT_TIMEOUT;
        s.warmUp = RateLimit.DEFAULT_WARM_UP;
        s.coldFactor = RateLimit.DEFAULT_COLD_FACTOR;
        s.shadow = false;
        return s;
    }

    /**
     * The one mapping of this specification onto {@link RateLimit.Builder}: settings left out keep
     * the builder's defaults.
     *
     * @param name the limit's name, used in metrics, logs and rejections
     * @return the limit
     * @throws dev.meshless.config.InvalidConfigurationException naming the setting, its value and
     *     the rule; {@code limitForPeriod} when it is missing
     */
    public RateLimit toRateLimit(String name) {
        RateLimit.Builder b = RateLimit.builder(name);
        Specs.apply(limitForPeriod, b::limitForPeriod);
        Specs.apply(period, b::period);
        Specs.apply(burst, b::burst);
        Specs.apply(timeout, b::timeout);
        Specs.apply(warmUp, b::warmUp);
        Specs.apply(coldFactor, b::coldFactor);
        Specs.apply(shadow, b::shadow);
        return b.build();
    }
}
