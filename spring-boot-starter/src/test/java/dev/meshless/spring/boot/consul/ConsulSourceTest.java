package dev.meshless.spring.boot.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.balancer.RoutingPlan;
import dev.meshless.call.ServiceClient;
import dev.meshless.consul.ConsulRegistry;
import dev.meshless.consul.ConsulSpec;
import dev.meshless.consul.testing.Catalog;
import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.registry.RegistryContributor;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.FilteredClassLoader;

/** Consul, through a simulated agent, as a source of the application's merged registry. */
class ConsulSourceTest {

    private ConsulSimulator consul;
    private Catalog catalog;

    @BeforeEach
    void start() {
        consul = ConsulSimulator.start("dc1", "dc2");
        catalog = new Catalog(consul.address());
        catalog.register(Catalog.instance("dc1", "node-a", "inventory", "inv-a").address("10.0.1.1", 8080)
                .meta("zone", "r1-a"));
        catalog.register(Catalog.instance("dc1", "node-b", "inventory", "inv-b").address("10.0.2.1", 8080)
                .meta("zone", "r1-b"));
        catalog.register(Catalog.instance("dc2", "node-c", "inventory", "inv-c").address("10.8.1.1", 8080)
                .meta("zone", "r2-a"));
    }

    @AfterEach
    void stop() {
        catalog.close();
        consul.close();
    }

    @Test
    void instancesOfEveryDatacenterReachServiceClientsLabelledWithRegionAndZone() {
        ConsulContexts.runner(consul.address()).withPropertyValues("meshless.services.inventory.retry.max-attempts=1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ServiceClient inventory = context.getBean(MeshlessClients.class).client("inventory");
                    await().atMost(Duration.ofSeconds(5)).until(() -> endpoints(inventory).size() == 3);

                    Map<String, Endpoint> endpoints = endpoints(inventory);
                    assertThat(endpoints.get("dc1/node-a/inv-a").locality()).isEqualTo(Locality.of("r1", "r1-a"));
                    assertThat(endpoints.get("dc1/node-b/inv-b").locality()).isEqualTo(Locality.of("r1", "r1-b"));
                    assertThat(endpoints.get("dc2/node-c/inv-c").locality()).as("dc2 is mapped to region r2")
                            .isEqualTo(Locality.of("r2", "r2-a"));
                    for (int i = 0; i < 5; i++) {
                        assertThat(host(inventory)).as("the caller's zone")
                                .isEqualTo("10.0.1.1");
                    }

                    catalog.register(Catalog.instance("dc1", "node-a", "inventory", "inv-a").address("10.0.1.1", 8080)
                            .meta("zone", "r1-a").status("critical"));

                    await().atMost(Duration.ofSeconds(5)).until(() -> inventory.balancer().plan().shareByZone()
                            .getOrDefault(Locality.of("r1", "r1-b"), 0.0) == 1.0);
                    assertThat(host(inventory)).as("failed over on Consul health")
                            .isEqualTo("10.0.2.1");
                });
    }

    @Test
    void theSourceIsNamedConsulAndMergedAfterTheStaticEndpoints() {
        ConsulContexts.runner(consul.address())
                .withPropertyValues("meshless.registry.endpoints.inventory[0].id=dc1/node-a/inv-a",
                        "meshless.registry.endpoints.inventory[0].host=10.9.9.9",
                        "meshless.registry.endpoints.inventory[0].port=9090",
                        "meshless.registry.endpoints.inventory[0].region=r1",
                        "meshless.registry.endpoints.inventory[0].zone=r1-a")
                .run(context -> {
                    ConsulContributor contributor = context.getBean(ConsulContributor.class);
                    assertThat(contributor.name()).isEqualTo("consul");
                    assertThat(contributor.getOrder()).isEqualTo(ConsulContributor.ORDER)
                            .isBetween(1, 99);
                    assertThat(context.getBeanProvider(RegistryContributor.class).orderedStream()
                            .map(RegistryContributor::name)).containsExactly("static", "consul");
                    assertThat(context).getBeans(EndpointRegistry.class).as("the merged registry only").hasSize(1);

                    ServiceClient inventory = context.getBean(MeshlessClients.class).client("inventory");
                    await().atMost(Duration.ofSeconds(5)).until(() -> endpoints(inventory).size() == 3);
                    assertThat(endpoints(inventory).get("dc1/node-a/inv-a").address())
                            .as("an id both list keeps its static definition").isEqualTo("10.9.9.9:9090");
                });
    }

    @Test
    void consulMetersAreBoundWhenThereIsAMeterRegistry() {
        ConsulContexts.runner(consul.address()).withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    ServiceClient inventory = context.getBean(MeshlessClients.class).client("inventory");
                    await().atMost(Duration.ofSeconds(5)).until(() -> endpoints(inventory).size() == 3);

                    assertThat(meters.find("meshless.consul.view.endpoints").tags("service", "inventory",
                            "datacenter", "dc2").gauge().value()).isEqualTo(1.0);
                    assertThat(meters.find("meshless.consul.view.age").tags("service", "inventory",
                            "datacenter", "dc1").gauge().value()).isZero();
                    assertThat(meters.find("meshless.consul.requests").tags("api", "health", "outcome", "ok")
                            .counters()).isNotEmpty();
                });
    }

    @Test
    void closingTheApplicationWritesTheSnapshotAndTheNextOneRoutesOnItWhileConsulIsDown(@TempDir Path dir) {
        Path snapshot = dir.resolve("consul-view.snapshot");
        var runner = ConsulContexts.runner(consul.address())
                .withPropertyValues("meshless.consul.snapshot-file=" + snapshot,
                        "meshless.consul.snapshot-write-delay=1h"); // only closing writes it
        runner.run(context -> {
            ServiceClient inventory = context.getBean(MeshlessClients.class).client("inventory");
            await().atMost(Duration.ofSeconds(5)).until(() -> endpoints(inventory).size() == 3);
        });
        assertThat(snapshot).as("written on close").exists();

        consul.down();
        runner.run(context -> {
            ServiceClient inventory = context.getBean(MeshlessClients.class).client("inventory");
            await().atMost(Duration.ofSeconds(5)).until(() -> endpoints(inventory).size() == 3);
            assertThat(host(inventory)).isEqualTo("10.0.1.1");
        });
    }

    @Test
    void backsOffWhenTurnedOffWithoutTheModuleOrWithoutMeshless() {
        ConsulContexts.runner(consul.address()).withPropertyValues("meshless.consul.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(MeshlessClients.class)
                        .doesNotHaveBean(ConsulContributor.class).doesNotHaveBean(ConsulSpec.class));
        ConsulContexts.runner(consul.address()).withClassLoader(new FilteredClassLoader(ConsulRegistry.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(MeshlessClients.class)
                        .doesNotHaveBean(ConsulContributor.class).doesNotHaveBean(ConsulSelfRegistration.class));
        ConsulContexts.runner(consul.address()).withPropertyValues("meshless.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ConsulContributor.class));
        assertThat(consul.requests()).as("nothing asked Consul (the catalog was written by the test)")
                .allMatch(r -> r.path().equals("/v1/catalog/register"));
    }

    @Test
    void theApplicationsOwnContributorReplacesIt() {
        ConsulContributor own = new ConsulContributor(ConsulRegistry.create(
                dev.meshless.consul.testing.Configs.fast(consul.address()).build()));
        ConsulContexts.runner(consul.address())
                .withBean("meshlessConsulContributor", ConsulContributor.class, () -> own)
                .run(context -> assertThat(context.getBean(ConsulContributor.class)).isSameAs(own));
        own.close();
    }

    private static String host(ServiceClient client) {
        String host = client.call(attempt -> attempt.endpoint().host());
        return host;
    }

    private static Map<String, Endpoint> endpoints(ServiceClient client) {
        RoutingPlan plan = client.balancer().plan();
        return plan.endpoints().stream().map(RoutingPlan.EndpointPlan::endpoint)
                .collect(Collectors.toMap(Endpoint::id, e -> e));
    }
}
