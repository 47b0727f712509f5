package dev.meshless.consul;

import java.util.function.Supplier;

/**
 * Receives what the Consul registry, client and registration do, for metrics. Every method has an
 * empty default; {@link dev.meshless.consul.micrometer.MicrometerConsulMetrics} publishes them as
 * {@code meshless.consul.*} meters. Implementations must be thread-safe and fast, and must not throw.
 */
public interface ConsulMetrics {

    /** Records nothing. */
    ConsulMetrics NONE = new ConsulMetrics() {
    };

    /**
     * A request to an agent finished.
     *
     * @param api {@code health}, {@code catalog} or {@code agent}
     * @param datacenter the datacenter asked, or {@code local} for the agent's own
     * @param outcome {@code ok}, or the failure's {@link ConsulException.Reason#tag()}
     */
    default void requestCompleted(String api, String datacenter, String outcome) {
    }

    /**
     * A read of a service failed or was rejected; the last good view was kept.
     *
     * @param service the service
     * @param datacenter the datacenter
     * @param reason why
     */
    default void watchFailed(String service, String datacenter, ConsulException.Reason reason) {
    }

    /**
     * An entry of a health answer was left out as unusable; called once per entry and change of reason,
     * not once per answer.
     *
     * @param service the service
     * @param datacenter the datacenter
     * @param reason why ({@link SkippedEntry#reason()}: {@code no_port}, {@code bad_address} …)
     */
    default void entrySkipped(String service, String datacenter, String reason) {
    }

    /**
     * The registry started tracking a service in a datacenter.
     *
     * @param service the service
     * @param datacenter the datacenter
     * @param status the view's current status, cheap to call from any thread
     */
    default void viewAdded(String service, String datacenter, Supplier<ViewStatus> status) {
    }

    /**
     * The registry stopped tracking a service in a datacenter (last subscription closed, datacenter
     * gone, registry closed).
     *
     * @param service the service
     * @param datacenter the datacenter
     */
    default void viewRemoved(String service, String datacenter) {
    }
}
