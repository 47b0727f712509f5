package dev.meshless.consul.testing;

import static org.awaitility.Awaitility.await;

import dev.meshless.consul.ConsulConfig;
import dev.meshless.consul.ConsulRegistry;
import dev.meshless.consul.ViewStatus;
import dev.meshless.consul.micrometer.MicrometerConsulMetrics;
import dev.meshless.time.TimeSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A simulator, its catalog, a registry on it with Micrometer meters and a recorded subscription: the
 * set-up most registry tests share. Register it with {@code @RegisterExtension}; it closes everything
 * after each test.
 */
public final class SimulatedRegistry implements AfterEachCallback {

    private final String[] datacenters;
    private ConsulSimulator sim;
    private Catalog catalog;
    private ConsulRegistry registry;
    private SimpleMeterRegistry meters;
    private Recorder recorder;

    /** @param datacenters the simulator's datacenters; the first is the agent's own */
    public SimulatedRegistry(String... datacenters) {
        this.datacenters = datacenters;
    }

    /** @return the simulator, started on first use */
    public ConsulSimulator sim() {
        if (sim == null) {
            sim = ConsulSimulator.start(datacenters);
        }
        return sim;
    }

    /** @return a catalog writer on the simulator */
    public Catalog catalog() {
        if (catalog == null) {
            catalog = new Catalog(sim().address());
        }
        return catalog;
    }

    /**
     * Builds a registry from {@link Configs#fast} changed by {@code config}, subscribes to the service
     * with {@link #recorder()} and waits for the first delivery.
     *
     * @param service the service to watch
     * @param config changes to the configuration
     * @return the registry
     */
    public ConsulRegistry watch(String service, UnaryOperator<ConsulConfig.Builder> config) {
        return watch(service, config, TimeSource.system());
    }

    /**
     * As {@link #watch(String, UnaryOperator)}, on the given time source.
     *
     * @param service the service to watch
     * @param config changes to the configuration
     * @param time timers and clock of the registry (a {@code FakeTime} in tests that move time)
     * @return the registry
     */
    public ConsulRegistry watch(String service, UnaryOperator<ConsulConfig.Builder> config, TimeSource time) {
        meters = new SimpleMeterRegistry();
        recorder = new Recorder();
        registry = ConsulRegistry.builder(config.apply(Configs.fast(sim().address())).build())
                .metrics(new MicrometerConsulMetrics(meters)).timeSource(time).build();
        registry.subscribe(service, recorder);
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.count() > 0);
        return registry;
    }

    /** @return the registry of the last {@link #watch} */
    public ConsulRegistry registry() {
        return registry;
    }

    /** @return the deliveries of the last {@link #watch} */
    public Recorder recorder() {
        return recorder;
    }

    /** @return the meters of the last {@link #watch} */
    public SimpleMeterRegistry meters() {
        return meters;
    }

    /**
     * @param service a watched service
     * @param datacenter one of its datacenters
     * @return its view's status
     */
    public ViewStatus status(String service, String datacenter) {
        return registry.status().stream().filter(s -> s.service().equals(service) && s.datacenter().equals(datacenter))
                .findFirst().orElseThrow();
    }

    /**
     * @param service a watched service
     * @param reason a reason tag
     * @return how many reads failed for that reason ({@code meshless.consul.errors})
     */
    public double errors(String service, String reason) {
        Counter c = meters.find("meshless.consul.errors").tags("service", service, "reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (registry != null) {
            registry.close();
        }
        if (sim != null) {
            sim.close();
        }
    }
}
