package dev.meshless.spring.boot.cloud.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.cloud.discovery.MeshlessDiscoveryClientAutoConfiguration;
import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.CommonsClientAutoConfiguration;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClient;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClientSpecification;
import org.springframework.cloud.loadbalancer.config.BlockingLoadBalancerClientAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.core.RandomLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The bridge's wiring: every Spring Cloud LoadBalancer child context gets the Meshless balancer,
 * supplier and lifecycle, ahead of Spring Cloud's defaults and behind a client's own configuration;
 * nothing changes when the bridge, Meshless or spring-cloud-loadbalancer is absent.
 */
class MeshlessLoadBalancerAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MeshlessAutoConfiguration.class,
                    MeshlessLoadBalancerAutoConfiguration.class, MeshlessDiscoveryClientAutoConfiguration.class,
                    UtilAutoConfiguration.class, CommonsClientAutoConfiguration.class,
                    SimpleDiscoveryClientAutoConfiguration.class, CompositeDiscoveryClientAutoConfiguration.class,
                    LoadBalancerAutoConfiguration.class, BlockingLoadBalancerClientAutoConfiguration.class))
            .withPropertyValues("meshless.locality.region=r1", "meshless.locality.zone=r1-a",
                    "meshless.registry.endpoints.inventory[0].host=10.0.0.1",
                    "meshless.registry.endpoints.inventory[0].port=8080",
                    "meshless.registry.endpoints.inventory[0].region=r1",
                    "meshless.registry.endpoints.inventory[0].zone=r1-a");

    @Test
    void everyClientGetsTheMeshlessBalancerSupplierAndLifecycle() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(MeshlessLoadBalancerProperties.class)
                    .hasSingleBean(PlanChanges.class);
            assertThat(context.getBeansOfType(LoadBalancerClientSpecification.class).values())
                    .anySatisfy(spec -> assertThat(spec.getConfiguration())
                            .contains(MeshlessLoadBalancerClientConfiguration.class));
            LoadBalancerClientFactory factory = context.getBean(LoadBalancerClientFactory.class);
            assertThat(factory.getInstance("inventory")).isInstanceOf(MeshlessReactorLoadBalancer.class);
            assertThat(((MeshlessReactorLoadBalancer) factory.getInstance("billing")).serviceId()).isEqualTo("billing");
            assertThat(suppliers(factory, "inventory")).hasAtLeastOneElementOfType(
                    MeshlessServiceInstanceListSupplier.class);
            assertThat(factory.getInstances("inventory", LoadBalancerLifecycle.class).values())
                    .hasAtLeastOneElementOfType(MeshlessLoadBalancerLifecycle.class);
            assertThat(context.getBean(MeshlessClients.class).client("inventory").balancer().pick().endpoint().host())
                    .isEqualTo("10.0.0.1");
        });
    }

    @Test
    void aClientsOwnConfigurationWinsOverMeshless() {
        runner.withUserConfiguration(RandomForInventory.class).run(context -> {
            LoadBalancerClientFactory factory = context.getBean(LoadBalancerClientFactory.class);
            assertThat(factory.getInstance("inventory")).isInstanceOf(RandomLoadBalancer.class);
            assertThat(factory.getInstance("billing")).isInstanceOf(MeshlessReactorLoadBalancer.class);
        });
    }

    @Test
    void supplierModeKeepsSpringCloudsBalancerOverTheMeshlessList() {
        runner.withPropertyValues("meshless.loadbalancer.mode=supplier").run(context -> {
            LoadBalancerClientFactory factory = context.getBean(LoadBalancerClientFactory.class);
            assertThat(factory.getInstance("inventory")).isInstanceOf(RoundRobinLoadBalancer.class);
            assertThat(suppliers(factory, "inventory"))
                    .hasAtLeastOneElementOfType(MeshlessServiceInstanceListSupplier.class);
            ServiceInstanceListSupplier supplier = factory.getInstances("inventory", ServiceInstanceListSupplier.class)
                    .values().stream().filter(MeshlessServiceInstanceListSupplier.class::isInstance).findFirst()
                    .orElseThrow();
            assertThat(supplier.get().blockFirst()).extracting(ServiceInstance::getHost).containsExactly("10.0.0.1");
        });
    }

    @Test
    void feedbackCanBeTurnedOff() {
        runner.withPropertyValues("meshless.loadbalancer.feedback=false").run(context -> {
            LoadBalancerClientFactory factory = context.getBean(LoadBalancerClientFactory.class);
            assertThat(factory.getInstance("inventory")).isInstanceOf(MeshlessReactorLoadBalancer.class);
            assertThat(factory.getInstances("inventory", LoadBalancerLifecycle.class).values())
                    .doesNotHaveAnyElementsOfTypes(MeshlessLoadBalancerLifecycle.class);
        });
    }

    @Test
    void turnedOffSpringCloudKeepsItsOwnRoundRobinAndDiscoverySupplier() {
        runner.withPropertyValues("meshless.loadbalancer.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(MeshlessLoadBalancerProperties.class)
                    .doesNotHaveBean(PlanChanges.class);
            LoadBalancerClientFactory factory = context.getBean(LoadBalancerClientFactory.class);
            assertThat(factory.getInstance("inventory")).isInstanceOf(RoundRobinLoadBalancer.class);
            assertThat(suppliers(factory, "inventory")).isNotEmpty()
                    .doesNotHaveAnyElementsOfTypes(MeshlessServiceInstanceListSupplier.class);
            assertThat(factory.getInstances("inventory", LoadBalancerLifecycle.class).values())
                    .doesNotHaveAnyElementsOfTypes(MeshlessLoadBalancerLifecycle.class);
        });
    }

    @Test
    void withMeshlessOffTheBridgeIsOffToo() {
        runner.withPropertyValues("meshless.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(MeshlessLoadBalancerProperties.class);
            assertThat(context.getBean(LoadBalancerClientFactory.class).getInstance("inventory"))
                    .isInstanceOf(RoundRobinLoadBalancer.class);
        });
    }

    @Test
    void withoutSpringCloudLoadBalancerOnTheClassPathTheBridgeIsOff() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MeshlessAutoConfiguration.class,
                        MeshlessLoadBalancerAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(ReactorServiceInstanceLoadBalancer.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(MeshlessClients.class)
                        .doesNotHaveBean(MeshlessLoadBalancerProperties.class).doesNotHaveBean(PlanChanges.class));
    }

    @Test
    void theApplicationsPlanChangesBeanIsUsed() {
        PlanChanges own = new PlanChanges();
        runner.withBean(PlanChanges.class, () -> own).run(context ->
                assertThat(context.getBean(PlanChanges.class)).isSameAs(own));
    }

    private static Collection<ServiceInstanceListSupplier> suppliers(LoadBalancerClientFactory factory, String name) {
        return factory.getInstances(name, ServiceInstanceListSupplier.class).values();
    }

    /** A client's own configuration, as applications write one. */
    @Configuration(proxyBeanMethods = false)
    @LoadBalancerClient(name = "inventory", configuration = RandomConfiguration.class)
    static class RandomForInventory {
    }

    /** Spring Cloud's random balancer for one client. */
    static class RandomConfiguration {
        @Bean
        ReactorLoadBalancer<ServiceInstance> randomLoadBalancer(Environment environment,
                                                                LoadBalancerClientFactory factory) {
            String name = LoadBalancerClientFactory.getName(environment);
            return new RandomLoadBalancer(factory.getLazyProvider(name, ServiceInstanceListSupplier.class), name);
        }
    }
}
