package dev.meshless.health;

import dev.meshless.config.Check;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Values;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Active health checks of one service's endpoints: out-of-band probes that bring ejected endpoints
 * and open zones back as soon as they work again (on by default), and, opt-in, continuous checks of
 * every endpoint for registries that carry no health of their own. Names and defaults follow
 * Envoy's {@code HealthCheck} where it has one; {@code docs/resilience.md} ("Recovery") says why.
 * Immutable; build with {@link #builder()}; setters reject bad values naming the property.
 */
public final class HealthCheckPolicy {

    /** Probing of ejected endpoints and open zones is on: recovery should not wait for a timer. */
    public static final boolean DEFAULT_ENABLED = true;
    /** HTTP, the protocol of the services Meshless balances. */
    public static final ProbeType DEFAULT_TYPE = ProbeType.HTTP;
    /** The service's base path; set a health path such as {@code /actuator/health/readiness}. */
    public static final String DEFAULT_PATH = "/";
    /** {@code GET}, as Envoy's HTTP health checks. */
    public static final String DEFAULT_METHOD = "GET";
    /** One probe a second per probed endpoint. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /**
     * Up to 100 ms taken off each interval at random, so that callers that started together spread
     * out while the interval stays the longest gap between two probes.
     */
    public static final Duration DEFAULT_INTERVAL_JITTER = Duration.ofMillis(100);
    /** Half the interval: a probe ends before the next one is due. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
    /**
     * One pass brings an endpoint or zone back, as a Kubernetes readiness probe's default success
     * threshold, a Consul check and Spring Cloud LoadBalancer's health-checked instances: a second
     * pass would keep a healed endpoint out one more interval. An endpoint that passes once and then
     * fails again is ejected again by outlier detection, for longer each time, and the calls it
     * failed are retried on known-good capacity.
     */
    public static final int DEFAULT_HEALTHY_THRESHOLD = 1;
    /** Three failures in a row mark an endpoint unhealthy (continuous checks only). */
    public static final int DEFAULT_UNHEALTHY_THRESHOLD = 3;
    /** Continuous checks are opt-in: they cost a probe per endpoint per interval. */
    public static final boolean DEFAULT_CONTINUOUS = false;
    /** Envoy's {@code no_traffic_interval}: endpoints planned no traffic are probed once a minute. */
    public static final Duration DEFAULT_NO_TRAFFIC_INTERVAL = Duration.ofSeconds(60);
    /** At most 50 probes a second per service from this instance, whatever the number of endpoints. */
    public static final int DEFAULT_MAX_PROBES_PER_SECOND = 50;

    private static final HealthCheckPolicy DEFAULTS = builder().build();

    private final boolean enabled;
    private final ProbeType type;
    private final String path;
    private final Integer port;
    private final String method;
    private final Duration interval;
    private final Duration intervalJitter;
    private final Duration timeout;
    private final int healthyThreshold;
    private final int unhealthyThreshold;
    private final boolean continuous;
    private final Duration noTrafficInterval;
    private final int maxProbesPerSecond;

    private HealthCheckPolicy(Builder b) {
        if (b.timeout.compareTo(b.interval) > 0) {
            throw b.timeoutSet
                    ? new InvalidConfigurationException("timeout", b.timeout,
                            "must be at most the interval (" + Values.format(b.interval) + ")")
                    : new InvalidConfigurationException("interval", b.interval,
                            "must be at least the timeout (" + Values.format(b.timeout) + ")");
        }
        if (b.intervalJitter.compareTo(b.interval) >= 0) {
            throw new InvalidConfigurationException("intervalJitter", b.intervalJitter,
                    "must be less than the interval (" + Values.format(b.interval) + ")");
        }
        if (b.noTrafficInterval.compareTo(b.interval) < 0) {
            throw new InvalidConfigurationException("noTrafficInterval", b.noTrafficInterval,
                    "must be at least the interval (" + Values.format(b.interval) + ")");
        }
        this.enabled = b.enabled;
        this.type = b.type;
        this.path = b.path;
        this.port = b.port;
        this.method = b.method;
        this.interval = b.interval;
        this.intervalJitter = b.intervalJitter;
        this.timeout = b.timeout;
        this.healthyThreshold = b.healthyThreshold;
        this.unhealthyThreshold = b.unhealthyThreshold;
        this.continuous = b.continuous;
        this.noTrafficInterval = b.noTrafficInterval;
        this.maxProbesPerSecond = b.maxProbesPerSecond;
    }

    /** @return every default */
    public static HealthCheckPolicy defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return whether endpoints are probed at all; off, recovery waits for ejection times and breaker waits */
    public boolean enabled() {
        return enabled;
    }

    /** @return the built-in probe used when no probe function is given */
    public ProbeType type() {
        return type;
    }

    /** @return the HTTP probe's path, starting with {@code /} */
    public String path() {
        return path;
    }

    /** @return the port probed instead of the endpoint's own, or {@code null} for the endpoint's */
    public Integer port() {
        return port;
    }

    /** @return the HTTP probe's method, upper case */
    public String method() {
        return method;
    }

    /** @return time between probes of one endpoint */
    public Duration interval() {
        return interval;
    }

    /** @return at most this much, at random, is taken off each interval */
    public Duration intervalJitter() {
        return intervalJitter;
    }

    /** @return how long a probe may take before it counts as failed */
    public Duration timeout() {
        return timeout;
    }

    /** @return passes in a row that bring an endpoint (or its zone) back */
    public int healthyThreshold() {
        return healthyThreshold;
    }

    /** @return failures in a row that mark an endpoint unhealthy under continuous checks */
    public int unhealthyThreshold() {
        return unhealthyThreshold;
    }

    /** @return whether every endpoint is probed all the time, not only those out of the plan */
    public boolean continuous() {
        return continuous;
    }

    /** @return under continuous checks, the interval for endpoints the plan sends no traffic */
    public Duration noTrafficInterval() {
        return noTrafficInterval;
    }

    /** @return probes per second this instance sends to the service's endpoints at most */
    public int maxProbesPerSecond() {
        return maxProbesPerSecond;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HealthCheckPolicy p)) {
            return false;
        }
        return enabled == p.enabled && type == p.type && path.equals(p.path) && Objects.equals(port, p.port)
                && method.equals(p.method) && interval.equals(p.interval) && intervalJitter.equals(p.intervalJitter)
                && timeout.equals(p.timeout) && healthyThreshold == p.healthyThreshold
                && unhealthyThreshold == p.unhealthyThreshold && continuous == p.continuous
                && noTrafficInterval.equals(p.noTrafficInterval) && maxProbesPerSecond == p.maxProbesPerSecond;
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, type, path, port, method, interval, intervalJitter, timeout, healthyThreshold,
                unhealthyThreshold, continuous, noTrafficInterval, maxProbesPerSecond);
    }

    @Override
    public String toString() {
        return "HealthCheckPolicy{" + (enabled ? "" : "disabled, ") + type + " " + method + " " + path
                + (port == null ? "" : " port " + port) + ", every " + Values.format(interval) + " - up to "
                + Values.format(intervalJitter) + ", timeout " + Values.format(timeout) + ", healthy after "
                + healthyThreshold + (continuous ? ", continuous (unhealthy after " + unhealthyThreshold
                + ", no traffic every " + Values.format(noTrafficInterval) + ")" : "") + ", at most "
                + maxProbesPerSecond + "/s}";
    }

    /** Builder; every setter checks its value. Not thread-safe. */
    public static final class Builder {
        private boolean enabled = DEFAULT_ENABLED;
        private ProbeType type = DEFAULT_TYPE;
        private String path = DEFAULT_PATH;
        private Integer port;
        private String method = DEFAULT_METHOD;
        private Duration interval = DEFAULT_INTERVAL;
        private Duration intervalJitter = DEFAULT_INTERVAL_JITTER;
        private Duration timeout = DEFAULT_TIMEOUT;
        private boolean timeoutSet;
        private int healthyThreshold = DEFAULT_HEALTHY_THRESHOLD;
        private int unhealthyThreshold = DEFAULT_UNHEALTHY_THRESHOLD;
        private boolean continuous = DEFAULT_CONTINUOUS;
        private Duration noTrafficInterval = DEFAULT_NO_TRAFFIC_INTERVAL;
        private int maxProbesPerSecond = DEFAULT_MAX_PROBES_PER_SECOND;

        private Builder() {
        }

        /**
         * @param enabled whether endpoints are probed at all; default true
         * @return this builder
         */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * @param type the built-in probe; default HTTP
         * @return this builder
         */
        public Builder type(ProbeType type) {
            this.type = Check.required("type", type);
            return this;
        }

        /**
         * @param path the HTTP probe's path, starting with {@code /}; default {@code /}
         * @return this builder
         */
        public Builder path(String path) {
            Check.notBlank("path", path);
            if (!path.startsWith("/")) {
                throw new InvalidConfigurationException("path", path, "must start with '/'");
            }
            this.path = path;
            return this;
        }

        /**
         * @param port 1 to 65535, or {@code null} for the endpoint's own port (the default)
         * @return this builder
         */
        public Builder port(Integer port) {
            this.port = port == null ? null : Check.between("port", port.intValue(), 1, 65_535);
            return this;
        }

        /**
         * @param method the HTTP probe's method; default GET
         * @return this builder
         */
        public Builder method(String method) {
            Check.notBlank("method", method);
            if (!method.chars().allMatch(c -> c < 128 && Character.isLetter(c))) {
                throw new InvalidConfigurationException("method", method, "must be an HTTP method name, such as GET");
            }
            this.method = method.toUpperCase(Locale.ROOT);
            return this;
        }

        /**
         * @param interval positive; default 1 s
         * @return this builder
         */
        public Builder interval(Duration interval) {
            this.interval = Check.positive("interval", interval);
            return this;
        }

        /**
         * @param jitter zero or more, less than the interval; default 100 ms
         * @return this builder
         */
        public Builder intervalJitter(Duration jitter) {
            this.intervalJitter = Check.notNegative("intervalJitter", jitter);
            return this;
        }

        /**
         * @param timeout positive, at most the interval; default 500 ms
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Check.positive("timeout", timeout);
            this.timeoutSet = true;
            return this;
        }

        /**
         * @param passes at least 1; default 1
         * @return this builder
         */
        public Builder healthyThreshold(int passes) {
            this.healthyThreshold = Check.atLeast("healthyThreshold", passes, 1);
            return this;
        }

        /**
         * @param failures at least 1; default 3
         * @return this builder
         */
        public Builder unhealthyThreshold(int failures) {
            this.unhealthyThreshold = Check.atLeast("unhealthyThreshold", failures, 1);
            return this;
        }

        /**
         * @param continuous whether every endpoint is probed all the time; default false
         * @return this builder
         */
        public Builder continuous(boolean continuous) {
            this.continuous = continuous;
            return this;
        }

        /**
         * @param interval at least the interval; default 60 s
         * @return this builder
         */
        public Builder noTrafficInterval(Duration interval) {
            this.noTrafficInterval = Check.positive("noTrafficInterval", interval);
            return this;
        }

        /**
         * @param probes 1 to 10,000; default 50
         * @return this builder
         */
        public Builder maxProbesPerSecond(int probes) {
            this.maxProbesPerSecond = Check.between("maxProbesPerSecond", probes, 1, 10_000);
            return this;
        }

        /**
         * @return the policy
         * @throws InvalidConfigurationException when the timeout exceeds the interval or the
         *     no-traffic interval is shorter than it
         */
        public HealthCheckPolicy build() {
            return new HealthCheckPolicy(this);
        }
    }
}
