package dev.meshless.spring.boot.cloud.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.call.ServiceClient;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.cloud.testing.Backends;
import dev.meshless.spring.boot.cloud.testing.LoadBalancedTestApp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

/**
 * {@code meshless.loadbalancer.mode=supplier}: Spring Cloud's round robin chooses among the instances
 * of the Meshless plan, and the lifecycle's feedback still ejects a dead zone, which then leaves the
 * list.
 */
class SupplierModeFailoverTest {

    private Backends inventory;
    private ConfigurableApplicationContext context;

    @BeforeEach
    void start() {
        inventory = new Backends("inventory").start("a1", "r1", "r1-a").start("a2", "r1", "r1-a")
                .start("b1", "r1", "r1-b").start("b2", "r1", "r1-b");
        List<String> properties = new ArrayList<>(LoadBalancedTestApp.CALLER);
        properties.addAll(inventory.asStaticEndpoints());
        properties.add("meshless.loadbalancer.mode=supplier");
        // A round robin may land on the zone's other dead endpoint first: two retries reach the next zone.
        properties.add("spring.cloud.loadbalancer.retry.max-retries-on-next-service-instance=2");
        context = LoadBalancedTestApp.run(properties);
    }

    @AfterEach
    void stop() {
        context.close();
        inventory.close();
    }

    @Test
    void springCloudsRoundRobinStaysInTheCallersZoneAndFailsOverWithTheList() {
        assertThat(context.getBean(LoadBalancerClientFactory.class).getInstance("inventory"))
                .isInstanceOf(RoundRobinLoadBalancer.class);
        RestClient client = context.getBean(RestClient.Builder.class).build();
        for (int i = 0; i < 10; i++) {
            assertThat(client.get().uri("http://inventory/who").retrieve().body(String.class)).isIn("a1", "a2");
        }
        assertThat(inventory.hits("a1")).as("round robin over the zone").isEqualTo(5);

        inventory.stop("a1", "a2");
        ServiceClient meshless = context.getBean(MeshlessClients.class).client("inventory");
        for (int i = 0; i < 10; i++) {
            assertThat(client.get().uri("http://inventory/who").retrieve().body(String.class)).isIn("b1", "b2");
        }
        assertThat(meshless.outlierDetector().ejected()).isEqualTo(Set.of("a1", "a2"));
        assertThat(new MeshlessServiceInstanceListSupplier(meshless.balancer(), null).current())
                .extracting(i -> i.getInstanceId()).containsExactly("b1", "b2");
    }
}
