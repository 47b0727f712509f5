package dev.meshless.policy;

import dev.meshless.adaptive.AdaptiveConcurrencySpec;
import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.balancer.LoadBalancingSpec;
import dev.meshless.balancer.SlowStartSpec;
import dev.meshless.breaker.BreakerSpec;
import dev.meshless.breaker.Breakers;
import dev.meshless.call.CallPolicy;
import dev.meshless.call.RetrySpec;
import dev.meshless.call.TimeoutsSpec;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Percent;
import dev.meshless.config.Spec;
import dev.meshless.config.Specs;
import dev.meshless.health.HealthCheckSpec;
import dev.meshless.outlier.OutlierDetectionSpec;
import dev.meshless.ratelimit.OutboundRateLimitSpec;
import dev.meshless.ratelimit.RateLimit;
import dev.meshless.ratelimit.SharedRateLimiter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Policies for calls to one service, as configuration gives them: load balancing, retries,
 * timeouts, outlier detection, circuit breakers, concurrency (a cap per endpoint, an adaptive limit
 * per service) and an outbound rate limit. Spring
 * Boot binds {@code meshless.defaults} and each {@code meshless.services.<name>} to one; a
 * service's section is layered over the defaults with {@link Specs#merge} and mapped onto the
 * builders by {@link #toPolicies(String)}, which checks every value once and names a bad one by its
 * path here ({@code timeouts.perTry}).
 */
public class PolicySpec implements Spec {

    /** How traffic is split over localities and endpoints. */
    private LoadBalancingSpec loadBalancing = new LoadBalancingSpec();

    /** Retries across endpoints and localities. */
    private RetrySpec retry = new RetrySpec();

    /** Deadline and per-try timeout. */
    private TimeoutsSpec timeouts = new TimeoutsSpec();

    /** Passive outlier detection per endpoint. */
    private OutlierDetectionSpec outlierDetection = new OutlierDetectionSpec();

    /** Active health checks: probes that bring ejected endpoints and open zones back; continuous checks. */
    private HealthCheckSpec healthCheck = new HealthCheckSpec();

    /** Slow start: returning endpoints and zones, and those a scale-up adds, ramp up to their full share (off by default). */
    private SlowStartSpec slowStart = new SlowStartSpec();

    /** The circuit breaker per zone of the service. */
    private BreakerSpec zoneBreaker = new BreakerSpec();

    /** The circuit breaker of the whole service (after retries). */
    private BreakerSpec serviceBreaker = new BreakerSpec();

    /** A limit on calls this instance makes to the service; none unless limit-for-period is set. */
    private OutboundRateLimitSpec outboundRateLimit = new OutboundRateLimitSpec();

    /** Calls in flight to one endpoint beyond which it is skipped; at least 1. */
    private Integer maxConcurrentCallsPerEndpoint;

    /** An adaptive limit on the calls this instance has in flight to the service, moved by their latency (off by default). */
    private AdaptiveConcurrencySpec adaptiveConcurrency = new AdaptiveConcurrencySpec();

    /** Creates a specification that sets nothing. */
    public PolicySpec() {
    }

    /** @return how traffic is split over localities and endpoints */
    public LoadBalancingSpec getLoadBalancing() {
        return loadBalancing;
    }

    /** @param loadBalancing how traffic is split over localities and endpoints */
    public void setLoadBalancing(LoadBalancingSpec loadBalancing) {
        this.loadBalancing = loadBalancing;
    }

    /** @return retries across endpoints and localities */
    public RetrySpec getRetry() {
        return retry;
    }

    /** @param retry retries across endpoints and localities */
    public void setRetry(RetrySpec retry) {
        this.retry = retry;
    }

    /** @return deadline and per-try timeout */
    public TimeoutsSpec getTimeouts() {
        return timeouts;
    }

    /** @param timeouts deadline and per-try timeout */
    public void setTimeouts(TimeoutsSpec timeouts) {
        this.timeouts = timeouts;
    }

    /** @return passive outlier detection per endpoint */
    public OutlierDetectionSpec getOutlierDetection() {
        return outlierDetection;
    }

    /** @param outlierDetection passive outlier detection per endpoint */
    public void setOutlierDetection(OutlierDetectionSpec outlierDetection) {
        this.outlierDetection = outlierDetection;
    }

    /** @return active health checks: probes that bring ejected endpoints and open zones back; continuous checks */
    public HealthCheckSpec getHealthCheck() {
        return healthCheck;
    }

    /** @param healthCheck active health checks: probes that bring ejected endpoints and open zones back; continuous checks */
    public void setHealthCheck(HealthCheckSpec healthCheck) {
        this.healthCheck = healthCheck;
    }

    /** @return slow start: returning endpoints and zones, and those a scale-up adds, ramp up to their full share (off by default) */
    public SlowStartSpec getSlowStart() {
        return slowStart;
    }

    /** @param slowStart slow start: returning endpoints and zones, and those a scale-up adds, ramp up to their full share (off by default) */
    public void setSlowStart(SlowStartSpec slowStart) {
        this.slowStart = slowStart;
    }

    /** @return the circuit breaker per zone of the service */
    public BreakerSpec getZoneBreaker() {
        return zoneBreaker;
    }

    /** @param zoneBreaker the circuit breaker per zone of the service */
    public void setZoneBreaker(BreakerSpec zoneBreaker) {
        this.zoneBreaker = zoneBreaker;
    }

    /** @return the circuit breaker of the whole service (after retries) */
    public BreakerSpec getServiceBreaker() {
        return serviceBreaker;
    }

    /** @param serviceBreaker the circuit breaker of the whole service (after retries) */
    public void setServiceBreaker(BreakerSpec serviceBreaker) {
        this.serviceBreaker = serviceBreaker;
    }

    /** @return a limit on calls this instance makes to the service; none unless limit-for-period is set */
    public OutboundRateLimitSpec getOutboundRateLimit() {
        return outboundRateLimit;
    }

    /** @param outboundRateLimit a limit on calls this instance makes to the service; none unless limit-for-period is set */
    public void setOutboundRateLimit(OutboundRateLimitSpec outboundRateLimit) {
        this.outboundRateLimit = outboundRateLimit;
    }

    /** @return calls in flight to one endpoint beyond which it is skipped; at least 1; {@code null} when not set */
    public Integer getMaxConcurrentCallsPerEndpoint() {
        return maxConcurrentCallsPerEndpoint;
    }

    /** @param maxConcurrentCallsPerEndpoint calls in flight to one endpoint beyond which it is skipped; at least 1 */
    public void setMaxConcurrentCallsPerEndpoint(Integer maxConcurrentCallsPerEndpoint) {
        this.maxConcurrentCallsPerEndpoint = maxConcurrentCallsPerEndpoint;
    }

    /** @return an adaptive limit on the calls this instance has in flight to the service, moved by their latency (off by default) */
    public AdaptiveConcurrencySpec getAdaptiveConcurrency() {
        return adaptiveConcurrency;
    }

    /** @param adaptiveConcurrency an adaptive limit on the calls this instance has in flight to the service, moved by their latency (off by default) */
    public void setAdaptiveConcurrency(AdaptiveConcurrencySpec adaptiveConcurrency) {
        this.adaptiveConcurrency = adaptiveConcurrency;
    }

    /**
     * The sections whose changes reach running clients only after a restart: outlier detectors,
     * breakers and limiters are built once per client. Everything else applies on reload.
     */
    public static final Set<String> RESTART_REQUIRED = Set.of("outlierDetection", "healthCheck", "slowStart",
            "zoneBreaker", "serviceBreaker", "outboundRateLimit", "adaptiveConcurrency");

    /** @return every setting at Meshless's default (no outbound limit, no per-try timeout) */
    public static PolicySpec builtIn() {
        CallPolicy d = CallPolicy.defaults();
        PolicySpec s = new PolicySpec();
        s.loadBalancing = LoadBalancingSpec.builtIn();
        s.retry.setMaxAttempts(d.maxAttempts());
        s.retry.setAttemptsPerTier(d.attemptsPerTier());
        s.retry.setBudgetRatio(Percent.of(d.retryBudgetPercent()));
        s.retry.setBudgetMinRetriesPerSecond(d.retryBudgetMinRetriesPerSecond());
        s.retry.setBudgetTtl(d.retryBudgetTtl());
        s.retry.setBackoffBase(d.backoffBase());
        s.retry.setBackoffMax(d.backoffMax());
        s.retry.setRetryableMethods(List.copyOf(new TreeSet<>(d.retryableMethods())));
        s.retry.setRetryableStatuses(List.copyOf(d.retryableStatuses()));
        s.timeouts.setDeadline(d.deadline());
        s.outlierDetection = OutlierDetectionSpec.builtIn();
        s.healthCheck = HealthCheckSpec.builtIn();
        s.slowStart = SlowStartSpec.builtIn();
        s.zoneBreaker = BreakerSpec.of(Breakers.zoneDefaults());
        s.serviceBreaker = BreakerSpec.of(Breakers.serviceDefaults());
        s.outboundRateLimit = OutboundRateLimitSpec.builtIn();
        s.maxConcurrentCallsPerEndpoint = d.maxConcurrentCallsPerEndpoint();
        s.adaptiveConcurrency = AdaptiveConcurrencySpec.builtIn();
        return s;
    }

    /**
     * The one mapping of a service's policies onto the builders: settings left out keep the
     * builders' defaults. Layer a service's section over the defaults with {@link Specs#merge}
     * first.
     *
     * @param service the service, which names its outbound limiter ({@code <service>-outbound}); {@code null}
     *     for the defaults alone
     * @return the policies
     * @throws InvalidConfigurationException naming the setting by its path in this specification
     */
    public ServicePolicies toPolicies(String service) {
        LoadBalancingPolicy balancing = Specs.under("loadBalancing", loadBalancing::toPolicy);
        CallPolicy.Builder b = CallPolicy.builder();
        Specs.apply(retry.getMaxAttempts(), b::maxAttempts);
        Specs.apply(retry.getAttemptsPerTier(), b::attemptsPerTier);
        Specs.apply(retry.getBudgetRatio(), p -> b.retryBudgetPercent(p.value()));
        Specs.apply(retry.getBudgetMinRetriesPerSecond(), b::retryBudgetMinRetriesPerSecond);
        Specs.apply(retry.getBudgetTtl(), b::retryBudgetTtl);
        Specs.apply(retry.getBackoffBase(), b::backoffBase);
        Specs.apply(retry.getBackoffMax(), b::backoffMax);
        Specs.apply(retry.getRetryableMethods(), b::retryableMethods);
        Specs.apply(retry.getRetryableStatuses(), b::retryableStatuses);
        Specs.apply(timeouts.getDeadline(), b::deadline);
        Specs.apply(timeouts.getPerTry(), b::perTryTimeout);
        Specs.apply(maxConcurrentCallsPerEndpoint, b::maxConcurrentCallsPerEndpoint);
        b.outlierDetection(Specs.under("outlierDetection", outlierDetection::toPolicy));
        b.healthCheck(Specs.under("healthCheck", healthCheck::toPolicy));
        b.slowStart(Specs.under("slowStart", slowStart::toPolicy));
        b.adaptiveConcurrency(Specs.under("adaptiveConcurrency", adaptiveConcurrency::toPolicy));
        b.zoneBreaker(Specs.under("zoneBreaker", () -> zoneBreaker.toConfig(Breakers.zoneDefaults())));
        b.serviceBreaker(Specs.under("serviceBreaker", () -> serviceBreaker.toConfig(Breakers.serviceDefaults())));
        CallPolicy call = b.build();
        // One limiter per service, even when the limit comes from the defaults: a default is a
        // template, as in Resilience4j's configs, not a limit shared by every service.
        RateLimit outbound = outboundRateLimit.getLimitForPeriod() == null ? null
                : Specs.under("outboundRateLimit", () -> outboundRateLimit.toRateLimit(
                        (service == null ? "default" : service) + "-outbound"));
        boolean global = outboundRateLimit.getScope() == OutboundRateLimitSpec.Scope.GLOBAL;
        if (outbound != null && global) {
            Specs.under("outboundRateLimit", () -> {
                SharedRateLimiter.checkGlobal(outbound);
                return null;
            });
        }
        return new ServicePolicies(service, balancing, call, outbound, global);
    }
}
