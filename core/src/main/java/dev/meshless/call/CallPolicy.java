package dev.meshless.call;

import dev.meshless.breaker.Breakers;
import dev.meshless.outcome.Outcome;
import dev.meshless.outlier.OutlierDetectionPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How calls to one service are made to survive: attempts, retry budget, backoff, timeouts,
 * concurrency, outlier detection and circuit breakers. Immutable; build with {@link #builder()};
 * setters reject bad values naming the property and the value. Every default is listed in
 * {@code docs/resilience.md}.
 */
public final class CallPolicy {

    /** One first attempt and two retries. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Envoy's default route timeout. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(15);
    /** Finagle's and Linkerd's budget: retries may add 20 % to requests. */
    public static final double DEFAULT_RETRY_BUDGET_RATIO = 0.2;
    /** Finagle's and Linkerd's floor. */
    public static final int DEFAULT_RETRY_BUDGET_MIN_RETRIES_PER_SECOND = 10;
    /** Finagle's and Linkerd's window. */
    public static final Duration DEFAULT_RETRY_BUDGET_TTL = Duration.ofSeconds(10);
    /** Envoy's default base retry interval. */
    public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(25);
    /** Envoy's default maximum retry interval (10 × base). */
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofMillis(250);
    /** Envoy's default per-cluster pending/active request threshold. */
    public static final int DEFAULT_MAX_CONCURRENT_CALLS_PER_ENDPOINT = 1024;
    /** After one failed attempt in a tier, retries go to the next tier (Envoy's previous priorities). */
    public static final int DEFAULT_ATTEMPTS_PER_TIER = 1;
    /** HTTP methods that are idempotent by definition (RFC 9110) and retried without being told. */
    public static final Set<String> DEFAULT_RETRYABLE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");

    private static final CallPolicy DEFAULTS = builder().build();

    private final int maxAttempts;
    private final Duration deadline;
    private final Duration perTryTimeout;
    private final double retryBudgetRatio;
    private final int retryBudgetMinRetriesPerSecond;
    private final Duration retryBudgetTtl;
    private final Duration backoffBase;
    private final Duration backoffMax;
    private final Set<String> retryableMethods;
    private final Set<Outcome.Kind> retryOn;
    private final int attemptsPerTier;
    private final int maxConcurrentCallsPerEndpoint;
    private final OutlierDetectionPolicy outlierDetection;
    private final CircuitBreakerConfig zoneBreaker;
    private final CircuitBreakerConfig serviceBreaker;

    private CallPolicy(Builder b) {
        if (b.backoffMax.compareTo(b.backoffBase) < 0) {
            throw new IllegalArgumentException("backoffMax must be at least backoffBase (" + b.backoffBase
                    + "), but was " + b.backoffMax);
        }
        if (b.perTryTimeout != null && b.perTryTimeout.compareTo(b.deadline) > 0) {
            throw new IllegalArgumentException("perTryTimeout must not exceed deadline (" + b.deadline
                    + "), but was " + b.perTryTimeout);
        }
        this.maxAttempts = b.maxAttempts;
        this.deadline = b.deadline;
        this.perTryTimeout = b.perTryTimeout;
        this.retryBudgetRatio = b.retryBudgetRatio;
        this.retryBudgetMinRetriesPerSecond = b.retryBudgetMinRetriesPerSecond;
        this.retryBudgetTtl = b.retryBudgetTtl;
        this.backoffBase = b.backoffBase;
        this.backoffMax = b.backoffMax;
        this.retryableMethods = Set.copyOf(b.retryableMethods);
        this.retryOn = Set.copyOf(b.retryOn);
        this.attemptsPerTier = b.attemptsPerTier;
        this.maxConcurrentCallsPerEndpoint = b.maxConcurrentCallsPerEndpoint;
        this.outlierDetection = b.outlierDetection;
        this.zoneBreaker = b.zoneBreaker;
        this.serviceBreaker = b.serviceBreaker;
    }

    /** @return every default */
    public static CallPolicy defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return attempts per call, first one included */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return how long a whole call may take, retries and backoff included, unless the call says otherwise */
    public Duration deadline() {
        return deadline;
    }

    /** @return the time limit of one attempt, or {@code null} for none beyond the deadline */
    public Duration perTryTimeout() {
        return perTryTimeout;
    }

    /** @return retries allowed per request over the budget window */
    public double retryBudgetRatio() {
        return retryBudgetRatio;
    }

    /** @return retries per second always allowed */
    public int retryBudgetMinRetriesPerSecond() {
        return retryBudgetMinRetriesPerSecond;
    }

    /** @return the retry budget's window */
    public Duration retryBudgetTtl() {
        return retryBudgetTtl;
    }

    /** @return the first retry's backoff ceiling; each further retry doubles it */
    public Duration backoffBase() {
        return backoffBase;
    }

    /** @return the largest backoff ceiling */
    public Duration backoffMax() {
        return backoffMax;
    }

    /** @return HTTP methods retried without the call saying it is idempotent, upper case */
    public Set<String> retryableMethods() {
        return retryableMethods;
    }

    /** @return the outcome kinds that are retried */
    public Set<Outcome.Kind> retryOn() {
        return retryOn;
    }

    /** @return failed attempts in one tier before retries move on to the next tier; 0 never moves on early */
    public int attemptsPerTier() {
        return attemptsPerTier;
    }

    /** @return calls in flight to one endpoint beyond which it is skipped */
    public int maxConcurrentCallsPerEndpoint() {
        return maxConcurrentCallsPerEndpoint;
    }

    /** @return outlier detection rules */
    public OutlierDetectionPolicy outlierDetection() {
        return outlierDetection;
    }

    /** @return configuration of the breaker per zone, or {@code null} when zone breakers are off */
    public CircuitBreakerConfig zoneBreaker() {
        return zoneBreaker;
    }

    /** @return configuration of the breaker per service, or {@code null} when it is off */
    public CircuitBreakerConfig serviceBreaker() {
        return serviceBreaker;
    }

    /** Builder; every setter checks its value. Not thread-safe. */
    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration deadline = DEFAULT_DEADLINE;
        private Duration perTryTimeout;
        private double retryBudgetRatio = DEFAULT_RETRY_BUDGET_RATIO;
        private int retryBudgetMinRetriesPerSecond = DEFAULT_RETRY_BUDGET_MIN_RETRIES_PER_SECOND;
        private Duration retryBudgetTtl = DEFAULT_RETRY_BUDGET_TTL;
        private Duration backoffBase = DEFAULT_BACKOFF_BASE;
        private Duration backoffMax = DEFAULT_BACKOFF_MAX;
        private Set<String> retryableMethods = DEFAULT_RETRYABLE_METHODS;
        private Set<Outcome.Kind> retryOn = EnumSet.of(Outcome.Kind.ENDPOINT_FAILURE, Outcome.Kind.GATEWAY_FAILURE,
                Outcome.Kind.OVERLOADED);
        private int attemptsPerTier = DEFAULT_ATTEMPTS_PER_TIER;
        private int maxConcurrentCallsPerEndpoint = DEFAULT_MAX_CONCURRENT_CALLS_PER_ENDPOINT;
        private OutlierDetectionPolicy outlierDetection = OutlierDetectionPolicy.defaults();
        private CircuitBreakerConfig zoneBreaker = Breakers.zoneDefaults();
        private CircuitBreakerConfig serviceBreaker = Breakers.serviceDefaults();

        private Builder() {
        }

        /**
         * @param attempts attempts per call including the first, 1 to 10; default 3
         * @return this builder
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1 || attempts > 10) {
                throw new IllegalArgumentException("maxAttempts must be between 1 and 10, but was " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * @param deadline whole-call limit, positive; default 15 s
         * @return this builder
         */
        public Builder deadline(Duration deadline) {
            this.deadline = positive("deadline", deadline);
            return this;
        }

        /**
         * @param timeout one attempt's limit, positive and at most the deadline, or {@code null}
         *     for none beyond the deadline (default)
         * @return this builder
         */
        public Builder perTryTimeout(Duration timeout) {
            this.perTryTimeout = timeout == null ? null : positive("perTryTimeout", timeout);
            return this;
        }

        /**
         * @param ratio retries per request, 0 to 10; default 0.2
         * @return this builder
         */
        public Builder retryBudgetRatio(double ratio) {
            if (!(ratio >= 0.0 && ratio <= 10.0)) {
                throw new IllegalArgumentException("retryBudgetRatio must be between 0 and 10, but was " + ratio);
            }
            this.retryBudgetRatio = ratio;
            return this;
        }

        /**
         * @param perSecond retries per second always allowed, 0 or more; default 10
         * @return this builder
         */
        public Builder retryBudgetMinRetriesPerSecond(int perSecond) {
            if (perSecond < 0) {
                throw new IllegalArgumentException("retryBudgetMinRetriesPerSecond must be at least 0, but was "
                        + perSecond);
            }
            this.retryBudgetMinRetriesPerSecond = perSecond;
            return this;
        }

        /**
         * @param ttl the budget window, at least 1 s; default 10 s
         * @return this builder
         */
        public Builder retryBudgetTtl(Duration ttl) {
            positive("retryBudgetTtl", ttl);
            if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("retryBudgetTtl must be at least 1s, but was " + ttl);
            }
            this.retryBudgetTtl = ttl;
            return this;
        }

        /**
         * @param base first retry's backoff ceiling, zero or more; default 25 ms
         * @return this builder
         */
        public Builder backoffBase(Duration base) {
            if (base == null || base.isNegative()) {
                throw new IllegalArgumentException("backoffBase must be zero or positive, but was " + base);
            }
            this.backoffBase = base;
            return this;
        }

        /**
         * @param max largest backoff ceiling, at least the base; default 250 ms
         * @return this builder
         */
        public Builder backoffMax(Duration max) {
            if (max == null || max.isNegative()) {
                throw new IllegalArgumentException("backoffMax must be zero or positive, but was " + max);
            }
            this.backoffMax = max;
            return this;
        }

        /**
         * @param methods HTTP methods retried without the call saying it is idempotent; default GET,
         *     HEAD, OPTIONS, PUT, DELETE
         * @return this builder
         */
        public Builder retryableMethods(Set<String> methods) {
            Set<String> upper = new LinkedHashSet<>();
            for (String m : Objects.requireNonNull(methods, "retryableMethods")) {
                if (m == null || m.isBlank() || !m.trim().chars().allMatch(Character::isLetter)) {
                    throw new IllegalArgumentException("retryableMethods must hold HTTP method names, but held "
                            + (m == null ? "null" : "'" + m + "'"));
                }
                upper.add(m.trim().toUpperCase(Locale.ROOT));
            }
            this.retryableMethods = upper;
            return this;
        }

        /**
         * @param kinds outcome kinds to retry; SUCCESS and CALLER_ERROR are never retried
         * @return this builder
         */
        public Builder retryOn(Set<Outcome.Kind> kinds) {
            for (Outcome.Kind k : kinds) {
                if (k == Outcome.Kind.SUCCESS || k == Outcome.Kind.CALLER_ERROR) {
                    throw new IllegalArgumentException("retryOn may hold ENDPOINT_FAILURE, GATEWAY_FAILURE and"
                            + " OVERLOADED, but held " + k);
                }
            }
            this.retryOn = kinds.isEmpty() ? EnumSet.noneOf(Outcome.Kind.class) : EnumSet.copyOf(kinds);
            return this;
        }

        /**
         * @param attempts failed attempts in one tier before retries move to the next, 0 to 10; 0
         *     keeps retrying a tier while it has untried endpoints; default 1
         * @return this builder
         */
        public Builder attemptsPerTier(int attempts) {
            if (attempts < 0 || attempts > 10) {
                throw new IllegalArgumentException("attemptsPerTier must be between 0 and 10, but was " + attempts);
            }
            this.attemptsPerTier = attempts;
            return this;
        }

        /**
         * @param max calls in flight per endpoint, at least 1; default 1024
         * @return this builder
         */
        public Builder maxConcurrentCallsPerEndpoint(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConcurrentCallsPerEndpoint must be at least 1, but was " + max);
            }
            this.maxConcurrentCallsPerEndpoint = max;
            return this;
        }

        /**
         * @param policy outlier detection rules; default {@link OutlierDetectionPolicy#defaults()}
         * @return this builder
         */
        public Builder outlierDetection(OutlierDetectionPolicy policy) {
            this.outlierDetection = Objects.requireNonNull(policy, "outlierDetection");
            return this;
        }

        /**
         * @param config the zone breakers' Resilience4j configuration, or {@code null} to turn zone
         *     breakers off; default {@link Breakers#zoneDefaults()}
         * @return this builder
         */
        public Builder zoneBreaker(CircuitBreakerConfig config) {
            this.zoneBreaker = config;
            return this;
        }

        /**
         * @param config the service breaker's Resilience4j configuration, or {@code null} to turn it
         *     off; default {@link Breakers#serviceDefaults()}
         * @return this builder
         */
        public Builder serviceBreaker(CircuitBreakerConfig config) {
            this.serviceBreaker = config;
            return this;
        }

        /**
         * @return the policy
         * @throws IllegalArgumentException when backoffMax is below backoffBase or perTryTimeout above deadline
         */
        public CallPolicy build() {
            return new CallPolicy(this);
        }

        private static Duration positive(String field, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(field + " must be positive, but was " + value);
            }
            return value;
        }
    }
}
