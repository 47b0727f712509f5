package dev.meshless.spring.boot.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.balancer.RoutingPlan;
import dev.meshless.call.ServiceClient;
import dev.meshless.consul.testing.Catalog;
import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.cloud.discovery.MeshlessDiscoveryClientAutoConfiguration;
import dev.meshless.spring.boot.registry.RegistryContributor;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.CommonsClientAutoConfiguration;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.consul.discovery.ConsulDiscoveryClient;

/**
 * With Spring Cloud Consul's discovery client in the application too, Consul's instances are read once
 * — by the {@code consul} source — while other discovery clients still feed the registry.
 */
class SpringCloudCoexistenceTest {

    private ConsulSimulator consul;
    private Catalog catalog;

    @BeforeEach
    void start() {
        consul = ConsulSimulator.start("dc1");
        catalog = new Catalog(consul.address());
        catalog.register(Catalog.instance("dc1", "node-a", "inventory", "inv-a").address("10.0.1.1", 8080)
                .meta("zone", "r1-a"));
    }

    @AfterEach
    void stop() {
        catalog.close();
        consul.close();
    }

    private ApplicationContextRunner runner() {
        return ConsulContexts.runner(consul.address())
                .withConfiguration(AutoConfigurations.of(MeshlessDiscoveryClientAutoConfiguration.class,
                        UtilAutoConfiguration.class, CommonsClientAutoConfiguration.class,
                        SimpleDiscoveryClientAutoConfiguration.class, CompositeDiscoveryClientAutoConfiguration.class))
                .withBean(ConsulDiscoveryClient.class, () -> new ConsulDiscoveryClient(List.of(
                        new DefaultServiceInstance("inv-a", "inventory", "10.0.1.1", 8080, false))))
                .withPropertyValues(
                        "spring.cloud.discovery.client.simple.instances.inventory[0].instance-id=legacy-1",
                        "spring.cloud.discovery.client.simple.instances.inventory[0].uri=http://10.3.0.1:8080",
                        "spring.cloud.discovery.client.simple.instances.inventory[0].metadata.zone=r1-b");
    }

    @Test
    void springCloudConsulsDiscoveryClientIsLeftOutWhileTheConsulSourceReadsConsul() {
        runner().run(context -> {
            assertThat(context.getBeanProvider(RegistryContributor.class).orderedStream()
                    .map(RegistryContributor::name)).containsExactly("static", "consul", "discovery-client");
            ServiceClient inventory = context.getBean(MeshlessClients.class).client("inventory");
            await().atMost(Duration.ofSeconds(5)).until(() -> ids(inventory).size() == 2);
            assertThat(ids(inventory)).containsExactlyInAnyOrder("dc1/node-a/inv-a", "legacy-1");
        });
    }

    @Test
    void withoutTheConsulSourceSpringCloudConsulsDiscoveryClientFeedsTheRegistry() {
        runner().withPropertyValues("meshless.consul.enabled=false").run(context -> {
            ServiceClient inventory = context.getBean(MeshlessClients.class).client("inventory");
            // Spring Cloud's composite answers with the first discovery client that lists the service.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(ids(inventory))
                    .containsExactly("inv-a"));
        });
    }

    private static Set<String> ids(ServiceClient client) {
        return client.balancer().plan().endpoints().stream().map(RoutingPlan.EndpointPlan::endpoint)
                .map(e -> e.id()).collect(Collectors.toSet());
    }
}
