package dev.meshless.demo.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.demo.DemoRegistry;
import dev.meshless.demo.Scenario;
import dev.meshless.demo.UpstreamFleet;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.HealthCheckServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ZonePreferenceServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The spring-cloud caller is what it says: a Spring Boot application without any Meshless bean, whose
 * calls Spring Cloud LoadBalancer balances (round robin over the health-checked instances of the
 * caller's zone, through the demo registry), with Resilience4j's breaker around them. Real upstream
 * servers and the demo registry on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringCloudCallerTest {

    private final Scenario scenario = new Scenario("r1", "r1-a", List.of("r1", "r2"),
            Scenario.uniform(List.of("r1", "r2"), 2, 2), 10, 8, List.of());
    private UpstreamFleet fleet;
    private DemoRegistry registry;
    private SpringCloudCaller caller;

    @BeforeAll
    void start() {
        fleet = new UpstreamFleet(scenario);
        registry = new DemoRegistry(fleet.instances());
        caller = new SpringCloudCaller(scenario, fleet, registry.url());
        assertThat(caller.awaitHome(Duration.ofSeconds(30))).as("health checks ran, zone preference applies").isTrue();
    }

    @AfterAll
    void stop() {
        caller.close();
        registry.close();
        fleet.close();
    }

    @Test
    void noMeshlessBeanIsInTheApplication() {
        ConfigurableApplicationContext context = caller.context();
        List<String> meshless = new ArrayList<>();
        for (String name : context.getBeanDefinitionNames()) {
            Class<?> type = context.getType(name);
            // The drill's own classes are in dev.meshless.demo, and bean names may carry their package.
            String described = (name + " " + (type == null ? "" : type.getName())).replace("dev.meshless.demo.", "");
            if (described.toLowerCase(java.util.Locale.ROOT).contains("meshless")
                    && (type == null || !type.getName().startsWith("dev.meshless.demo."))) {
                meshless.add(described);
            }
        }
        assertThat(meshless).as("Meshless beans with meshless.enabled=false").isEmpty();
        // Nor in the load balancer's own context for the service (Meshless's bridge would put its picker there).
        LoadBalancerClientFactory factory = context.getBean(LoadBalancerClientFactory.class);
        assertThat(factory.getInstance("upstream")).isInstanceOf(RoundRobinLoadBalancer.class);
        assertThat(factory.getInstances("upstream", Object.class).keySet())
                .noneMatch(n -> n.replace("dev.meshless.demo.", "").toLowerCase(java.util.Locale.ROOT).contains("meshless"));
    }

    @Test
    void itsInstancesAreHealthCheckedThenFilteredByZone() {
        ServiceInstanceListSupplier supplier = caller.context().getBean(LoadBalancerClientFactory.class)
                .getInstance("upstream", ServiceInstanceListSupplier.class);
        List<Class<?>> chain = new ArrayList<>();
        for (ServiceInstanceListSupplier s = supplier; s != null; s = s instanceof DelegatingServiceInstanceListSupplier d
                ? d.getDelegate() : null) {
            chain.add(s.getClass());
        }
        assertThat(chain).as("supplier chain, outermost first").containsSubsequence(
                ZonePreferenceServiceInstanceListSupplier.class, HealthCheckServiceInstanceListSupplier.class);
    }

    @Test
    void itsCallsGoToTheCallersZoneThroughTheLoadBalancer() {
        for (int i = 0; i < 8; i++) {
            assertThat(caller.work()).endsWith(" r1-a r1");
        }
        assertThat(caller.attempts()).containsOnlyKeys("r1-a");
        ServiceInstance chosen = caller.context().getBean(LoadBalancerClient.class).choose("upstream");
        assertThat(chosen.getMetadata()).containsEntry("zone", "r1-a");
        assertThat(caller.context().getBean(CircuitBreakerRegistry.class).getAllCircuitBreakers())
                .extracting(b -> b.getName()).containsExactly("upstream");
    }

    @Test
    void itsPropertiesAreItsListedSettings() {
        Map<String, Object> p = SpringCloudSettings.properties(scenario, registry.url());
        assertThat(p).containsEntry("meshless.enabled", "false")
                .containsEntry("spring.cloud.loadbalancer.zone", "r1-a")
                .containsEntry("spring.http.clients.read-timeout", "300ms")
                .doesNotContainKey("spring.cloud.loadbalancer.health-check.refetch-instances");
        assertThat(caller.context().getEnvironment().getProperty("spring.cloud.loadbalancer.retry.retryable-status-codes"))
                .isEqualTo("500,502,503,504");
    }
}
