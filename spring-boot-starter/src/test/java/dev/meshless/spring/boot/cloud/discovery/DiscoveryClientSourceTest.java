package dev.meshless.spring.boot.cloud.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.balancer.RoutingPlan;
import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.spring.boot.cloud.testing.Backends;
import dev.meshless.spring.boot.cloud.testing.FakeDiscoveryClient;
import dev.meshless.spring.boot.cloud.testing.LoadBalancedTestApp;
import dev.meshless.spring.boot.registry.RegistryContributor;
import dev.meshless.time.TimeSource;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.CommonsClientAutoConfiguration;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

/** A Spring Cloud {@code DiscoveryClient} as a source of the Meshless registry. */
class DiscoveryClientSourceTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MeshlessAutoConfiguration.class,
                    MeshlessDiscoveryClientAutoConfiguration.class, UtilAutoConfiguration.class,
                    CommonsClientAutoConfiguration.class, SimpleDiscoveryClientAutoConfiguration.class,
                    CompositeDiscoveryClientAutoConfiguration.class))
            .withPropertyValues("meshless.locality.region=r1", "meshless.locality.zone=r1-a");

    @Test
    void simpleDiscoveryInstancesFeedTheBalancerWithTheirZonesAndRegions() {
        runner.withPropertyValues(
                "spring.cloud.discovery.client.simple.instances.inventory[0].instance-id=i-1",
                "spring.cloud.discovery.client.simple.instances.inventory[0].uri=http://10.0.0.1:8080",
                "spring.cloud.discovery.client.simple.instances.inventory[0].metadata.zone=r1-b",
                "spring.cloud.discovery.client.simple.instances.inventory[1].uri=http://10.0.0.2:8080",
                "spring.cloud.discovery.client.simple.instances.inventory[1].metadata.zone=r2-a",
                "spring.cloud.discovery.client.simple.instances.inventory[1].metadata.region=r2",
                "spring.cloud.discovery.client.simple.instances.inventory[1].metadata.weight=3")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    RegistryContributor contributor = context.getBean("meshlessDiscoveryClientContributor",
                            RegistryContributor.class);
                    assertThat(contributor.name()).isEqualTo("discovery-client");
                    assertThat(contributor.getOrder()).isEqualTo(100);
                    Map<String, Endpoint> endpoints = endpoints(context.getBean(MeshlessClients.class), "inventory");
                    assertThat(endpoints.get("i-1").locality()).as("no region in the metadata: this instance's")
                            .isEqualTo(Locality.of("r1", "r1-b"));
                    assertThat(endpoints.get("10.0.0.2:8080").locality()).isEqualTo(Locality.of("r2", "r2-a"));
                    assertThat(endpoints.get("10.0.0.2:8080").weight()).isEqualTo(3);
                });
    }

    @Test
    void staticEndpointsComeFirstWhenBothSourcesListAnId() {
        runner.withPropertyValues(
                "meshless.registry.endpoints.inventory[0].id=i-1",
                "meshless.registry.endpoints.inventory[0].host=10.9.9.9",
                "meshless.registry.endpoints.inventory[0].port=9090",
                "meshless.registry.endpoints.inventory[0].region=r1",
                "meshless.registry.endpoints.inventory[0].zone=r1-a",
                "spring.cloud.discovery.client.simple.instances.inventory[0].instance-id=i-1",
                "spring.cloud.discovery.client.simple.instances.inventory[0].uri=http://10.0.0.1:8080",
                "spring.cloud.discovery.client.simple.instances.inventory[1].instance-id=i-2",
                "spring.cloud.discovery.client.simple.instances.inventory[1].uri=http://10.0.0.2:8080")
                .run(context -> {
                    Map<String, Endpoint> endpoints = endpoints(context.getBean(MeshlessClients.class), "inventory");
                    assertThat(endpoints).containsOnlyKeys("i-1", "i-2");
                    assertThat(endpoints.get("i-1").address()).isEqualTo("10.9.9.9:9090");
                    assertThat(endpoints.get("i-2").locality().zone()).isEqualTo("unknown");
                });
    }

    @Test
    void settingsComeFromMeshlessRegistryDiscoveryClientProperties() {
        runner.withPropertyValues(
                "meshless.registry.discovery-client.zone-key=az",
                "meshless.registry.discovery-client.region-key=dc",
                "meshless.registry.discovery-client.default-region=r9",
                "meshless.registry.discovery-client.refresh-interval=30s",
                "spring.cloud.discovery.client.simple.instances.inventory[0].uri=http://10.0.0.1:8080",
                "spring.cloud.discovery.client.simple.instances.inventory[0].metadata.az=z1",
                "spring.cloud.discovery.client.simple.instances.inventory[1].uri=http://10.0.0.2:8080",
                "spring.cloud.discovery.client.simple.instances.inventory[1].metadata.az=z2",
                "spring.cloud.discovery.client.simple.instances.inventory[1].metadata.dc=r2")
                .run(context -> {
                    DiscoveryClientContributor contributor = context.getBean(DiscoveryClientContributor.class);
                    assertThat(contributor.registry().refreshInterval()).hasSeconds(30);
                    Map<String, Endpoint> endpoints = endpoints(context.getBean(MeshlessClients.class), "inventory");
                    assertThat(endpoints.get("10.0.0.1:8080").locality()).isEqualTo(Locality.of("r9", "z1"));
                    assertThat(endpoints.get("10.0.0.2:8080").locality()).isEqualTo(Locality.of("r2", "z2"));
                });
    }

    @Test
    void aZeroRefreshIntervalStopsStartUpNamingTheProperty() {
        runner.withPropertyValues("meshless.registry.discovery-client.refresh-interval=0s",
                        "spring.cloud.discovery.client.simple.instances.inventory[0].uri=http://10.0.0.1:8080")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable root = context.getStartupFailure();
                    while (root != null && !(root instanceof InvalidMeshlessConfigurationException)) {
                        root = root.getCause();
                    }
                    assertThat(root).isInstanceOfSatisfying(InvalidMeshlessConfigurationException.class, e -> {
                        assertThat(e.property()).isEqualTo("meshless.registry.discovery-client.refresh-interval");
                        assertThat(e.getMessage()).contains("must be positive");
                    });
                });
    }

    @Test
    void turnedOffOrWithoutSpringCloudCommonsThereIsNoDiscoverySource() {
        runner.withPropertyValues("meshless.registry.discovery-client.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(DiscoveryClientContributor.class));
        runner.withClassLoader(new FilteredClassLoader(DiscoveryClient.class)).run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(MeshlessClients.class)
                        .doesNotHaveBean(DiscoveryClientContributor.class));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MeshlessAutoConfiguration.class,
                        MeshlessDiscoveryClientAutoConfiguration.class))
                .run(context -> assertThat(context).as("no DiscoveryClient bean").hasNotFailed()
                        .doesNotHaveBean(DiscoveryClientContributor.class));
    }

    @Test
    void theApplicationsOwnContributorReplacesIt() {
        DiscoveryClientContributor own = new DiscoveryClientContributor(new DiscoveryClientRegistry(
                new FakeDiscoveryClient(), new InstanceMapping("zone", "region", null), Duration.ofSeconds(1),
                TimeSource.system()));
        runner.withBean("meshlessDiscoveryClientContributor", DiscoveryClientContributor.class, () -> own)
                .run(context -> assertThat(context.getBean(DiscoveryClientContributor.class)).isSameAs(own));
    }

    @Test
    void loadBalancedCallsToDiscoveredInstancesStayInTheCallersZone() {
        try (Backends inventory = new Backends("inventory").start("a1", "r1", "r1-a").start("a2", "r1", "r1-a")
                .start("b1", "r1", "r1-b").start("c1", "r2", "r2-a")) {
            List<String> properties = new ArrayList<>(LoadBalancedTestApp.CALLER);
            properties.addAll(inventory.asSimpleDiscoveryInstances());
            try (ConfigurableApplicationContext context = LoadBalancedTestApp.run(properties)) {
                RestClient client = context.getBean(RestClient.Builder.class).build();
                for (int i = 0; i < 10; i++) {
                    assertThat(client.get().uri("http://inventory/who").retrieve().body(String.class))
                            .isIn("a1", "a2");
                }
                assertThat(inventory.hits("b1") + inventory.hits("c1")).isZero();
                RoutingPlan plan = context.getBean(MeshlessClients.class).client("inventory").balancer().plan();
                assertThat(plan.shareByZone()).containsEntry(Locality.of("r1", "r1-a"), 1.0)
                        .containsKeys(Locality.of("r1", "r1-b"), Locality.of("r2", "r2-a"));
            }
        }
    }

    private static Map<String, Endpoint> endpoints(MeshlessClients clients, String service) {
        return clients.client(service).balancer().plan().endpoints().stream().map(RoutingPlan.EndpointPlan::endpoint)
                .collect(Collectors.toMap(Endpoint::id, e -> e));
    }
}
