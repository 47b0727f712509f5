package dev.meshless.spring.boot.consul;

import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.actuate.MeshlessActuatorAutoConfiguration;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Contexts for the Consul tests: Meshless with the Consul source pointed at a simulated agent, the
 * caller in {@code r1/r1-a}, datacenter {@code dc1} in region {@code r1} and {@code dc2} in {@code r2},
 * and timings short enough for real-time tests (retries within 50 ms, 10 s blocking queries).
 */
final class ConsulContexts {

    /** This instance: service {@code checkout} in {@code r1/r1-a}. */
    static final List<String> CALLER = List.of("spring.application.name=checkout",
            "meshless.locality.region=r1", "meshless.locality.zone=r1-a");

    private ConsulContexts() {
    }

    /**
     * @param address the simulated agent's URL
     * @return properties for a fast Consul source on it; the process environment is not read
     */
    static String[] consul(String address) {
        return new String[] {
            "meshless.consul.agent.address=" + address,
            "meshless.consul.agent.read-environment=false",
            "meshless.consul.agent.connect-timeout=1s",
            "meshless.consul.agent.request-timeout=2s",
            "meshless.consul.regions.dc1=r1",
            "meshless.consul.regions.dc2=r2",
            "meshless.consul.wait=10s",
            "meshless.consul.rate-limit-interval=50ms",
            "meshless.consul.error-backoff-initial=50ms",
            "meshless.consul.error-backoff-max=200ms",
            "meshless.consul.empty-confirmation-delay=20ms",
            "meshless.consul.snapshot-write-delay=0s",
            "meshless.consul.registration.retry-initial=50ms",
            "meshless.consul.registration.retry-max=200ms",
            "meshless.consul.registration.startup-timeout=2s",
        };
    }

    /**
     * @param address the simulated agent's URL
     * @return Meshless, its actuator parts and the Consul source, for {@link #CALLER}
     */
    static ApplicationContextRunner runner(String address) {
        return bare(address).withPropertyValues(CALLER.toArray(new String[0]));
    }

    /**
     * @param address the simulated agent's URL
     * @return like {@link #runner}, but without a service name or locality (none is read from the
     *     process environment either)
     */
    static ApplicationContextRunner bare(String address) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MeshlessAutoConfiguration.class,
                        MeshlessActuatorAutoConfiguration.class, MeshlessConsulAutoConfiguration.class))
                .withPropertyValues("meshless.locality.region-variables=MESHLESS_TEST_NO_REGION",
                        "meshless.locality.zone-variables=MESHLESS_TEST_NO_ZONE")
                .withPropertyValues(consul(address));
    }
}
