package dev.meshless.consul;

import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshless.consul.micrometer.MicrometerConsulMetrics;
import dev.meshless.consul.testing.Catalog;
import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.consul.testing.Configs;
import dev.meshless.testing.FakeTime;
import dev.meshless.consul.testing.LogCapture;
import dev.meshless.consul.testing.Recorder;
import dev.meshless.registry.Subscription;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Subscriptions, listeners, datacenter discovery and shutdown. */
class RegistryLifecycleTest {

    private static final String SERVICE = "inventory";

    private final ConsulSimulator sim = ConsulSimulator.start("dc1", "dc2");
    private final Catalog catalog = new Catalog(sim.address());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ConsulRegistry registry;

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
        sim.close();
    }

    private ConsulRegistry registry(ConsulConfig.Builder config, FakeTime time) {
        ConsulRegistry.Builder b = ConsulRegistry.builder(config.build()).metrics(new MicrometerConsulMetrics(meters));
        if (time != null) {
            b.timeSource(time);
        }
        registry = b.build();
        return registry;
    }

    private int requests() {
        return sim.healthRequests(SERVICE, "dc1").size() + sim.healthRequests(SERVICE, "dc2").size();
    }

    @Test
    void subscribersOfOneServiceShareOneWatchPerDatacenter() {
        catalog.register(instance("dc1", "n1", SERVICE, "a"));
        registry(Configs.fast(sim.address()), null);
        Recorder first = new Recorder();
        Recorder second = new Recorder();

        registry.subscribe(SERVICE, first);
        await().atMost(Duration.ofSeconds(5)).until(() -> first.count() == 1 && requests() == 4);
        registry.subscribe(SERVICE, second);

        await().atMost(Duration.ofSeconds(5)).until(() -> second.count() == 1);
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> requests() == 4);
        assertThat(second.last()).isEqualTo(first.last());
    }

    @Test
    void aDatacenterWithoutTheServiceDoesNotMakeItLookEmptyWhileAnotherIsStillBeingRead() {
        catalog.register(instance("dc1", "n1", SERVICE, "a"));
        sim.slow("dc1", Duration.ofMillis(300));
        registry(Configs.fast(sim.address()), null);
        Recorder rec = new Recorder();

        registry.subscribe(SERVICE, rec);

        await().atMost(Duration.ofSeconds(5)).until(() -> rec.count() > 0);
        assertThat(rec.deliveries()).first().satisfies(d -> assertThat(d.endpoints().isEmpty()).isFalse());
        assertThat(rec.sawEmpty()).isFalse();
    }

    @Test
    void aListenerThatThrowsIsLoggedAndStillReceivesLaterChanges() {
        catalog.register(instance("dc1", "n1", SERVICE, "a"));
        registry(Configs.fast(sim.address()), null);
        AtomicInteger calls = new AtomicInteger();
        try (LogCapture logs = new LogCapture()) {
            registry.subscribe(SERVICE, set -> {
                calls.incrementAndGet();
                throw new IllegalStateException("listener bug");
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 1);

            catalog.register(instance("dc2", "n2", SERVICE, "b"));

            await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 2);
            assertThat(logs.warnings()).anyMatch(l -> l.startsWith("WARN Endpoint listener for service 'inventory' "
                    + "failed") && l.contains("listener bug"));
        }
    }

    @Test
    void closingTheLastSubscriptionStopsTheWatchesAndRemovesTheirGauges() {
        catalog.register(instance("dc1", "n1", SERVICE, "a"));
        registry(Configs.fast(sim.address()), null);
        Recorder rec = new Recorder();
        Subscription s = registry.subscribe(SERVICE, rec);
        await().atMost(Duration.ofSeconds(5)).until(() -> rec.count() == 1 && requests() == 4);
        assertThat(meters.find("meshless.consul.view.age").gauges()).hasSize(2);

        s.close();
        catalog.register(instance("dc1", "n2", SERVICE, "b"));

        await().atMost(Duration.ofSeconds(5)).until(() -> meters.find("meshless.consul.view.age").gauges().isEmpty());
        await().during(Duration.ofMillis(150)).atMost(Duration.ofSeconds(1)).until(() -> requests() <= 5);
        assertThat(rec.count()).isEqualTo(1);
        assertThat(registry.status()).isEmpty();
    }

    @Test
    void aClosedRegistryMakesNoMoreRequestsAndRefusesSubscriptions() {
        catalog.register(instance("dc1", "n1", SERVICE, "a"));
        registry(Configs.fast(sim.address()), null);
        Recorder rec = new Recorder();
        registry.subscribe(SERVICE, rec);
        await().atMost(Duration.ofSeconds(5)).until(() -> rec.count() == 1 && requests() == 4);

        registry.close();
        catalog.register(instance("dc1", "n2", SERVICE, "b"));

        await().during(Duration.ofMillis(150)).atMost(Duration.ofSeconds(1)).until(() -> requests() <= 5);
        assertThat(rec.count()).isEqualTo(1);
        assertThatThrownBy(() -> registry.subscribe(SERVICE, rec)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the Consul registry is closed; cannot watch service 'inventory'");
    }

    @Test
    void aDatacenterThatJoinsTheFederationIsWatchedAfterTheNextRefresh() {
        FakeTime time = new FakeTime();
        catalog.register(instance("dc1", "n1", SERVICE, "a"));
        registry(Configs.fast(sim.address()).datacenterRefreshInterval(Duration.ofMinutes(1)), time);
        Recorder rec = new Recorder();
        registry.subscribe(SERVICE, rec);
        await().atMost(Duration.ofSeconds(5)).until(() -> rec.count() == 1);
        assertThat(registry.datacenters()).containsOnlyKeys("dc1", "dc2");

        sim.addDatacenter("dc3");
        catalog.register(instance("dc3", "n3", SERVICE, "c"));
        time.advance(Duration.ofMinutes(1));

        await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().contains("dc3/n3/c"));
        assertThat(registry.datacenters()).containsOnlyKeys("dc1", "dc2", "dc3");
        assertThat(rec.ids()).containsExactlyInAnyOrder("dc1/n1/a", "dc3/n3/c");
    }

    @Test
    void deliveriesNeverOverlapAndTheLastOneIsTheFinalStateUnderChurnInTwoDatacenters() throws Exception {
        registry(Configs.fast(sim.address()).rateLimitBurst(100).rateLimitInterval(Duration.ofMillis(1)), null);
        Recorder rec = new Recorder();
        registry.subscribe(SERVICE, rec);
        Thread dc2 = new Thread(() -> {
            for (int i = 0; i < 30; i++) {
                catalog.register(instance("dc2", "m" + i, SERVICE, "b" + i));
            }
        });
        dc2.start();
        for (int i = 0; i < 30; i++) {
            catalog.register(instance("dc1", "n" + i, SERVICE, "a" + i));
        }
        dc2.join();

        await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 60);
        assertThat(rec.overlapped()).isFalse();
        assertThat(rec.deliveries()).extracting(d -> d.endpoints().endpoints().size())
                .as("sizes only grow while instances are only added").isSorted();
    }

    @Test
    void registrationThroughTheRegistrysAgentClientIsMeasuredToo() {
        registry(Configs.fast(sim.address()), null);
        try (ConsulRegistration registration = ConsulRegistration.create(registry.agentClient(),
                ConsulRegistrationConfig.builder("checkout").address("127.0.0.1").port(9000).region("dc1")
                        .zone("dc1-a").build())) {
            assertThat(registration.start()).isTrue();

            await().atMost(Duration.ofSeconds(5)).until(() -> meters.find("meshless.consul.requests")
                    .tags("api", "agent", "datacenter", "local", "outcome", "ok").counter() != null);
        }
        assertThat(sim.dc("dc1").service("agent-dc1", "checkout-127.0.0.1-9000")).isNull();
    }
}
