package dev.meshless.ratelimit;

import dev.meshless.config.Check;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Values;
import java.time.Duration;
import java.util.Objects;

/**
 * One limit: {@code limitForPeriod} permits per {@code period}, at most {@code burst} at once, an
 * optional wait before rejecting, an optional warm-up ramp, and a shadow mode that counts would-be
 * rejections without rejecting. Immutable; build with {@link #builder(String)} or from a
 * {@link RateLimitSpec}; setters reject bad values with an {@link InvalidConfigurationException}
 * whose path is the setting's name in {@link RateLimitSpec}.
 */
public final class RateLimit {

    /** Resilience4j's default refresh period. */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(1);
    /** By default a limit rejects at once rather than making callers wait. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ZERO;
    /** Sentinel's default cold factor: a cold limit starts at a third of its rate. */
    public static final double DEFAULT_COLD_FACTOR = 3.0;
    /** By default a limit is at its full rate from the start. */
    public static final Duration DEFAULT_WARM_UP = Duration.ZERO;

    private final String name;
    private final int limitForPeriod;
    private final Duration period;
    private final int burst;
    private final Duration timeout;
    private final Duration warmUp;
    private final double coldFactor;
    private final boolean shadow;

    private RateLimit(Builder b) {
        if (b.limitForPeriod < 1) {
            throw new InvalidConfigurationException("limitForPeriod", null, "is required: the permits per period,"
                    + " at least 1");
        }
        int burst = b.burst == 0 ? b.limitForPeriod : b.burst;
        if (burst > b.limitForPeriod) {
            throw new InvalidConfigurationException("burst", b.burst, "must be between 1 and the limit for period ("
                    + b.limitForPeriod + ")");
        }
        this.name = b.name;
        this.limitForPeriod = b.limitForPeriod;
        this.period = b.period;
        this.burst = burst;
        this.timeout = b.timeout;
        this.warmUp = b.warmUp;
        this.coldFactor = b.coldFactor;
        this.shadow = b.shadow;
    }

    /**
     * @param name the limit's name, used in metrics, logs and rejections; not blank
     * @return a builder; {@link Builder#limitForPeriod} is required
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return permits per period */
    public int limitForPeriod() {
        return limitForPeriod;
    }

    /** @return the period */
    public Duration period() {
        return period;
    }

    /** @return the most permits granted at once; at most {@link #limitForPeriod()} */
    public int burst() {
        return burst;
    }

    /** @return how long a caller may wait for a permit before being rejected */
    public Duration timeout() {
        return timeout;
    }

    /** @return how long a cold limit takes to reach its full rate; zero for no ramp */
    public Duration warmUp() {
        return warmUp;
    }

    /** @return a cold limit starts at {@code rate / coldFactor} */
    public double coldFactor() {
        return coldFactor;
    }

    /** @return whether rejections are only counted, never enforced */
    public boolean shadow() {
        return shadow;
    }

    /** @return permits per second, the steady rate */
    public double ratePerSecond() {
        return limitForPeriod * 1e9 / period.toNanos();
    }

    /**
     * @param factor a fraction of the limit, for example an instance's share of a global limit
     * @return this limit scaled: {@code limitForPeriod} and {@code burst} times the factor, at least 1
     */
    public RateLimit scaled(double factor) {
        Builder b = toBuilder();
        b.limitForPeriod = Math.max(1, (int) Math.round(limitForPeriod * factor));
        b.burst = Math.max(1, Math.min(b.limitForPeriod, (int) Math.round(burst * factor)));
        return b.build();
    }

    /** @return a builder with this limit's values */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.limitForPeriod = limitForPeriod;
        b.period = period;
        b.burst = burst;
        b.timeout = timeout;
        b.warmUp = warmUp;
        b.coldFactor = coldFactor;
        b.shadow = shadow;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RateLimit)) {
            return false;
        }
        RateLimit that = (RateLimit) o;
        return limitForPeriod == that.limitForPeriod && burst == that.burst && shadow == that.shadow
                && Double.compare(coldFactor, that.coldFactor) == 0 && name.equals(that.name)
                && period.equals(that.period) && timeout.equals(that.timeout) && warmUp.equals(that.warmUp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, limitForPeriod, period, burst, timeout, warmUp, coldFactor, shadow);
    }

    @Override
    public String toString() {
        return name + ": " + limitForPeriod + " per " + Values.format(period) + " (burst " + burst + ")"
                + (warmUp.isZero() ? "" : ", warm-up " + Values.format(warmUp)) + (shadow ? ", shadow" : "");
    }

    /** Builder; every setter checks its value. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private int limitForPeriod;
        private Duration period = DEFAULT_PERIOD;
        private int burst;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration warmUp = DEFAULT_WARM_UP;
        private double coldFactor = DEFAULT_COLD_FACTOR;
        private boolean shadow;

        private Builder(String name) {
            this.name = Check.notBlank("name", name);
        }

        /**
         * @param permits permits per period, at least 1; required
         * @return this builder
         */
        public Builder limitForPeriod(int permits) {
            this.limitForPeriod = Check.atLeast("limitForPeriod", permits, 1);
            return this;
        }

        /**
         * @param period the period, from 1 ms; default 1 s
         * @return this builder
         */
        public Builder period(Duration period) {
            this.period = Check.atLeast("period", period, Duration.ofMillis(1));
            return this;
        }

        /**
         * @param permits the most permits at once, 1 to {@code limitForPeriod}; default
         *     {@code limitForPeriod} (the whole period's permits may be used at once)
         * @return this builder
         */
        public Builder burst(int permits) {
            this.burst = Check.atLeast("burst", permits, 1);
            return this;
        }

        /**
         * @param timeout how long to wait for a permit before rejecting, zero or more; default 0
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Check.notNegative("timeout", timeout);
            return this;
        }

        /**
         * @param warmUp how long a cold limit ramps up to its rate, zero or more; default 0
         * @return this builder
         */
        public Builder warmUp(Duration warmUp) {
            this.warmUp = Check.notNegative("warmUp", warmUp);
            return this;
        }

        /**
         * @param factor a cold limit starts at {@code rate / factor}; above 1; default 3
         * @return this builder
         */
        public Builder coldFactor(double factor) {
            if (!(factor > 1.0) || Double.isInfinite(factor)) {
                throw new InvalidConfigurationException("coldFactor", factor, "must be a number above 1");
            }
            this.coldFactor = factor;
            return this;
        }

        /**
         * @param shadow count would-be rejections without rejecting; default false
         * @return this builder
         */
        public Builder shadow(boolean shadow) {
            this.shadow = shadow;
            return this;
        }

        /**
         * @return the limit
         * @throws InvalidConfigurationException when limitForPeriod is missing or burst exceeds it
         */
        public RateLimit build() {
            return new RateLimit(this);
        }
    }
}
