package dev.meshless.spring.boot;

import dev.meshless.balancer.EndpointStrategy;
import dev.meshless.spring.boot.config.Percent;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Policies for calls to a service: load balancing, retries, timeouts, outlier detection, circuit
 * breakers, concurrency and outbound rate limit. Used for {@code meshless.defaults} and for each
 * {@code meshless.services.<name>}; every value left out ({@code null}) falls back to the defaults
 * section, then to Meshless's own defaults.
 */
public class PolicyProperties {

    /** How traffic is split over localities and endpoints. */
    @NestedConfigurationProperty
    private LoadBalancing loadBalancing = new LoadBalancing();

    /** Retries across endpoints and localities. */
    @NestedConfigurationProperty
    private Retry retry = new Retry();

    /** Deadline and per-try timeout. */
    @NestedConfigurationProperty
    private Timeouts timeouts = new Timeouts();

    /** Passive outlier detection per endpoint. */
    @NestedConfigurationProperty
    private OutlierDetection outlierDetection = new OutlierDetection();

    /** The circuit breaker per zone of the service. */
    @NestedConfigurationProperty
    private Breaker zoneBreaker = new Breaker();

    /** The circuit breaker of the whole service (after retries). */
    @NestedConfigurationProperty
    private Breaker serviceBreaker = new Breaker();

    /** A limit on calls this instance makes to the service. */
    @NestedConfigurationProperty
    private OutboundRateLimit outboundRateLimit = new OutboundRateLimit();

    /** Calls in flight to one endpoint beyond which it is skipped; at least 1. Default 1024. */
    private Integer maxConcurrentCallsPerEndpoint;

    /** @return how traffic is split over localities and endpoints */
    public LoadBalancing getLoadBalancing() {
        return loadBalancing;
    }

    /** @param loadBalancing how traffic is split over localities and endpoints */
    public void setLoadBalancing(LoadBalancing loadBalancing) {
        this.loadBalancing = loadBalancing;
    }

    /** @return retries across endpoints and localities */
    public Retry getRetry() {
        return retry;
    }

    /** @param retry retries across endpoints and localities */
    public void setRetry(Retry retry) {
        this.retry = retry;
    }

    /** @return deadline and per-try timeout */
    public Timeouts getTimeouts() {
        return timeouts;
    }

    /** @param timeouts deadline and per-try timeout */
    public void setTimeouts(Timeouts timeouts) {
        this.timeouts = timeouts;
    }

    /** @return passive outlier detection per endpoint */
    public OutlierDetection getOutlierDetection() {
        return outlierDetection;
    }

    /** @param outlierDetection passive outlier detection per endpoint */
    public void setOutlierDetection(OutlierDetection outlierDetection) {
        this.outlierDetection = outlierDetection;
    }

    /** @return the circuit breaker per zone of the service */
    public Breaker getZoneBreaker() {
        return zoneBreaker;
    }

    /** @param zoneBreaker the circuit breaker per zone of the service */
    public void setZoneBreaker(Breaker zoneBreaker) {
        this.zoneBreaker = zoneBreaker;
    }

    /** @return the circuit breaker of the whole service (after retries) */
    public Breaker getServiceBreaker() {
        return serviceBreaker;
    }

    /** @param serviceBreaker the circuit breaker of the whole service (after retries) */
    public void setServiceBreaker(Breaker serviceBreaker) {
        this.serviceBreaker = serviceBreaker;
    }

    /** @return a limit on calls this instance makes to the service */
    public OutboundRateLimit getOutboundRateLimit() {
        return outboundRateLimit;
    }

    /** @param outboundRateLimit a limit on calls this instance makes to the service */
    public void setOutboundRateLimit(OutboundRateLimit outboundRateLimit) {
        this.outboundRateLimit = outboundRateLimit;
    }

    /** @return the concurrency cap per endpoint, or {@code null} */
    public Integer getMaxConcurrentCallsPerEndpoint() {
        return maxConcurrentCallsPerEndpoint;
    }

    /** @param maxConcurrentCallsPerEndpoint the concurrency cap per endpoint */
    public void setMaxConcurrentCallsPerEndpoint(Integer maxConcurrentCallsPerEndpoint) {
        this.maxConcurrentCallsPerEndpoint = maxConcurrentCallsPerEndpoint;
    }

    /** How traffic is split over localities and endpoints (see docs/load-balancing.md). */
    public static class LoadBalancing {

        /** A tier keeps all its traffic while its healthy fraction times this factor is at least 1; at least 1. Default 1.4. */
        private Double overprovisioningFactor;

        /** Below this healthy fraction a tier in a degraded service spreads its traffic over all its endpoints; 0% disables panic. Default 50%. */
        private Percent panicThreshold;

        /** Regions in failover order after this instance's own region; unlisted regions come last. */
        private List<String> regionOrder;

        /** Whether regions missing from region-order never receive traffic. Default false. */
        private Boolean excludeUnlistedRegions;

        /** Capacity-aware zone routing (needs this instance's service in the registry). Default true. */
        private Boolean zoneAware;

        /** Instances of this service needed before capacity-aware routing applies; at least 1. Default 6. */
        private Integer minClusterSize;

        /** How an endpoint is chosen inside a zone: least-request, weighted-round-robin or random. Default least-request. */
        private EndpointStrategy endpointStrategy;

        /** Whether endpoints whose registry health is warning receive traffic. Default true. */
        private Boolean warningIsHealthy;

        /** @return a tier keeps all its traffic while its healthy fraction times this factor is at least 1; at least 1, or {@code null} for the default */
        public Double getOverprovisioningFactor() {
            return overprovisioningFactor;
        }

        /** @param overprovisioningFactor a tier keeps all its traffic while its healthy fraction times this factor is at least 1; at least 1 */
        public void setOverprovisioningFactor(Double overprovisioningFactor) {
            this.overprovisioningFactor = overprovisioningFactor;
        }

        /** @return below this healthy fraction a tier in a degraded service spreads its traffic over all its endpoints; 0% disables panic, or {@code null} for the default */
        public Percent getPanicThreshold() {
            return panicThreshold;
        }

        /** @param panicThreshold below this healthy fraction a tier in a degraded service spreads its traffic over all its endpoints; 0% disables panic */
        public void setPanicThreshold(Percent panicThreshold) {
            this.panicThreshold = panicThreshold;
        }

        /** @return regions in failover order after this instance's own region; unlisted regions come last, or {@code null} for the default */
        public List<String> getRegionOrder() {
            return regionOrder;
        }

        /** @param regionOrder regions in failover order after this instance's own region; unlisted regions come last */
        public void setRegionOrder(List<String> regionOrder) {
            this.regionOrder = regionOrder;
        }

        /** @return whether regions missing from region-order never receive traffic, or {@code null} for the default */
        public Boolean getExcludeUnlistedRegions() {
            return excludeUnlistedRegions;
        }

        /** @param excludeUnlistedRegions whether regions missing from region-order never receive traffic */
        public void setExcludeUnlistedRegions(Boolean excludeUnlistedRegions) {
            this.excludeUnlistedRegions = excludeUnlistedRegions;
        }

        /** @return capacity-aware zone routing (needs this instance's service in the registry), or {@code null} for the default */
        public Boolean getZoneAware() {
            return zoneAware;
        }

        /** @param zoneAware capacity-aware zone routing (needs this instance's service in the registry) */
        public void setZoneAware(Boolean zoneAware) {
            this.zoneAware = zoneAware;
        }

        /** @return instances of this service needed before capacity-aware routing applies; at least 1, or {@code null} for the default */
        public Integer getMinClusterSize() {
            return minClusterSize;
        }

        /** @param minClusterSize instances of this service needed before capacity-aware routing applies; at least 1 */
        public void setMinClusterSize(Integer minClusterSize) {
            this.minClusterSize = minClusterSize;
        }

        /** @return how an endpoint is chosen inside a zone: least-request, weighted-round-robin or random, or {@code null} for the default */
        public EndpointStrategy getEndpointStrategy() {
            return endpointStrategy;
        }

        /** @param endpointStrategy how an endpoint is chosen inside a zone: least-request, weighted-round-robin or random */
        public void setEndpointStrategy(EndpointStrategy endpointStrategy) {
            this.endpointStrategy = endpointStrategy;
        }

        /** @return whether endpoints whose registry health is warning receive traffic, or {@code null} for the default */
        public Boolean getWarningIsHealthy() {
            return warningIsHealthy;
        }

        /** @param warningIsHealthy whether endpoints whose registry health is warning receive traffic */
        public void setWarningIsHealthy(Boolean warningIsHealthy) {
            this.warningIsHealthy = warningIsHealthy;
        }
    }

    /** Retries across endpoints and localities (see docs/resilience.md). */
    public static class Retry {

        /** Attempts per call, the first included; 1 to 10. Default 3. */
        private Integer maxAttempts;

        /** Failed attempts in one tier before retries move to the next tier; 0 keeps retrying a tier while it has untried endpoints. Default 1. */
        private Integer attemptsPerTier;

        /** Retries may add at most this share of requests over the budget window. Default 20%. */
        private Percent budgetRatio;

        /** Retries per second always allowed, whatever the ratio. Default 10. */
        private Integer budgetMinRetriesPerSecond;

        /** The retry budget's window; at least 1s. Default 10s. */
        private Duration budgetTtl;

        /** Ceiling of the first retry's random backoff; each further retry doubles it. Default 25ms. */
        private Duration backoffBase;

        /** Largest backoff ceiling. Default 250ms. */
        private Duration backoffMax;

        /** HTTP methods retried without the call being declared idempotent. Default GET, HEAD, OPTIONS, PUT, DELETE. */
        private List<String> retryableMethods;

        /** HTTP failure statuses (429 and 5xx) that are retried; a failure with another status still counts against the endpoint but is returned at once. Default 429, 500, 502, 503, 504. */
        private List<Integer> retryableStatuses;

        /** @return attempts per call, the first included; 1 to 10, or {@code null} for the default */
        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        /** @param maxAttempts attempts per call, the first included; 1 to 10 */
        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /** @return failed attempts in one tier before retries move to the next tier; 0 keeps retrying a tier while it has untried endpoints, or {@code null} for the default */
        public Integer getAttemptsPerTier() {
            return attemptsPerTier;
        }

        /** @param attemptsPerTier failed attempts in one tier before retries move to the next tier; 0 keeps retrying a tier while it has untried endpoints */
        public void setAttemptsPerTier(Integer attemptsPerTier) {
            this.attemptsPerTier = attemptsPerTier;
        }

        /** @return retries may add at most this share of requests over the budget window, or {@code null} for the default */
        public Percent getBudgetRatio() {
            return budgetRatio;
        }

        /** @param budgetRatio retries may add at most this share of requests over the budget window */
        public void setBudgetRatio(Percent budgetRatio) {
            this.budgetRatio = budgetRatio;
        }

        /** @return retries per second always allowed, whatever the ratio, or {@code null} for the default */
        public Integer getBudgetMinRetriesPerSecond() {
            return budgetMinRetriesPerSecond;
        }

        /** @param budgetMinRetriesPerSecond retries per second always allowed, whatever the ratio */
        public void setBudgetMinRetriesPerSecond(Integer budgetMinRetriesPerSecond) {
            this.budgetMinRetriesPerSecond = budgetMinRetriesPerSecond;
        }

        /** @return the retry budget's window; at least 1s, or {@code null} for the default */
        public Duration getBudgetTtl() {
            return budgetTtl;
        }

        /** @param budgetTtl the retry budget's window; at least 1s */
        public void setBudgetTtl(Duration budgetTtl) {
            this.budgetTtl = budgetTtl;
        }

        /** @return ceiling of the first retry's random backoff; each further retry doubles it, or {@code null} for the default */
        public Duration getBackoffBase() {
            return backoffBase;
        }

        /** @param backoffBase ceiling of the first retry's random backoff; each further retry doubles it */
        public void setBackoffBase(Duration backoffBase) {
            this.backoffBase = backoffBase;
        }

        /** @return largest backoff ceiling, or {@code null} for the default */
        public Duration getBackoffMax() {
            return backoffMax;
        }

        /** @param backoffMax largest backoff ceiling */
        public void setBackoffMax(Duration backoffMax) {
            this.backoffMax = backoffMax;
        }

        /** @return hTTP methods retried without the call being declared idempotent, or {@code null} for the default */
        public List<String> getRetryableMethods() {
            return retryableMethods;
        }

        /** @param retryableMethods hTTP methods retried without the call being declared idempotent */
        public void setRetryableMethods(List<String> retryableMethods) {
            this.retryableMethods = retryableMethods;
        }

        /** @return HTTP failure statuses that are retried, or {@code null} for the default */
        public List<Integer> getRetryableStatuses() {
            return retryableStatuses;
        }

        /** @param retryableStatuses HTTP failure statuses (429 and 5xx) that are retried */
        public void setRetryableStatuses(List<Integer> retryableStatuses) {
            this.retryableStatuses = retryableStatuses;
        }
    }

    /** Time limits of calls. */
    public static class Timeouts {

        /** How long a whole call may take, retries and backoff included. Default 15s. */
        private Duration deadline;

        /** How long one attempt may take; at most the deadline. Default: the deadline. */
        private Duration perTry;

        /** @return how long a whole call may take, retries and backoff included, or {@code null} for the default */
        public Duration getDeadline() {
            return deadline;
        }

        /** @param deadline how long a whole call may take, retries and backoff included */
        public void setDeadline(Duration deadline) {
            this.deadline = deadline;
        }

        /** @return how long one attempt may take; at most the deadline, or {@code null} for the default */
        public Duration getPerTry() {
            return perTry;
        }

        /** @param perTry how long one attempt may take; at most the deadline */
        public void setPerTry(Duration perTry) {
            this.perTry = perTry;
        }
    }

    /** Passive outlier detection per endpoint, by Envoy's rules (see docs/resilience.md). */
    public static class OutlierDetection {

        /** Whether outlier detection runs. Default true. */
        private Boolean enabled;

        /** Endpoint or gateway failures in a row that eject; 0 disables. Default 5. */
        private Integer consecutiveFailures;

        /** Gateway failures (502, 503, 504) in a row that eject; 0 disables. Default 0. */
        private Integer consecutiveGatewayFailures;

        /** Connection errors, timeouts and resets in a row that eject; 0 disables. Default 5. */
        private Integer consecutiveLocalOriginFailures;

        /** How often success rate and failure percentage are evaluated. Default 10s. */
        private Duration interval;

        /** Length of a first ejection; the n-th lasts n times as long. Default 30s. */
        private Duration baseEjectionTime;

        /** Longest ejection, before jitter. Default 300s. */
        private Duration maxEjectionTime;

        /** Largest random time added to an ejection. Default 3s. */
        private Duration maxEjectionTimeJitter;

        /** Most endpoints of the service ejected at once. Default 100%. */
        private Percent maxEjectionPercent;

        /** Whether the success-rate rule runs. Default true. */
        private Boolean successRateEnabled;

        /** Endpoints below the mean success rate minus this many standard deviations are ejected. Default 1.9. */
        private Double successRateStdevFactor;

        /** Endpoints with enough requests needed for the success-rate rule. Default 5. */
        private Integer successRateMinimumHosts;

        /** Requests an endpoint needs in an interval to take part in the success-rate rule. Default 100. */
        private Integer successRateRequestVolume;

        /** Whether the failure-percentage rule runs. Default true. */
        private Boolean failurePercentageEnabled;

        /** Failure percentage at or above which an endpoint is ejected. Default 85%. */
        private Percent failurePercentageThreshold;

        /** Endpoints with enough requests needed for the failure-percentage rule. Default 5. */
        private Integer failurePercentageMinimumHosts;

        /** Requests an endpoint needs in an interval to take part in the failure-percentage rule. Default 50. */
        private Integer failurePercentageRequestVolume;

        /** @return whether outlier detection runs, or {@code null} for the default */
        public Boolean getEnabled() {
            return enabled;
        }

        /** @param enabled whether outlier detection runs */
        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        /** @return endpoint or gateway failures in a row that eject; 0 disables, or {@code null} for the default */
        public Integer getConsecutiveFailures() {
            return consecutiveFailures;
        }

        /** @param consecutiveFailures endpoint or gateway failures in a row that eject; 0 disables */
        public void setConsecutiveFailures(Integer consecutiveFailures) {
            this.consecutiveFailures = consecutiveFailures;
        }

        /** @return gateway failures (502, 503, 504) in a row that eject; 0 disables, or {@code null} for the default */
        public Integer getConsecutiveGatewayFailures() {
            return consecutiveGatewayFailures;
        }

        /** @param consecutiveGatewayFailures gateway failures (502, 503, 504) in a row that eject; 0 disables */
        public void setConsecutiveGatewayFailures(Integer consecutiveGatewayFailures) {
            this.consecutiveGatewayFailures = consecutiveGatewayFailures;
        }

        /** @return connection errors, timeouts and resets in a row that eject; 0 disables, or {@code null} for the default */
        public Integer getConsecutiveLocalOriginFailures() {
            return consecutiveLocalOriginFailures;
        }

        /** @param consecutiveLocalOriginFailures connection errors, timeouts and resets in a row that eject; 0 disables */
        public void setConsecutiveLocalOriginFailures(Integer consecutiveLocalOriginFailures) {
            this.consecutiveLocalOriginFailures = consecutiveLocalOriginFailures;
        }

        /** @return how often success rate and failure percentage are evaluated, or {@code null} for the default */
        public Duration getInterval() {
            return interval;
        }

        /** @param interval how often success rate and failure percentage are evaluated */
        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        /** @return length of a first ejection; the n-th lasts n times as long, or {@code null} for the default */
        public Duration getBaseEjectionTime() {
            return baseEjectionTime;
        }

        /** @param baseEjectionTime length of a first ejection; the n-th lasts n times as long */
        public void setBaseEjectionTime(Duration baseEjectionTime) {
            this.baseEjectionTime = baseEjectionTime;
        }

        /** @return longest ejection, before jitter, or {@code null} for the default */
        public Duration getMaxEjectionTime() {
            return maxEjectionTime;
        }

        /** @param maxEjectionTime longest ejection, before jitter */
        public void setMaxEjectionTime(Duration maxEjectionTime) {
            this.maxEjectionTime = maxEjectionTime;
        }

        /** @return largest random time added to an ejection, or {@code null} for the default */
        public Duration getMaxEjectionTimeJitter() {
            return maxEjectionTimeJitter;
        }

        /** @param maxEjectionTimeJitter largest random time added to an ejection */
        public void setMaxEjectionTimeJitter(Duration maxEjectionTimeJitter) {
            this.maxEjectionTimeJitter = maxEjectionTimeJitter;
        }

        /** @return most endpoints of the service ejected at once, or {@code null} for the default */
        public Percent getMaxEjectionPercent() {
            return maxEjectionPercent;
        }

        /** @param maxEjectionPercent most endpoints of the service ejected at once */
        public void setMaxEjectionPercent(Percent maxEjectionPercent) {
            this.maxEjectionPercent = maxEjectionPercent;
        }

        /** @return whether the success-rate rule runs, or {@code null} for the default */
        public Boolean getSuccessRateEnabled() {
            return successRateEnabled;
        }

        /** @param successRateEnabled whether the success-rate rule runs */
        public void setSuccessRateEnabled(Boolean successRateEnabled) {
            this.successRateEnabled = successRateEnabled;
        }

        /** @return endpoints below the mean success rate minus this many standard deviations are ejected, or {@code null} for the default */
        public Double getSuccessRateStdevFactor() {
            return successRateStdevFactor;
        }

        /** @param successRateStdevFactor endpoints below the mean success rate minus this many standard deviations are ejected */
        public void setSuccessRateStdevFactor(Double successRateStdevFactor) {
            this.successRateStdevFactor = successRateStdevFactor;
        }

        /** @return endpoints with enough requests needed for the success-rate rule, or {@code null} for the default */
        public Integer getSuccessRateMinimumHosts() {
            return successRateMinimumHosts;
        }

        /** @param successRateMinimumHosts endpoints with enough requests needed for the success-rate rule */
        public void setSuccessRateMinimumHosts(Integer successRateMinimumHosts) {
            this.successRateMinimumHosts = successRateMinimumHosts;
        }

        /** @return requests an endpoint needs in an interval to take part in the success-rate rule, or {@code null} for the default */
        public Integer getSuccessRateRequestVolume() {
            return successRateRequestVolume;
        }

        /** @param successRateRequestVolume requests an endpoint needs in an interval to take part in the success-rate rule */
        public void setSuccessRateRequestVolume(Integer successRateRequestVolume) {
            this.successRateRequestVolume = successRateRequestVolume;
        }

        /** @return whether the failure-percentage rule runs, or {@code null} for the default */
        public Boolean getFailurePercentageEnabled() {
            return failurePercentageEnabled;
        }

        /** @param failurePercentageEnabled whether the failure-percentage rule runs */
        public void setFailurePercentageEnabled(Boolean failurePercentageEnabled) {
            this.failurePercentageEnabled = failurePercentageEnabled;
        }

        /** @return failure percentage at or above which an endpoint is ejected, or {@code null} for the default */
        public Percent getFailurePercentageThreshold() {
            return failurePercentageThreshold;
        }

        /** @param failurePercentageThreshold failure percentage at or above which an endpoint is ejected */
        public void setFailurePercentageThreshold(Percent failurePercentageThreshold) {
            this.failurePercentageThreshold = failurePercentageThreshold;
        }

        /** @return endpoints with enough requests needed for the failure-percentage rule, or {@code null} for the default */
        public Integer getFailurePercentageMinimumHosts() {
            return failurePercentageMinimumHosts;
        }

        /** @param failurePercentageMinimumHosts endpoints with enough requests needed for the failure-percentage rule */
        public void setFailurePercentageMinimumHosts(Integer failurePercentageMinimumHosts) {
            this.failurePercentageMinimumHosts = failurePercentageMinimumHosts;
        }

        /** @return requests an endpoint needs in an interval to take part in the failure-percentage rule, or {@code null} for the default */
        public Integer getFailurePercentageRequestVolume() {
            return failurePercentageRequestVolume;
        }

        /** @param failurePercentageRequestVolume requests an endpoint needs in an interval to take part in the failure-percentage rule */
        public void setFailurePercentageRequestVolume(Integer failurePercentageRequestVolume) {
            this.failurePercentageRequestVolume = failurePercentageRequestVolume;
        }
    }

    /** A Resilience4j circuit breaker's settings (see docs/resilience.md). */
    public static class Breaker {

        /** Whether this breaker is used. Default true. */
        private Boolean enabled;

        /** Failure rate at which the breaker opens. Default 50%. */
        private Percent failureRateThreshold;

        /** Rate of slow calls at which the breaker opens. Zone default 80%, service default 100%. */
        private Percent slowCallRateThreshold;

        /** Calls slower than this count as slow. Zone default 2s, service default 60s. */
        private Duration slowCallDurationThreshold;

        /** Calls in the count-based window. Zone default 20, service default 100. */
        private Integer slidingWindowSize;

        /** Calls needed before the failure rate is judged. Zone default 10, service default 20. */
        private Integer minimumNumberOfCalls;

        /** How long the breaker stays open before half-opening. Default 10s. */
        private Duration waitDurationInOpenState;

        /** Probe calls allowed when half-open. Zone default 5, service default 10. */
        private Integer permittedCallsInHalfOpenState;

        /** @return whether this breaker is used, or {@code null} for the default */
        public Boolean getEnabled() {
            return enabled;
        }

        /** @param enabled whether this breaker is used */
        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        /** @return failure rate at which the breaker opens, or {@code null} for the default */
        public Percent getFailureRateThreshold() {
            return failureRateThreshold;
        }

        /** @param failureRateThreshold failure rate at which the breaker opens */
        public void setFailureRateThreshold(Percent failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        /** @return rate of slow calls at which the breaker opens, or {@code null} for the default */
        public Percent getSlowCallRateThreshold() {
            return slowCallRateThreshold;
        }

        /** @param slowCallRateThreshold rate of slow calls at which the breaker opens */
        public void setSlowCallRateThreshold(Percent slowCallRateThreshold) {
            this.slowCallRateThreshold = slowCallRateThreshold;
        }

        /** @return calls slower than this count as slow, or {@code null} for the default */
        public Duration getSlowCallDurationThreshold() {
            return slowCallDurationThreshold;
        }

        /** @param slowCallDurationThreshold calls slower than this count as slow */
        public void setSlowCallDurationThreshold(Duration slowCallDurationThreshold) {
            this.slowCallDurationThreshold = slowCallDurationThreshold;
        }

        /** @return calls in the count-based window, or {@code null} for the default */
        public Integer getSlidingWindowSize() {
            return slidingWindowSize;
        }

        /** @param slidingWindowSize calls in the count-based window */
        public void setSlidingWindowSize(Integer slidingWindowSize) {
            this.slidingWindowSize = slidingWindowSize;
        }

        /** @return calls needed before the failure rate is judged, or {@code null} for the default */
        public Integer getMinimumNumberOfCalls() {
            return minimumNumberOfCalls;
        }

        /** @param minimumNumberOfCalls calls needed before the failure rate is judged */
        public void setMinimumNumberOfCalls(Integer minimumNumberOfCalls) {
            this.minimumNumberOfCalls = minimumNumberOfCalls;
        }

        /** @return how long the breaker stays open before half-opening, or {@code null} for the default */
        public Duration getWaitDurationInOpenState() {
            return waitDurationInOpenState;
        }

        /** @param waitDurationInOpenState how long the breaker stays open before half-opening */
        public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
            this.waitDurationInOpenState = waitDurationInOpenState;
        }

        /** @return probe calls allowed when half-open, or {@code null} for the default */
        public Integer getPermittedCallsInHalfOpenState() {
            return permittedCallsInHalfOpenState;
        }

        /** @param permittedCallsInHalfOpenState probe calls allowed when half-open */
        public void setPermittedCallsInHalfOpenState(Integer permittedCallsInHalfOpenState) {
            this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
        }
    }

    /** A limit on calls this instance makes to the service (see docs/rate-limiting.md). */
    public static class OutboundRateLimit {

        /** Calls allowed per period; at least 1. No limit when left out. */
        private Integer limitForPeriod;

        /** The period. Default 1s. */
        private Duration period;

        /** Most calls allowed at once; 1 to limit-for-period. Default limit-for-period. */
        private Integer burst;

        /** How long a call may wait for a permit before being refused. Default 0s. */
        private Duration timeout;

        /** @return calls allowed per period; at least 1, or {@code null} for the default */
        public Integer getLimitForPeriod() {
            return limitForPeriod;
        }

        /** @param limitForPeriod calls allowed per period; at least 1 */
        public void setLimitForPeriod(Integer limitForPeriod) {
            this.limitForPeriod = limitForPeriod;
        }

        /** @return the period, or {@code null} for the default */
        public Duration getPeriod() {
            return period;
        }

        /** @param period the period */
        public void setPeriod(Duration period) {
            this.period = period;
        }

        /** @return most calls allowed at once; 1 to limit-for-period, or {@code null} for the default */
        public Integer getBurst() {
            return burst;
        }

        /** @param burst most calls allowed at once; 1 to limit-for-period */
        public void setBurst(Integer burst) {
            this.burst = burst;
        }

        /** @return how long a call may wait for a permit before being refused, or {@code null} for the default */
        public Duration getTimeout() {
            return timeout;
        }

        /** @param timeout how long a call may wait for a permit before being refused */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }
}
