package dev.meshless.spring.boot.cloud.loadbalancer;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Spring Cloud LoadBalancer bridge, under {@code meshless.loadbalancer}: whether clients that go
 * through Spring Cloud LoadBalancer ({@code @LoadBalanced} {@code RestClient}, {@code RestTemplate},
 * {@code WebClient}, OpenFeign) use Meshless, who chooses their instances, and whether their outcomes
 * are reported back.
 */
@ConfigurationProperties(MeshlessLoadBalancerProperties.PREFIX)
public class MeshlessLoadBalancerProperties {

    /** The prefix of every property. */
    public static final String PREFIX = "meshless.loadbalancer";

    /**
     * Whether every Spring Cloud LoadBalancer client uses Meshless (its picker or its instance
     * list, and its feedback). When false, Spring Cloud's own balancer and instance suppliers apply.
     */
    private boolean enabled = true;

    /**
     * Who chooses the instance of each call: {@code picker} (the Meshless picker: zone first, gradual
     * spillover, panic, retries that avoid the instance and tier just tried) or {@code supplier}
     * (Spring Cloud's balancer, round robin unless configured otherwise, chooses among the instances
     * the Meshless plan currently routes to).
     */
    private Mode mode = Mode.PICKER;

    /**
     * Whether the outcome of each call made through Spring Cloud LoadBalancer (HTTP status or
     * exception, duration) is reported to Meshless: outlier detection, zone circuit breakers and the
     * {@code meshless.client.requests} meter.
     */
    private boolean feedback = true;

    /** @return whether the bridge is on */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the bridge is on */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return who chooses the instance of each call */
    public Mode getMode() {
        return mode;
    }

    /** @param mode who chooses the instance of each call */
    public void setMode(Mode mode) {
        this.mode = mode;
    }

    /** @return whether outcomes are reported to Meshless */
    public boolean isFeedback() {
        return feedback;
    }

    /** @param feedback whether outcomes are reported to Meshless */
    public void setFeedback(boolean feedback) {
        this.feedback = feedback;
    }

    /** Who chooses the instance of each call. */
    public enum Mode {
        /** The Meshless picker chooses; Spring Cloud's balancer is replaced. */
        PICKER,
        /** Spring Cloud's balancer chooses among the instances the Meshless plan routes to. */
        SUPPLIER
    }
}
