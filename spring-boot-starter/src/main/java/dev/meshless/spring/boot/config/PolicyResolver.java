package dev.meshless.spring.boot.config;

import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.breaker.Breakers;
import dev.meshless.call.CallPolicy;
import dev.meshless.outlier.OutlierDetectionPolicy;
import dev.meshless.ratelimit.RateLimit;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.PolicyProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Resolves and checks the policies of a service: every value comes from
 * {@code meshless.services.<name>} when set there, else from {@code meshless.defaults}, else from
 * Meshless's defaults; every value is checked by the core builders, and a rejection names the
 * property it came from.
 */
public final class PolicyResolver {

    private final MeshlessProperties properties;

    /** @param properties the bound properties */
    public PolicyResolver(MeshlessProperties properties) {
        this.properties = properties;
    }

    /**
     * Resolves the defaults and every configured service, so that a bad value stops start-up.
     *
     * @throws InvalidMeshlessConfigurationException naming the first bad property
     */
    public void checkAll() {
        resolve(null);
        properties.getServices().keySet().forEach(this::resolve);
    }

    /**
     * @param service a service name, or {@code null} for the defaults alone
     * @return its policies
     * @throws InvalidMeshlessConfigurationException naming the bad property
     */
    public ServicePolicies resolve(String service) {
        Source src = new Source(service == null ? null : properties.getServices().get(service), service,
                properties.getDefaults());
        return new ServicePolicies(service, balancing(src), call(src), outbound(src), retryableStatuses(src));
    }

    /**
     * The service's retryable statuses, else the defaults', else the deprecated
     * {@code meshless.http.retryable-statuses} (whose default is the built-in list).
     */
    @SuppressWarnings("deprecation")
    private Set<Integer> retryableStatuses(Source s) {
        List<Integer> statuses = s.value("retry.retryable-statuses", p -> p.getRetry().getRetryableStatuses());
        String property = statuses != null ? s.where("retry.retryable-statuses",
                p -> p.getRetry().getRetryableStatuses()) : MeshlessProperties.PREFIX + ".http.retryable-statuses";
        if (statuses == null) {
            statuses = properties.getHttp().getRetryableStatuses();
        }
        Set<Integer> checked = new LinkedHashSet<>();
        for (int i = 0; i < statuses.size(); i++) {
            Integer status = statuses.get(i);
            if (status == null || (status != 429 && (status < 500 || status > 599))) {
                throw new InvalidMeshlessConfigurationException(property + "[" + i + "]", status,
                        "must be 429 or a 5xx status: only failures are retried, and other 4xx answers are the"
                                + " caller's");
            }
            checked.add(status);
        }
        return checked;
    }

    private LoadBalancingPolicy balancing(Source s) {
        LoadBalancingPolicy.Builder b = LoadBalancingPolicy.builder();
        s.apply("load-balancing.overprovisioning-factor", p -> p.getLoadBalancing().getOverprovisioningFactor(),
                b::overprovisioningFactor);
        s.apply("load-balancing.panic-threshold", p -> p.getLoadBalancing().getPanicThreshold(),
                v -> b.panicThresholdPercent(v.value()));
        s.apply("load-balancing.region-order", p -> p.getLoadBalancing().getRegionOrder(), b::regionOrder);
        s.apply("load-balancing.exclude-unlisted-regions", p -> p.getLoadBalancing().getExcludeUnlistedRegions(),
                b::excludeUnlistedRegions);
        s.apply("load-balancing.zone-aware", p -> p.getLoadBalancing().getZoneAware(), b::zoneAware);
        s.apply("load-balancing.min-cluster-size", p -> p.getLoadBalancing().getMinClusterSize(), b::minClusterSize);
        s.apply("load-balancing.endpoint-strategy", p -> p.getLoadBalancing().getEndpointStrategy(),
                b::endpointStrategy);
        s.apply("load-balancing.warning-is-healthy", p -> p.getLoadBalancing().getWarningIsHealthy(),
                b::warningIsHealthy);
        return b.build();
    }

    private CallPolicy call(Source s) {
        CallPolicy.Builder b = CallPolicy.builder();
        s.apply("retry.max-attempts", p -> p.getRetry().getMaxAttempts(), b::maxAttempts);
        s.apply("retry.attempts-per-tier", p -> p.getRetry().getAttemptsPerTier(), b::attemptsPerTier);
        s.apply("retry.budget-ratio", p -> p.getRetry().getBudgetRatio(), v -> b.retryBudgetRatio(v.fraction()));
        s.apply("retry.budget-min-retries-per-second", p -> p.getRetry().getBudgetMinRetriesPerSecond(),
                b::retryBudgetMinRetriesPerSecond);
        s.apply("retry.budget-ttl", p -> p.getRetry().getBudgetTtl(), b::retryBudgetTtl);
        s.apply("retry.backoff-base", p -> p.getRetry().getBackoffBase(), b::backoffBase);
        s.apply("retry.backoff-max", p -> p.getRetry().getBackoffMax(), b::backoffMax);
        s.apply("retry.retryable-methods", p -> p.getRetry().getRetryableMethods(),
                v -> b.retryableMethods(new LinkedHashSet<>(v)));
        s.apply("timeouts.deadline", p -> p.getTimeouts().getDeadline(), b::deadline);
        s.apply("timeouts.per-try", p -> p.getTimeouts().getPerTry(), b::perTryTimeout);
        s.apply("max-concurrent-calls-per-endpoint", PolicyProperties::getMaxConcurrentCallsPerEndpoint,
                b::maxConcurrentCallsPerEndpoint);
        b.outlierDetection(outliers(s));
        b.zoneBreaker(breaker(s, "zone-breaker", PolicyProperties::getZoneBreaker, Breakers.zoneDefaults()));
        b.serviceBreaker(breaker(s, "service-breaker", PolicyProperties::getServiceBreaker,
                Breakers.serviceDefaults()));
        Duration base = s.value("retry.backoff-base", p -> p.getRetry().getBackoffBase());
        Duration max = s.value("retry.backoff-max", p -> p.getRetry().getBackoffMax());
        Duration effectiveBase = base != null ? base : CallPolicy.DEFAULT_BACKOFF_BASE;
        Duration effectiveMax = max != null ? max : CallPolicy.DEFAULT_BACKOFF_MAX;
        if (effectiveMax.compareTo(effectiveBase) < 0) {
            boolean maxSet = max != null;
            throw new InvalidMeshlessConfigurationException(
                    s.where(maxSet ? "retry.backoff-max" : "retry.backoff-base",
                            p -> maxSet ? p.getRetry().getBackoffMax() : p.getRetry().getBackoffBase()),
                    maxSet ? effectiveMax : effectiveBase, "backoff-max must be at least backoff-base ("
                            + effectiveBase + " vs " + effectiveMax + ")");
        }
        Duration deadline = s.value("timeouts.deadline", p -> p.getTimeouts().getDeadline());
        Duration perTry = s.value("timeouts.per-try", p -> p.getTimeouts().getPerTry());
        Duration effectiveDeadline = deadline != null ? deadline : CallPolicy.DEFAULT_DEADLINE;
        if (perTry != null && perTry.compareTo(effectiveDeadline) > 0) {
            throw new InvalidMeshlessConfigurationException(s.where("timeouts.per-try", p -> p.getTimeouts().getPerTry()),
                    perTry, "must not exceed the deadline (" + dev.meshless.internal.Durations.format(effectiveDeadline)
                            + ")");
        }
        return b.build();
    }

    private OutlierDetectionPolicy outliers(Source s) {
        OutlierDetectionPolicy.Builder b = OutlierDetectionPolicy.builder();
        String o = "outlier-detection.";
        s.apply(o + "enabled", p -> p.getOutlierDetection().getEnabled(), b::enabled);
        s.apply(o + "consecutive-failures", p -> p.getOutlierDetection().getConsecutiveFailures(),
                b::consecutiveFailures);
        s.apply(o + "consecutive-gateway-failures", p -> p.getOutlierDetection().getConsecutiveGatewayFailures(),
                b::consecutiveGatewayFailures);
        s.apply(o + "consecutive-local-origin-failures",
                p -> p.getOutlierDetection().getConsecutiveLocalOriginFailures(), b::consecutiveLocalOriginFailures);
        s.apply(o + "interval", p -> p.getOutlierDetection().getInterval(), b::interval);
        s.apply(o + "base-ejection-time", p -> p.getOutlierDetection().getBaseEjectionTime(), b::baseEjectionTime);
        s.apply(o + "max-ejection-time", p -> p.getOutlierDetection().getMaxEjectionTime(), b::maxEjectionTime);
        s.apply(o + "max-ejection-time-jitter", p -> p.getOutlierDetection().getMaxEjectionTimeJitter(),
                b::maxEjectionTimeJitter);
        s.apply(o + "max-ejection-percent", p -> p.getOutlierDetection().getMaxEjectionPercent(),
                v -> b.maxEjectionPercent((int) Math.round(v.value())));
        s.apply(o + "success-rate-enabled", p -> p.getOutlierDetection().getSuccessRateEnabled(),
                b::successRateEnabled);
        s.apply(o + "success-rate-stdev-factor", p -> p.getOutlierDetection().getSuccessRateStdevFactor(),
                b::successRateStdevFactor);
        s.apply(o + "success-rate-minimum-hosts", p -> p.getOutlierDetection().getSuccessRateMinimumHosts(),
                b::successRateMinimumHosts);
        s.apply(o + "success-rate-request-volume", p -> p.getOutlierDetection().getSuccessRateRequestVolume(),
                b::successRateRequestVolume);
        s.apply(o + "failure-percentage-enabled", p -> p.getOutlierDetection().getFailurePercentageEnabled(),
                b::failurePercentageEnabled);
        s.apply(o + "failure-percentage-threshold", p -> p.getOutlierDetection().getFailurePercentageThreshold(),
                v -> b.failurePercentageThreshold((int) Math.round(v.value())));
        s.apply(o + "failure-percentage-minimum-hosts",
                p -> p.getOutlierDetection().getFailurePercentageMinimumHosts(), b::failurePercentageMinimumHosts);
        s.apply(o + "failure-percentage-request-volume",
                p -> p.getOutlierDetection().getFailurePercentageRequestVolume(), b::failurePercentageRequestVolume);
        Duration base = s.value(o + "base-ejection-time", p -> p.getOutlierDetection().getBaseEjectionTime());
        Duration max = s.value(o + "max-ejection-time", p -> p.getOutlierDetection().getMaxEjectionTime());
        Duration effectiveBase = base != null ? base : OutlierDetectionPolicy.DEFAULT_BASE_EJECTION_TIME;
        Duration effectiveMax = max != null ? max : OutlierDetectionPolicy.DEFAULT_MAX_EJECTION_TIME;
        if (effectiveMax.compareTo(effectiveBase) < 0) {
            boolean maxSet = max != null;
            throw new InvalidMeshlessConfigurationException(
                    s.where(o + (maxSet ? "max-ejection-time" : "base-ejection-time"), p -> maxSet
                            ? p.getOutlierDetection().getMaxEjectionTime()
                            : p.getOutlierDetection().getBaseEjectionTime()),
                    maxSet ? effectiveMax : effectiveBase, "max-ejection-time must be at least base-ejection-time ("
                            + dev.meshless.internal.Durations.format(effectiveBase) + " vs "
                            + dev.meshless.internal.Durations.format(effectiveMax) + ")");
        }
        return b.build();
    }

    private CircuitBreakerConfig breaker(Source s, String name,
                                         Function<PolicyProperties, PolicyProperties.Breaker> section,
                                         CircuitBreakerConfig defaults) {
        Boolean enabled = s.value(name + ".enabled", p -> section.apply(p).getEnabled());
        if (Boolean.FALSE.equals(enabled)) {
            return null;
        }
        CircuitBreakerConfig.Builder b = CircuitBreakerConfig.from(defaults);
        s.apply(name + ".failure-rate-threshold", p -> section.apply(p).getFailureRateThreshold(),
                v -> b.failureRateThreshold(positivePercent(v)));
        s.apply(name + ".slow-call-rate-threshold", p -> section.apply(p).getSlowCallRateThreshold(),
                v -> b.slowCallRateThreshold(positivePercent(v)));
        s.apply(name + ".slow-call-duration-threshold", p -> section.apply(p).getSlowCallDurationThreshold(),
                b::slowCallDurationThreshold);
        Integer window = s.value(name + ".sliding-window-size", p -> section.apply(p).getSlidingWindowSize());
        Integer minimum = s.value(name + ".minimum-number-of-calls", p -> section.apply(p).getMinimumNumberOfCalls());
        if (window != null || minimum != null) {
            int size = window != null ? window : defaults.getSlidingWindowSize();
            int min = minimum != null ? minimum : Math.min(size, defaults.getMinimumNumberOfCalls());
            // Each value is checked on its own first, so that a bad one is named wherever it was set.
            String windowName = s.where(name + ".sliding-window-size", p -> section.apply(p).getSlidingWindowSize());
            if (window != null) {
                ConfigChecks.check(windowName, window,
                        () -> b.slidingWindow(size, 1, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED));
            }
            ConfigChecks.check(minimum != null
                            ? s.where(name + ".minimum-number-of-calls", p -> section.apply(p).getMinimumNumberOfCalls())
                            : windowName, minimum != null ? minimum : window,
                    () -> b.slidingWindow(size, min, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED));
        }
        s.apply(name + ".wait-duration-in-open-state", p -> section.apply(p).getWaitDurationInOpenState(),
                b::waitDurationInOpenState);
        s.apply(name + ".permitted-calls-in-half-open-state",
                p -> section.apply(p).getPermittedCallsInHalfOpenState(), b::permittedNumberOfCallsInHalfOpenState);
        return b.build();
    }

    private static float positivePercent(Percent p) {
        if (p.value() <= 0.0) {
            throw new IllegalArgumentException("must be above 0%, but was " + p);
        }
        return (float) p.value();
    }

    private RateLimit outbound(Source s) {
        Integer limit = s.value("outbound-rate-limit.limit-for-period",
                p -> p.getOutboundRateLimit().getLimitForPeriod());
        if (limit == null) {
            return null;
        }
        // One limiter per service, even when the limit comes from the defaults: a default is a
        // template, as in Resilience4j's configs, not a limit shared by every service.
        String name = (s.serviceName == null ? "default" : s.serviceName) + "-outbound";
        RateLimit.Builder[] b = new RateLimit.Builder[1];
        ConfigChecks.check(s.where("outbound-rate-limit.limit-for-period",
                p -> p.getOutboundRateLimit().getLimitForPeriod()), limit,
                () -> b[0] = RateLimit.builder(name).limitForPeriod(limit));
        s.apply("outbound-rate-limit.period", p -> p.getOutboundRateLimit().getPeriod(), v -> b[0].period(v));
        s.apply("outbound-rate-limit.burst", p -> p.getOutboundRateLimit().getBurst(), v -> b[0].burst(v));
        s.apply("outbound-rate-limit.timeout", p -> p.getOutboundRateLimit().getTimeout(), v -> b[0].timeout(v));
        Integer burst = s.value("outbound-rate-limit.burst", p -> p.getOutboundRateLimit().getBurst());
        if (burst != null && burst > limit) {
            throw new InvalidMeshlessConfigurationException(s.where("outbound-rate-limit.burst",
                    p -> p.getOutboundRateLimit().getBurst()), burst,
                    "must be between 1 and limit-for-period (" + limit + ")");
        }
        return b[0].build();
    }

    /** Where each value comes from: the service's section when it sets the value, else the defaults. */
    private static final class Source {
        final PolicyProperties service;
        final String serviceName;
        final PolicyProperties defaults;

        Source(PolicyProperties service, String serviceName, PolicyProperties defaults) {
            this.service = service;
            this.serviceName = serviceName;
            this.defaults = defaults;
        }

        <T> T value(String property, Function<PolicyProperties, T> getter) {
            T own = service == null ? null : getter.apply(service);
            return own != null ? own : getter.apply(defaults);
        }

        /** The full name of the property the value actually comes from. */
        <T> String where(String property, Function<PolicyProperties, T> getter) {
            return name(property, service != null && getter.apply(service) != null);
        }

        private String name(String property, boolean own) {
            return MeshlessProperties.PREFIX + (own ? ".services" + ConfigChecks.mapKey(serviceName) : ".defaults")
                    + "." + property;
        }

        /** Applies the value, when there is one, naming the section it came from if core rejects it. */
        <T> void apply(String property, Function<PolicyProperties, T> getter, Consumer<T> setter) {
            T own = service == null ? null : getter.apply(service);
            T value = own != null ? own : getter.apply(defaults);
            if (value == null) {
                return;
            }
            ConfigChecks.check(name(property, own != null), value instanceof Duration d ? d : value,
                    () -> setter.accept(value));
        }
    }
}
