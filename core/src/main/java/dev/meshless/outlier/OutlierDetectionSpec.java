package dev.meshless.outlier;

import dev.meshless.config.Percent;
import dev.meshless.config.Spec;
import dev.meshless.config.Specs;
import java.time.Duration;

/**
 * Passive outlier detection, as configuration gives it: every setting nullable (not set), mapped
 * onto OutlierDetectionPolicy by toPolicy(). Envoy's rules and defaults; see docs/resilience.md.
 */
public class OutlierDetectionSpec implements Spec {

    /** Whether outlier detection runs. */
    private Boolean enabled;

    /** Endpoint or gateway failures in a row that eject; 0 disables. */
    private Integer consecutiveFailures;

    /** Gateway failures (502, 503, 504) in a row that eject; 0 disables. */
    private Integer consecutiveGatewayFailures;

    /** Connection errors, timeouts and resets in a row that eject; 0 disables. */
    private Integer consecutiveLocalOriginFailures;

    /**
     * Refused connections (or unreachable addresses) in a row that eject; 0 disables. Refusals are
     * unambiguous, so fewer are needed than for other local-origin failures.
     */
    private Integer consecutiveConnectionRefusals;

    /** How often success rate and failure percentage are evaluated. */
    private Duration interval;

    /** Length of a first ejection; the n-th lasts n times as long. */
    private Duration baseEjectionTime;

    /** Longest ejection, before jitter; at least the base ejection time. */
    private Duration maxEjectionTime;

    /** Largest random time added to an ejection. */
    private Duration maxEjectionTimeJitter;

    /** Most endpoints of the service ejected at once. */
    private Percent maxEjectionPercent;

    /** Whether the success-rate rule runs. */
    private Boolean successRateEnabled;

    /** Endpoints below the mean success rate minus this many standard deviations are ejected. */
    private Double successRateStdevFactor;

    /** Endpoints with enough requests needed for the success-rate rule. */
    private Integer successRateMinimumHosts;

    /** Requests an endpoint needs in an interval to take part in the success-rate rule. */
    private Integer successRateRequestVolume;

    /** Whether the failure-percentage rule runs. */
    private Boolean failurePercentageEnabled;

    /** Failure percentage at or above which an endpoint is ejected. */
    private Percent failurePercentageThreshold;

    /** Endpoints with enough requests needed for the failure-percentage rule. */
    private Integer failurePercentageMinimumHosts;

    /** Requests an endpoint needs in an interval to take part in the failure-percentage rule. */
    private Integer failurePercentageRequestVolume;

    /**
     * Whether an ejected endpoint returns at once when it passes active health checks, or when the
     * registry reports it passing again after critical (Envoy's
     * successful_active_health_check_uneject_host).
     */
    private Boolean successfulHealthCheckUnejects;

    /** Creates a specification that sets nothing. */
    public OutlierDetectionSpec() {
    }

    /** @return whether outlier detection runs; {@code null} when not set */
    public Boolean getEnabled() {
        return enabled;
    }

    /** @param enabled whether outlier detection runs */
    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    /** @return endpoint or gateway failures in a row that eject; 0 disables; {@code null} when not set */
    public Integer getConsecutiveFailures() {
        return consecutiveFailures;
    }

    /** @param consecutiveFailures endpoint or gateway failures in a row that eject; 0 disables */
    public void setConsecutiveFailures(Integer consecutiveFailures) {
        this.consecutiveFailures = consecutiveFailures;
    }

    /** @return gateway failures (502, 503, 504) in a row that eject; 0 disables; {@code null} when not set */
    public Integer getConsecutiveGatewayFailures() {
        return consecutiveGatewayFailures;
    }

    /** @param consecutiveGatewayFailures gateway failures (502, 503, 504) in a row that eject; 0 disables */
    public void setConsecutiveGatewayFailures(Integer consecutiveGatewayFailures) {
        this.consecutiveGatewayFailures = consecutiveGatewayFailures;
    }

    /** @return connection errors, timeouts and resets in a row that eject; 0 disables; {@code null} when not set */
    public Integer getConsecutiveLocalOriginFailures() {
        return consecutiveLocalOriginFailures;
    }

    /** @param consecutiveLocalOriginFailures connection errors, timeouts and resets in a row that eject; 0 disables */
    public void setConsecutiveLocalOriginFailures(Integer consecutiveLocalOriginFailures) {
        this.consecutiveLocalOriginFailures = consecutiveLocalOriginFailures;
    }

    /** @return refused connections (or unreachable addresses) in a row that eject; 0 disables. Refusals are unambiguous, so fewer are needed than for other local-origin failures; {@code null} when not set */
    public Integer getConsecutiveConnectionRefusals() {
        return consecutiveConnectionRefusals;
    }

    /** @param consecutiveConnectionRefusals refused connections (or unreachable addresses) in a row that eject; 0 disables. Refusals are unambiguous, so fewer are needed than for other local-origin failures */
    public void setConsecutiveConnectionRefusals(Integer consecutiveConnectionRefusals) {
        this.consecutiveConnectionRefusals = consecutiveConnectionRefusals;
    }

    /** @return how often success rate and failure percentage are evaluated; {@code null} when not set */
    public Duration getInterval() {
        return interval;
    }

    /** @param interval how often success rate and failure percentage are evaluated */
    public void setInterval(Duration interval) {
        this.interval = interval;
    }

    /** @return length of a first ejection; the n-th lasts n times as long; {@code null} when not set */
    public Duration getBaseEjectionTime() {
        return baseEjectionTime;
    }

    /** @param baseEjectionTime length of a first ejection; the n-th lasts n times as long */
    public void setBaseEjectionTime(Duration baseEjectionTime) {
        this.baseEjectionTime = baseEjectionTime;
    }

    /** @return longest ejection, before jitter; at least the base ejection time; {@code null} when not set */
    public Duration getMaxEjectionTime() {
        return maxEjectionTime;
    }

    /** @param maxEjectionTime longest ejection, before jitter; at least the base ejection time */
    public void setMaxEjectionTime(Duration maxEjectionTime) {
        this.maxEjectionTime = maxEjectionTime;
    }

    /** @return largest random time added to an ejection; {@code null} when not set */
    public Duration getMaxEjectionTimeJitter() {
        return maxEjectionTimeJitter;
    }

    /** @param maxEjectionTimeJitter largest random time added to an ejection */
    public void setMaxEjectionTimeJitter(Duration maxEjectionTimeJitter) {
        this.maxEjectionTimeJitter = maxEjectionTimeJitter;
    }

    /** @return most endpoints of the service ejected at once; {@code null} when not set */
    public Percent getMaxEjectionPercent() {
        return maxEjectionPercent;
    }

    /** @param maxEjectionPercent most endpoints of the service ejected at once */
    public void setMaxEjectionPercent(Percent maxEjectionPercent) {
        this.maxEjectionPercent = maxEjectionPercent;
    }

    /** @return whether the success-rate rule runs; {@code null} when not set */
    public Boolean getSuccessRateEnabled() {
        return successRateEnabled;
    }

    /** @param successRateEnabled whether the success-rate rule runs */
    public void setSuccessRateEnabled(Boolean successRateEnabled) {
        this.successRateEnabled = successRateEnabled;
    }

    /** @return endpoints below the mean success rate minus this many standard deviations are ejected; {@code null} when not set */
    public Double getSuccessRateStdevFactor() {
        return successRateStdevFactor;
    }

    /** @param successRateStdevFactor endpoints below the mean success rate minus this many standard deviations are ejected */
    public void setSuccessRateStdevFactor(Double successRateStdevFactor) {
        this.successRateStdevFactor = successRateStdevFactor;
    }

    /** @return endpoints with enough requests needed for the success-rate rule; {@code null} when not set */
    public Integer getSuccessRateMinimumHosts() {
        return successRateMinimumHosts;
    }

    /** @param successRateMinimumHosts endpoints with enough requests needed for the success-rate rule */
    public void setSuccessRateMinimumHosts(Integer successRateMinimumHosts) {
        this.successRateMinimumHosts = successRateMinimumHosts;
    }

    /** @return requests an endpoint needs in an interval to take part in the success-rate rule; {@code null} when not set */
    public Integer getSuccessRateRequestVolume() {
        return successRateRequestVolume;
    }

    /** @param successRateRequestVolume requests an endpoint needs in an interval to take part in the success-rate rule */
    public void setSuccessRateRequestVolume(Integer successRateRequestVolume) {
        this.successRateRequestVolume = successRateRequestVolume;
    }

    /** @return whether the failure-percentage rule runs; {@code null} when not set */
    public Boolean getFailurePercentageEnabled() {
        return failurePercentageEnabled;
    }

    /** @param failurePercentageEnabled whether the failure-percentage rule runs */
    public void setFailurePercentageEnabled(Boolean failurePercentageEnabled) {
        this.failurePercentageEnabled = failurePercentageEnabled;
    }

    /** @return failure percentage at or above which an endpoint is ejected; {@code null} when not set */
    public Percent getFailurePercentageThreshold() {
        return failurePercentageThreshold;
    }

    /** @param failurePercentageThreshold failure percentage at or above which an endpoint is ejected */
    public void setFailurePercentageThreshold(Percent failurePercentageThreshold) {
        this.failurePercentageThreshold = failurePercentageThreshold;
    }

    /** @return endpoints with enough requests needed for the failure-percentage rule; {@code null} when not set */
    public Integer getFailurePercentageMinimumHosts() {
        return failurePercentageMinimumHosts;
    }

    /** @param failurePercentageMinimumHosts endpoints with enough requests needed for the failure-percentage rule */
    public void setFailurePercentageMinimumHosts(Integer failurePercentageMinimumHosts) {
        this.failurePercentageMinimumHosts = failurePercentageMinimumHosts;
    }

    /** @return requests an endpoint needs in an interval to take part in the failure-percentage rule; {@code null} when not set */
    public Integer getFailurePercentageRequestVolume() {
        return failurePercentageRequestVolume;
    }

    /** @param failurePercentageRequestVolume requests an endpoint needs in an interval to take part in the failure-percentage rule */
    public void setFailurePercentageRequestVolume(Integer failurePercentageRequestVolume) {
        this.failurePercentageRequestVolume = failurePercentageRequestVolume;
    }

    /** @return whether passing health checks return an ejected endpoint at once; {@code null} when not set */
    public Boolean getSuccessfulHealthCheckUnejects() {
        return successfulHealthCheckUnejects;
    }

    /** @param successfulHealthCheckUnejects whether passing health checks return an ejected endpoint at once */
    public void setSuccessfulHealthCheckUnejects(Boolean successfulHealthCheckUnejects) {
        this.successfulHealthCheckUnejects = successfulHealthCheckUnejects;
    }

    /** @return every setting at Meshless's default */
    public static OutlierDetectionSpec builtIn() {
        OutlierDetectionPolicy d = OutlierDetectionPolicy.defaults();
        OutlierDetectionSpec s = new OutlierDetectionSpec();
        s.enabled = d.enabled();
        s.consecutiveFailures = d.consecutiveFailures();
        s.consecutiveGatewayFailures = d.consecutiveGatewayFailures();
        s.consecutiveLocalOriginFailures = d.consecutiveLocalOriginFailures();
        s.consecutiveConnectionRefusals = d.consecutiveConnectionRefusals();
        s.interval = d.interval();
        s.baseEjectionTime = d.baseEjectionTime();
        s.maxEjectionTime = d.maxEjectionTime();
        s.maxEjectionTimeJitter = d.maxEjectionTimeJitter();
        s.maxEjectionPercent = Percent.of(d.maxEjectionPercent());
        s.successRateEnabled = d.successRateEnabled();
        s.successRateStdevFactor = d.successRateStdevFactor();
        s.successRateMinimumHosts = d.successRateMinimumHosts();
        s.successRateRequestVolume = d.successRateRequestVolume();
        s.failurePercentageEnabled = d.failurePercentageEnabled();
        s.failurePercentageThreshold = Percent.of(d.failurePercentageThreshold());
        s.failurePercentageMinimumHosts = d.failurePercentageMinimumHosts();
        s.failurePercentageRequestVolume = d.failurePercentageRequestVolume();
        s.successfulHealthCheckUnejects = d.successfulHealthCheckUnejects();
        return s;
    }

    /**
     * The one mapping of this specification onto {@link OutlierDetectionPolicy.Builder}: settings
     * left out keep the builder's defaults.
     *
     * @return the policy
     * @throws dev.meshless.config.InvalidConfigurationException naming the setting, its value and the rule
     */
    public OutlierDetectionPolicy toPolicy() {
        OutlierDetectionPolicy.Builder b = OutlierDetectionPolicy.builder();
        Specs.apply(enabled, b::enabled);
        Specs.apply(consecutiveFailures, b::consecutiveFailures);
        Specs.apply(consecutiveGatewayFailures, b::consecutiveGatewayFailures);
        Specs.apply(consecutiveLocalOriginFailures, b::consecutiveLocalOriginFailures);
        Specs.apply(consecutiveConnectionRefusals, b::consecutiveConnectionRefusals);
        Specs.apply(interval, b::interval);
        Specs.apply(baseEjectionTime, b::baseEjectionTime);
        Specs.apply(maxEjectionTime, b::maxEjectionTime);
        Specs.apply(maxEjectionTimeJitter, b::maxEjectionTimeJitter);
        Specs.apply(maxEjectionPercent, p -> b.maxEjectionPercent(p.value()));
        Specs.apply(successRateEnabled, b::successRateEnabled);
        Specs.apply(successRateStdevFactor, b::successRateStdevFactor);
        Specs.apply(successRateMinimumHosts, b::successRateMinimumHosts);
        Specs.apply(successRateRequestVolume, b::successRateRequestVolume);
        Specs.apply(failurePercentageEnabled, b::failurePercentageEnabled);
        Specs.apply(failurePercentageThreshold, p -> b.failurePercentageThreshold(p.value()));
        Specs.apply(failurePercentageMinimumHosts, b::failurePercentageMinimumHosts);
        Specs.apply(failurePercentageRequestVolume, b::failurePercentageRequestVolume);
        Specs.apply(successfulHealthCheckUnejects, b::successfulHealthCheckUnejects);
        return b.build();
    }
}
