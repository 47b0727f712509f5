package dev.meshless.outlier;

import dev.meshless.config.Check;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Values;
import java.time.Duration;

/**
 * Passive outlier detection: which failures eject an endpoint and for how long. Follows Envoy's
 * rules and defaults; the differences and why are in {@code docs/resilience.md}. Immutable; build
 * with {@link #builder()}; setters reject bad values naming the property and the value.
 */
public final class OutlierDetectionPolicy {

    /** Envoy's default for consecutive 5xx. */
    public static final int DEFAULT_CONSECUTIVE_FAILURES = 5;
    /** Off by default, as Envoy's enforcement of consecutive gateway failures is 0 %. */
    public static final int DEFAULT_CONSECUTIVE_GATEWAY_FAILURES = 0;
    /** Envoy's default for consecutive local-origin failures. */
    public static final int DEFAULT_CONSECUTIVE_LOCAL_ORIGIN_FAILURES = 5;
    /**
     * Refused connections in a row that eject (no Envoy equivalent): a refusal is unambiguous — the
     * address is not serving — so two are enough, where ambiguous local-origin failures (timeouts,
     * resets) keep needing {@link #DEFAULT_CONSECUTIVE_LOCAL_ORIGIN_FAILURES}. Two rather than one, so
     * that a single refusal during a restart's instant does not eject.
     */
    public static final int DEFAULT_CONSECUTIVE_CONNECTION_REFUSALS = 2;
    /** Envoy's default evaluation interval. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** Envoy's default base ejection time. */
    public static final Duration DEFAULT_BASE_EJECTION_TIME = Duration.ofSeconds(30);
    /** Envoy's default maximum ejection time. */
    public static final Duration DEFAULT_MAX_EJECTION_TIME = Duration.ofSeconds(300);
    /** Up to 10 % of the base, so that callers that ejected together do not all return together. */
    public static final Duration DEFAULT_MAX_EJECTION_TIME_JITTER = Duration.ofSeconds(3);
    /**
     * 100 % rather than Envoy's 10 %: a whole zone refusing connections must be able to leave the
     * pool so the locality maths moves its traffic; the balancer's panic threshold is the floor.
     */
    public static final double DEFAULT_MAX_EJECTION_PERCENT = 100;
    /** Envoy's default success-rate standard-deviation factor (1900 / 1000). */
    public static final double DEFAULT_SUCCESS_RATE_STDEV_FACTOR = 1.9;
    /** Envoy's defaults for the success-rate and failure-percentage minimum hosts. */
    public static final int DEFAULT_MINIMUM_HOSTS = 5;
    /** Envoy's default success-rate request volume. */
    public static final int DEFAULT_SUCCESS_RATE_REQUEST_VOLUME = 100;
    /** Envoy's default failure-percentage threshold. */
    public static final double DEFAULT_FAILURE_PERCENTAGE_THRESHOLD = 85;
    /** Envoy's default failure-percentage request volume. */
    public static final int DEFAULT_FAILURE_PERCENTAGE_REQUEST_VOLUME = 50;

    /**
     * On, as Envoy's {@code successful_active_health_check_uneject_host}: an ejected endpoint that
     * passes active health checks, or that the registry reports passing again after critical,
     * returns at once rather than when its ejection time runs out.
     */
    public static final boolean DEFAULT_SUCCESSFUL_HEALTH_CHECK_UNEJECTS = true;

    private static final OutlierDetectionPolicy DEFAULTS = builder().build();

    private final boolean enabled;
    private final int consecutiveFailures;
    private final int consecutiveGatewayFailures;
    private final int consecutiveLocalOriginFailures;
    private final int consecutiveConnectionRefusals;
    private final Duration interval;
    private final Duration baseEjectionTime;
    private final Duration maxEjectionTime;
    private final Duration maxEjectionTimeJitter;
    private final double maxEjectionPercent;
    private final boolean successRateEnabled;
    private final double successRateStdevFactor;
    private final int successRateMinimumHosts;
    private final int successRateRequestVolume;
    private final boolean failurePercentageEnabled;
    private final double failurePercentageThreshold;
    private final int failurePercentageMinimumHosts;
    private final int failurePercentageRequestVolume;
    private final boolean successfulHealthCheckUnejects;

    private OutlierDetectionPolicy(Builder b) {
        if (b.maxEjectionTime.compareTo(b.baseEjectionTime) < 0) {
            throw b.maxEjectionTimeSet
                    ? new InvalidConfigurationException("maxEjectionTime", b.maxEjectionTime,
                            "must be at least the base ejection time (" + Values.format(b.baseEjectionTime) + ")")
                    : new InvalidConfigurationException("baseEjectionTime", b.baseEjectionTime,
                            "must be at most the max ejection time (" + Values.format(b.maxEjectionTime) + ")");
        }
        this.enabled = b.enabled;
        this.consecutiveFailures = b.consecutiveFailures;
        this.consecutiveGatewayFailures = b.consecutiveGatewayFailures;
        this.consecutiveLocalOriginFailures = b.consecutiveLocalOriginFailures;
        this.consecutiveConnectionRefusals = b.consecutiveConnectionRefusals;
        this.interval = b.interval;
        this.baseEjectionTime = b.baseEjectionTime;
        this.maxEjectionTime = b.maxEjectionTime;
        this.maxEjectionTimeJitter = b.maxEjectionTimeJitter;
        this.maxEjectionPercent = b.maxEjectionPercent;
        this.successRateEnabled = b.successRateEnabled;
        this.successRateStdevFactor = b.successRateStdevFactor;
        this.successRateMinimumHosts = b.successRateMinimumHosts;
        this.successRateRequestVolume = b.successRateRequestVolume;
        this.failurePercentageEnabled = b.failurePercentageEnabled;
        this.failurePercentageThreshold = b.failurePercentageThreshold;
        this.failurePercentageMinimumHosts = b.failurePercentageMinimumHosts;
        this.failurePercentageRequestVolume = b.failurePercentageRequestVolume;
        this.successfulHealthCheckUnejects = b.successfulHealthCheckUnejects;
    }

    /** @return every default */
    public static OutlierDetectionPolicy defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return whether outlier detection runs at all */
    public boolean enabled() {
        return enabled;
    }

    /** @return endpoint or gateway failures in a row that eject; 0 disables the rule */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** @return gateway failures in a row that eject; 0 disables the rule */
    public int consecutiveGatewayFailures() {
        return consecutiveGatewayFailures;
    }

    /** @return locally detected failures in a row that eject; 0 disables the rule */
    public int consecutiveLocalOriginFailures() {
        return consecutiveLocalOriginFailures;
    }

    /** @return refused connections (or unreachable addresses) in a row that eject; 0 disables the rule */
    public int consecutiveConnectionRefusals() {
        return consecutiveConnectionRefusals;
    }

    /** @return how often success rate and failure percentage are evaluated */
    public Duration interval() {
        return interval;
    }

    /** @return ejection time of a first ejection; the n-th lasts n times as long */
    public Duration baseEjectionTime() {
        return baseEjectionTime;
    }

    /** @return the longest ejection, before jitter */
    public Duration maxEjectionTime() {
        return maxEjectionTime;
    }

    /** @return the largest random time added to an ejection */
    public Duration maxEjectionTimeJitter() {
        return maxEjectionTimeJitter;
    }

    /** @return the most endpoints of the service that may be ejected at once, in percent */
    public double maxEjectionPercent() {
        return maxEjectionPercent;
    }

    /** @return whether the success-rate rule runs */
    public boolean successRateEnabled() {
        return successRateEnabled;
    }

    /** @return an endpoint below mean − factor × standard deviation of its peers' success rates is ejected */
    public double successRateStdevFactor() {
        return successRateStdevFactor;
    }

    /** @return endpoints with enough volume needed before the success-rate rule applies */
    public int successRateMinimumHosts() {
        return successRateMinimumHosts;
    }

    /** @return requests an endpoint needs in an interval to take part in the success-rate rule */
    public int successRateRequestVolume() {
        return successRateRequestVolume;
    }

    /** @return whether the failure-percentage rule runs */
    public boolean failurePercentageEnabled() {
        return failurePercentageEnabled;
    }

    /** @return failure percentage at or above which an endpoint is ejected */
    public double failurePercentageThreshold() {
        return failurePercentageThreshold;
    }

    /** @return endpoints with enough volume needed before the failure-percentage rule applies */
    public int failurePercentageMinimumHosts() {
        return failurePercentageMinimumHosts;
    }

    /** @return requests an endpoint needs in an interval to take part in the failure-percentage rule */
    public int failurePercentageRequestVolume() {
        return failurePercentageRequestVolume;
    }

    /**
     * @return whether passing health checks (active probes, or the registry's checks passing again
     *     after critical) return an ejected endpoint at once
     */
    public boolean successfulHealthCheckUnejects() {
        return successfulHealthCheckUnejects;
    }

    /** Builder; every setter checks its value. Not thread-safe. */
    public static final class Builder {
        private boolean enabled = true;
        private int consecutiveFailures = DEFAULT_CONSECUTIVE_FAILURES;
        private int consecutiveGatewayFailures = DEFAULT_CONSECUTIVE_GATEWAY_FAILURES;
        private int consecutiveLocalOriginFailures = DEFAULT_CONSECUTIVE_LOCAL_ORIGIN_FAILURES;
        private int consecutiveConnectionRefusals = DEFAULT_CONSECUTIVE_CONNECTION_REFUSALS;
        private Duration interval = DEFAULT_INTERVAL;
        private Duration baseEjectionTime = DEFAULT_BASE_EJECTION_TIME;
        private Duration maxEjectionTime = DEFAULT_MAX_EJECTION_TIME;
        private Duration maxEjectionTimeJitter = DEFAULT_MAX_EJECTION_TIME_JITTER;
        private double maxEjectionPercent = DEFAULT_MAX_EJECTION_PERCENT;
        private boolean successRateEnabled = true;
        private double successRateStdevFactor = DEFAULT_SUCCESS_RATE_STDEV_FACTOR;
        private int successRateMinimumHosts = DEFAULT_MINIMUM_HOSTS;
        private int successRateRequestVolume = DEFAULT_SUCCESS_RATE_REQUEST_VOLUME;
        private boolean failurePercentageEnabled = true;
        private double failurePercentageThreshold = DEFAULT_FAILURE_PERCENTAGE_THRESHOLD;
        private int failurePercentageMinimumHosts = DEFAULT_MINIMUM_HOSTS;
        private int failurePercentageRequestVolume = DEFAULT_FAILURE_PERCENTAGE_REQUEST_VOLUME;
        private boolean successfulHealthCheckUnejects = DEFAULT_SUCCESSFUL_HEALTH_CHECK_UNEJECTS;
        /** Whether maxEjectionTime was given, so that a conflict with the base names the value given. */
        private boolean maxEjectionTimeSet;

        private Builder() {
        }

        /**
         * @param enabled whether detection runs; default true
         * @return this builder
         */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * @param n failures in a row that eject, 0 disables; default 5
         * @return this builder
         */
        public Builder consecutiveFailures(int n) {
            this.consecutiveFailures = Check.atLeast("consecutiveFailures", n, 0);
            return this;
        }

        /**
         * @param n gateway failures in a row that eject, 0 disables; default 0
         * @return this builder
         */
        public Builder consecutiveGatewayFailures(int n) {
            this.consecutiveGatewayFailures = Check.atLeast("consecutiveGatewayFailures", n, 0);
            return this;
        }

        /**
         * @param n local-origin failures in a row that eject, 0 disables; default 5
         * @return this builder
         */
        public Builder consecutiveLocalOriginFailures(int n) {
            this.consecutiveLocalOriginFailures = Check.atLeast("consecutiveLocalOriginFailures", n, 0);
            return this;
        }

        /**
         * @param n refused connections (or unreachable addresses) in a row that eject, 0 disables;
         *     default {@value #DEFAULT_CONSECUTIVE_CONNECTION_REFUSALS}
         * @return this builder
         */
        public Builder consecutiveConnectionRefusals(int n) {
            this.consecutiveConnectionRefusals = Check.atLeast("consecutiveConnectionRefusals", n, 0);
            return this;
        }

        /**
         * @param interval evaluation interval, positive; default 10 s
         * @return this builder
         */
        public Builder interval(Duration interval) {
            this.interval = Check.positive("interval", interval);
            return this;
        }

        /**
         * @param time first ejection's length, positive; default 30 s
         * @return this builder
         */
        public Builder baseEjectionTime(Duration time) {
            this.baseEjectionTime = Check.positive("baseEjectionTime", time);
            return this;
        }

        /**
         * @param time longest ejection, at least the base; default 300 s
         * @return this builder
         */
        public Builder maxEjectionTime(Duration time) {
            this.maxEjectionTime = Check.positive("maxEjectionTime", time);
            this.maxEjectionTimeSet = true;
            return this;
        }

        /**
         * @param jitter largest random addition, zero or more; default 3 s
         * @return this builder
         */
        public Builder maxEjectionTimeJitter(Duration jitter) {
            this.maxEjectionTimeJitter = Check.notNegative("maxEjectionTimeJitter", jitter);
            return this;
        }

        /**
         * @param percent 0 to 100; default 100
         * @return this builder
         */
        public Builder maxEjectionPercent(double percent) {
            this.maxEjectionPercent = Check.percent("maxEjectionPercent", percent, 0.0, 100.0);
            return this;
        }

        /**
         * @param enabled success-rate rule; default true
         * @return this builder
         */
        public Builder successRateEnabled(boolean enabled) {
            this.successRateEnabled = enabled;
            return this;
        }

        /**
         * @param factor standard deviations below the mean, positive; default 1.9
         * @return this builder
         */
        public Builder successRateStdevFactor(double factor) {
            if (!(factor > 0.0) || Double.isInfinite(factor)) {
                throw new InvalidConfigurationException("successRateStdevFactor", factor, "must be a positive number");
            }
            this.successRateStdevFactor = factor;
            return this;
        }

        /**
         * @param hosts at least 1; default 5
         * @return this builder
         */
        public Builder successRateMinimumHosts(int hosts) {
            this.successRateMinimumHosts = Check.atLeast("successRateMinimumHosts", hosts, 1);
            return this;
        }

        /**
         * @param requests at least 1; default 100
         * @return this builder
         */
        public Builder successRateRequestVolume(int requests) {
            this.successRateRequestVolume = Check.atLeast("successRateRequestVolume", requests, 1);
            return this;
        }

        /**
         * @param enabled failure-percentage rule; default true
         * @return this builder
         */
        public Builder failurePercentageEnabled(boolean enabled) {
            this.failurePercentageEnabled = enabled;
            return this;
        }

        /**
         * @param percent 0 to 100; default 85
         * @return this builder
         */
        public Builder failurePercentageThreshold(double percent) {
            this.failurePercentageThreshold = Check.percent("failurePercentageThreshold", percent, 0.0, 100.0);
            return this;
        }

        /**
         * @param hosts at least 1; default 5
         * @return this builder
         */
        public Builder failurePercentageMinimumHosts(int hosts) {
            this.failurePercentageMinimumHosts = Check.atLeast("failurePercentageMinimumHosts", hosts, 1);
            return this;
        }

        /**
         * @param requests at least 1; default 50
         * @return this builder
         */
        public Builder failurePercentageRequestVolume(int requests) {
            this.failurePercentageRequestVolume = Check.atLeast("failurePercentageRequestVolume", requests, 1);
            return this;
        }

        /**
         * @param unejects whether passing health checks (active probes, or the registry's checks
         *     passing again after critical) return an ejected endpoint at once; default true
         * @return this builder
         */
        public Builder successfulHealthCheckUnejects(boolean unejects) {
            this.successfulHealthCheckUnejects = unejects;
            return this;
        }

        /**
         * @return the policy
         * @throws InvalidConfigurationException when maxEjectionTime is shorter than baseEjectionTime
         */
        public OutlierDetectionPolicy build() {
            return new OutlierDetectionPolicy(this);
        }
    }
}
