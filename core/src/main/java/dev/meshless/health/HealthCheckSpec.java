package dev.meshless.health;

import dev.meshless.config.Spec;
import dev.meshless.config.Specs;
import java.time.Duration;

/**
 * Active health checks as configuration gives them ({@code meshless.defaults.health-check} and
 * {@code meshless.services.<name>.health-check}); every setting may be left out. Mapped onto
 * {@link HealthCheckPolicy} by {@link #toPolicy()}; see {@code docs/resilience.md} ("Recovery").
 */
public class HealthCheckSpec implements Spec {

    /** Whether endpoints out of the plan (ejected, or in a zone whose breaker is open) are probed out of band and brought back as soon as they pass; off, recovery waits for ejection times and breaker waits. */
    private Boolean enabled;

    /** The built-in probe: HTTP (a request to path on port; any answer below 500 but 429 passes) or TCP (a connect passes). A probe function given in code replaces it. */
    private ProbeType type;

    /** The HTTP probe's path, such as /actuator/health/readiness; by default the service's base path, /. */
    private String path;

    /** The port probed instead of each endpoint's own (a management port, for example). */
    private Integer port;

    /** The HTTP probe's method. */
    private String method;

    /** Time between probes of one endpoint. */
    private Duration interval;

    /** At most this much, at random, is taken off each interval, so that callers spread out while the interval stays the longest gap between probes; less than the interval. */
    private Duration intervalJitter;

    /** How long a probe may take before it counts as failed; at most the interval. */
    private Duration timeout;

    /** Passes in a row that bring an endpoint, or its zone, back (and, under continuous checks, mark it healthy). */
    private Integer healthyThreshold;

    /** Failures in a row that mark an endpoint unhealthy under continuous checks. */
    private Integer unhealthyThreshold;

    /** Whether every endpoint is probed all the time and marked unhealthy after unhealthy-threshold failures, as if the registry said so: for registries that carry no health (the static registry, a DiscoveryClient without health). */
    private Boolean continuous;

    /** Under continuous checks, the interval for endpoints the plan sends no traffic (Envoy's no_traffic_interval). */
    private Duration noTrafficInterval;

    /** Probes per second this instance sends to the service's endpoints at most; probes due beyond it wait. */
    private Integer maxProbesPerSecond;

    /** Creates a specification that sets nothing. */
    public HealthCheckSpec() {
    }

    /** @return whether endpoints out of the plan are probed and brought back when they pass; {@code null} when not set */
    public Boolean getEnabled() {
        return enabled;
    }

    /** @param enabled whether endpoints out of the plan are probed and brought back when they pass */
    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the built-in probe; {@code null} when not set */
    public ProbeType getType() {
        return type;
    }

    /** @param type the built-in probe */
    public void setType(ProbeType type) {
        this.type = type;
    }

    /** @return the HTTP probe's path; {@code null} when not set */
    public String getPath() {
        return path;
    }

    /** @param path the HTTP probe's path */
    public void setPath(String path) {
        this.path = path;
    }

    /** @return the port probed instead of each endpoint's own; {@code null} when not set */
    public Integer getPort() {
        return port;
    }

    /** @param port the port probed instead of each endpoint's own */
    public void setPort(Integer port) {
        this.port = port;
    }

    /** @return the HTTP probe's method; {@code null} when not set */
    public String getMethod() {
        return method;
    }

    /** @param method the HTTP probe's method */
    public void setMethod(String method) {
        this.method = method;
    }

    /** @return time between probes of one endpoint; {@code null} when not set */
    public Duration getInterval() {
        return interval;
    }

    /** @param interval time between probes of one endpoint */
    public void setInterval(Duration interval) {
        this.interval = interval;
    }

    /** @return at most this much, at random, is taken off each interval; {@code null} when not set */
    public Duration getIntervalJitter() {
        return intervalJitter;
    }

    /** @param intervalJitter at most this much, at random, is taken off each interval */
    public void setIntervalJitter(Duration intervalJitter) {
        this.intervalJitter = intervalJitter;
    }

    /** @return how long a probe may take before it counts as failed; {@code null} when not set */
    public Duration getTimeout() {
        return timeout;
    }

    /** @param timeout how long a probe may take before it counts as failed */
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    /** @return passes in a row that bring an endpoint, or its zone, back; {@code null} when not set */
    public Integer getHealthyThreshold() {
        return healthyThreshold;
    }

    /** @param healthyThreshold passes in a row that bring an endpoint, or its zone, back */
    public void setHealthyThreshold(Integer healthyThreshold) {
        this.healthyThreshold = healthyThreshold;
    }

    /** @return failures in a row that mark an endpoint unhealthy under continuous checks; {@code null} when not set */
    public Integer getUnhealthyThreshold() {
        return unhealthyThreshold;
    }

    /** @param unhealthyThreshold failures in a row that mark an endpoint unhealthy under continuous checks */
    public void setUnhealthyThreshold(Integer unhealthyThreshold) {
        this.unhealthyThreshold = unhealthyThreshold;
    }

    /** @return whether every endpoint is probed all the time; {@code null} when not set */
    public Boolean getContinuous() {
        return continuous;
    }

    /** @param continuous whether every endpoint is probed all the time */
    public void setContinuous(Boolean continuous) {
        this.continuous = continuous;
    }

    /** @return under continuous checks, the interval for endpoints the plan sends no traffic; {@code null} when not set */
    public Duration getNoTrafficInterval() {
        return noTrafficInterval;
    }

    /** @param noTrafficInterval under continuous checks, the interval for endpoints the plan sends no traffic */
    public void setNoTrafficInterval(Duration noTrafficInterval) {
        this.noTrafficInterval = noTrafficInterval;
    }

    /** @return probes per second this instance sends to the service's endpoints at most; {@code null} when not set */
    public Integer getMaxProbesPerSecond() {
        return maxProbesPerSecond;
    }

    /** @param maxProbesPerSecond probes per second this instance sends to the service's endpoints at most */
    public void setMaxProbesPerSecond(Integer maxProbesPerSecond) {
        this.maxProbesPerSecond = maxProbesPerSecond;
    }

    /** @return every setting at Meshless's default (no port: each endpoint's own) */
    public static HealthCheckSpec builtIn() {
        HealthCheckPolicy d = HealthCheckPolicy.defaults();
        HealthCheckSpec s = new HealthCheckSpec();
        s.enabled = d.enabled();
        s.type = d.type();
        s.path = d.path();
        s.method = d.method();
        s.interval = d.interval();
        s.intervalJitter = d.intervalJitter();
        s.timeout = d.timeout();
        s.healthyThreshold = d.healthyThreshold();
        s.unhealthyThreshold = d.unhealthyThreshold();
        s.continuous = d.continuous();
        s.noTrafficInterval = d.noTrafficInterval();
        s.maxProbesPerSecond = d.maxProbesPerSecond();
        return s;
    }

    /**
     * The one mapping of this specification onto {@link HealthCheckPolicy.Builder}: settings left
     * out keep the builder's defaults.
     *
     * @return the policy
     * @throws dev.meshless.config.InvalidConfigurationException naming the setting, its value and the rule
     */
    public HealthCheckPolicy toPolicy() {
        HealthCheckPolicy.Builder b = HealthCheckPolicy.builder();
        Specs.apply(enabled, b::enabled);
        Specs.apply(type, b::type);
        Specs.apply(path, b::path);
        Specs.apply(port, b::port);
        Specs.apply(method, b::method);
        Specs.apply(interval, b::interval);
        Specs.apply(intervalJitter, b::intervalJitter);
        Specs.apply(timeout, b::timeout);
        Specs.apply(healthyThreshold, b::healthyThreshold);
        Specs.apply(unhealthyThreshold, b::unhealthyThreshold);
        Specs.apply(continuous, b::continuous);
        Specs.apply(noTrafficInterval, b::noTrafficInterval);
        Specs.apply(maxProbesPerSecond, b::maxProbesPerSecond);
        return b.build();
    }
}
