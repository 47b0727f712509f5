package dev.meshless.call;

import dev.meshless.breaker.Breakers;
import dev.meshless.outcome.Outcome;
import dev.meshless.adaptive.AdaptiveConcurrencyPolicy;
import dev.meshless.balancer.SlowStartPolicy;
import dev.meshless.health.HealthCheckPolicy;
import dev.meshless.outlier.OutlierDetectionPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import dev.meshless.config.Check;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Paths;
import dev.meshless.config.Values;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How calls to one service are made to survive: attempts, retry budget, backoff, timeouts,
 * concurrency, outlier detection and circuit breakers. Immutable; build with {@link #builder()} or
 * from a {@link dev.meshless.policy.PolicySpec}. Setters reject bad values with an
 * {@link InvalidConfigurationException} whose path is the setting's place in {@code PolicySpec}
 * ({@code retry.maxAttempts}, {@code timeouts.perTry}). Every default is listed in
 * {@code docs/resilience.md}.
 */
public final class CallPolicy {

    private static final String BACKOFF_BASE = "retry.backoffBase";
    private static final String BACKOFF_MAX = "retry.backoffMax";
    private static final String PER_TRY = "timeouts.perTry";

    /** One first attempt and two retries. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Envoy's default route timeout. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(15);
    /** Finagle's and Linkerd's budget: retries may add 20 % to requests. */
    public static final double DEFAULT_RETRY_BUDGET_PERCENT = 20.0;
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
    /** HTTP statuses retried by default: too many requests, and the 5xx that mean "try elsewhere" (Envoy's retriable-status-codes plus 5xx). */
    public static final Set<Integer> DEFAULT_RETRYABLE_STATUSES = Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of(429, 500, 502, 503, 504)));

    private static final CallPolicy DEFAULTS = builder().build();

    private final int maxAttempts;
    private final Duration deadline;
    private final Duration perTryTimeout;
    private final double retryBudgetPercent;
    private final int retryBudgetMinRetriesPerSecond;
    private final Duration retryBudgetTtl;
    private final Duration backoffBase;
    private final Duration backoffMax;
    private final Set<String> retryableMethods;
    private final Set<Integer> retryableStatuses;
    private final Set<Outcome.Kind> retryOn;
    private final int attemptsPerTier;
    private final int maxConcurrentCallsPerEndpoint;
    private final OutlierDetectionPolicy outlierDetection;
    private final HealthCheckPolicy healthCheck;
    private final SlowStartPolicy slowStart;
    private final AdaptiveConcurrencyPolicy adaptiveConcurrency;
    private final CircuitBreakerConfig zoneBreaker;
    private final CircuitBreakerConfig serviceBreaker;

    private CallPolicy(Builder b) {
        if (b.backoffMax.compareTo(b.backoffBase) < 0) {
            throw b.backoffMaxSet
                    ? new InvalidConfigurationException(BACKOFF_MAX, b.backoffMax, "must be at least the backoff base ("
                            + Values.format(b.backoffBase) + ")")
                    : new InvalidConfigurationException(BACKOFF_BASE, b.backoffBase, "must be at most the backoff"
                            + " max (" + Values.format(b.backoffMax) + ")");
        }
        if (b.perTryTimeout != null && b.perTryTimeout.compareTo(b.deadline) > 0) {
            throw new InvalidConfigurationException(PER_TRY, b.perTryTimeout, "must not exceed the deadline ("
                    + Values.format(b.deadline) + ")");
        }
        this.maxAttempts = b.maxAttempts;
        this.deadline = b.deadline;
        this.perTryTimeout = b.perTryTimeout;
        this.retryBudgetPercent = b.retryBudgetPercent;
        this.retryBudgetMinRetriesPerSecond = b.retryBudgetMinRetriesPerSecond;
        this.retryBudgetTtl = b.retryBudgetTtl;
        this.backoffBase = b.backoffBase;
        this.backoffMax = b.backoffMax;
        this.retryableMethods = Set.copyOf(b.retryableMethods);
        this.retryableStatuses = Collections.unmodifiableSet(new LinkedHashSet<>(b.retryableStatuses));
        this.retryOn = Set.copyOf(b.retryOn);
        this.attemptsPerTier = b.attemptsPerTier;
        this.maxConcurrentCallsPerEndpoint = b.maxConcurrentCallsPerEndpoint;
        this.outlierDetection = b.outlierDetection;
        this.healthCheck = b.healthCheck;
        this.slowStart = b.slowStart;
        this.adaptiveConcurrency = b.adaptiveConcurrency;
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

    /** @return retries allowed over the budget window, in percent of requests (20 means one retry per five requests) */
    public double retryBudgetPercent() {
        return retryBudgetPercent;
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

    /** @return HTTP failure statuses that are retried, in the order given */
    public Set<Integer> retryableStatuses() {
        return retryableStatuses;
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

    /** @return active health checks: probes of endpoints and zones out of the plan, continuous checks */
    public HealthCheckPolicy healthCheck() {
        return healthCheck;
    }

    /** @return how endpoints and zones that come back, and endpoints a scale-up adds, ramp up to their full share */
    public SlowStartPolicy slowStart() {
        return slowStart;
    }

    /** @return the adaptive concurrency limit of calls to the service; off by default */
    public AdaptiveConcurrencyPolicy adaptiveConcurrency() {
        return adaptiveConcurrency;
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
        private double retryBudgetPercent = DEFAULT_RETRY_BUDGET_PERCENT;
        private int retryBudgetMinRetriesPerSecond = DEFAULT_RETRY_BUDGET_MIN_RETRIES_PER_SECOND;
        private Duration retryBudgetTtl = DEFAULT_RETRY_BUDGET_TTL;
        private Duration backoffBase = DEFAULT_BACKOFF_BASE;
        private Duration backoffMax = DEFAULT_BACKOFF_MAX;
        private Set<String> retryableMethods = DEFAULT_RETRYABLE_METHODS;
        private Set<Integer> retryableStatuses = DEFAULT_RETRYABLE_STATUSES;
        /** Whether backoffMax was given, so that a conflict with the base names the value given. */
        private boolean backoffMaxSet;
        private Set<Outcome.Kind> retryOn = EnumSet.of(Outcome.Kind.ENDPOINT_FAILURE, Outcome.Kind.GATEWAY_FAILURE,
                Outcome.Kind.OVERLOADED);
        private int attemptsPerTier = DEFAULT_ATTEMPTS_PER_TIER;
        private int maxConcurrentCallsPerEndpoint = DEFAULT_MAX_CONCURRENT_CALLS_PER_ENDPOINT;
        private OutlierDetectionPolicy outlierDetection = OutlierDetectionPolicy.defaults();
        private HealthCheckPolicy healthCheck = HealthCheckPolicy.defaults();
        private SlowStartPolicy slowStart = SlowStartPolicy.disabled();
        private AdaptiveConcurrencyPolicy adaptiveConcurrency = AdaptiveConcurrencyPolicy.disabled();
        private CircuitBreakerConfig zoneBreaker = Breakers.zoneDefaults();
        private CircuitBreakerConfig serviceBreaker = Breakers.serviceDefaults();

        private Builder() {
        }

        /**
         * @param attempts attempts per call including the first, 1 to 10; default 3
         * @return this builder
         */
        public Builder maxAttempts(int attempts) {
            this.maxAttempts = Check.between("retry.maxAttempts", attempts, 1, 10);
            return this;
        }

        /**
         * @param deadline whole-call limit, positive; default 15 s
         * @return this builder
         */
        public Builder deadline(Duration deadline) {
            this.deadline = Check.positive("timeouts.deadline", deadline);
            return this;
        }

        /**
         * @param timeout one attempt's limit, positive and at most the deadline, or {@code null}
         *     for none beyond the deadline (default)
         * @return this builder
         */
        public Builder perTryTimeout(Duration timeout) {
            this.perTryTimeout = timeout == null ? null : Check.positive(PER_TRY, timeout);
            return this;
        }

        /**
         * @param percent retries allowed over the budget window in percent of requests, 0 to 1000
         *     (ten retries per request); default {@value #DEFAULT_RETRY_BUDGET_PERCENT}
         * @return this builder
         */
        public Builder retryBudgetPercent(double percent) {
            this.retryBudgetPercent = Check.percent("retry.budgetRatio", percent, 0.0, 1000.0);
            return this;
        }

        /**
         * @param perSecond retries per second always allowed, 0 or more; default 10
         * @return this builder
         */
        public Builder retryBudgetMinRetriesPerSecond(int perSecond) {
            this.retryBudgetMinRetriesPerSecond = Check.atLeast("retry.budgetMinRetriesPerSecond", perSecond, 0);
            return this;
        }

        /**
         * @param ttl the budget window, at least 1 s; default 10 s
         * @return this builder
         */
        public Builder retryBudgetTtl(Duration ttl) {
            this.retryBudgetTtl = Check.atLeast("retry.budgetTtl", ttl, Duration.ofSeconds(1));
            return this;
        }

        /**
         * @param base first retry's backoff ceiling, zero or more; default 25 ms
         * @return this builder
         */
        public Builder backoffBase(Duration base) {
            this.backoffBase = Check.notNegative(BACKOFF_BASE, base);
            return this;
        }

        /**
         * @param max largest backoff ceiling, at least the base; default 250 ms
         * @return this builder
         */
        public Builder backoffMax(Duration max) {
            this.backoffMax = Check.notNegative(BACKOFF_MAX, max);
            this.backoffMaxSet = true;
            return this;
        }

        /**
         * @param methods HTTP methods retried without the call saying it is idempotent; default GET,
         *     HEAD, OPTIONS, PUT, DELETE
         * @return this builder
         */
        public Builder retryableMethods(Collection<String> methods) {
            Set<String> upper = new LinkedHashSet<>();
            int i = 0;
            for (String m : Check.required("retry.retryableMethods", methods)) {
                if (m == null || m.isBlank() || !m.trim().chars().allMatch(Character::isLetter)) {
                    throw new InvalidConfigurationException(Paths.key("retry.retryableMethods", i), m,
                            "must be an HTTP method name");
                }
                upper.add(m.trim().toUpperCase(Locale.ROOT));
                i++;
            }
            this.retryableMethods = upper;
            return this;
        }

        /**
         * @param statuses HTTP failure statuses that are retried: 429 and 5xx (other 4xx answers are
         *     the caller's); default 429, 500, 502, 503, 504
         * @return this builder
         */
        public Builder retryableStatuses(Collection<Integer> statuses) {
            Set<Integer> checked = new LinkedHashSet<>();
            int i = 0;
            for (Integer status : Check.required("retry.retryableStatuses", statuses)) {
                if (status == null || (status != 429 && (status < 500 || status > 599))) {
                    throw new InvalidConfigurationException(Paths.key("retry.retryableStatuses", i), status,
                            "must be 429 or a 5xx status: only failures are retried, and other 4xx answers are the"
                                    + " caller's");
                }
                checked.add(status);
                i++;
            }
            this.retryableStatuses = checked;
            return this;
        }

        /**
         * @param kinds outcome kinds to retry; SUCCESS and CALLER_ERROR are never retried
         * @return this builder
         */
        public Builder retryOn(Set<Outcome.Kind> kinds) {
            for (Outcome.Kind k : kinds) {
                if (k == Outcome.Kind.SUCCESS || k == Outcome.Kind.CALLER_ERROR) {
                    throw new InvalidConfigurationException("retryOn", k, "may hold endpoint-failure,"
                            + " gateway-failure and overloaded only");
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
            this.attemptsPerTier = Check.between("retry.attemptsPerTier", attempts, 0, 10);
            return this;
        }

        /**
         * @param max calls in flight per endpoint, at least 1; default 1024
         * @return this builder
         */
        public Builder maxConcurrentCallsPerEndpoint(int max) {
            this.maxConcurrentCallsPerEndpoint = Check.atLeast("maxConcurrentCallsPerEndpoint", max, 1);
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
         * @param policy active health checks; default {@link HealthCheckPolicy#defaults()}
         * @return this builder
         */
        public Builder healthCheck(HealthCheckPolicy policy) {
            this.healthCheck = Objects.requireNonNull(policy, "healthCheck");
            return this;
        }

        /**
         * @param policy slow start of endpoints and zones that come back; default off
         *     ({@link SlowStartPolicy#disabled()})
         * @return this builder
         */
        public Builder slowStart(SlowStartPolicy policy) {
            this.slowStart = Objects.requireNonNull(policy, "slowStart");
            return this;
        }

        /**
         * @param policy the adaptive concurrency limit of calls to the service; default off
         *     ({@link AdaptiveConcurrencyPolicy#disabled()})
         * @return this builder
         */
        public Builder adaptiveConcurrency(AdaptiveConcurrencyPolicy policy) {
            this.adaptiveConcurrency = Objects.requireNonNull(policy, "adaptiveConcurrency");
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
         * @throws InvalidConfigurationException when backoffMax is below backoffBase or perTryTimeout
         *     above deadline
         */
        public CallPolicy build() {
            return new CallPolicy(this);
        }
    }
}
