package dev.meshless.spring.boot.cloud.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.testing.FakeTime;
import dev.meshless.spring.boot.cloud.testing.TestClients;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;
import reactor.core.Disposable;

/** The instances the Meshless plan routes to, as a Spring Cloud {@code ServiceInstanceListSupplier}. */
class MeshlessServiceInstanceListSupplierTest {

    private final FakeTime time = new FakeTime();
    private final PlanChanges changes = new PlanChanges();
    private final MeshlessClients clients = TestClients.clients(TestClients.inventory(), time, changes);
    private final LocalityLoadBalancer balancer = clients.client("inventory").balancer();
    private final MeshlessServiceInstanceListSupplier supplier = new MeshlessServiceInstanceListSupplier(balancer,
            changes);

    @AfterEach
    void close() {
        clients.close();
    }

    @Test
    void listsOnlyTheCallersZoneWhileItIsHealthy() {
        assertThat(supplier.getServiceId()).isEqualTo("inventory");
        assertThat(ids(supplier.current())).containsExactly("a1", "a2");
        assertThat(ids(supplier.get().blockFirst(Duration.ofSeconds(1)))).containsExactly("a1", "a2");
    }

    @Test
    void addsTheNextZoneWhenItReceivesTrafficAndDropsEjectedEndpoints() {
        balancer.setEjected("a1", true);
        assertThat(balancer.plan().tierShare(1)).as("half the zone left: 70%% stays, 30%% spills").isPositive();
        assertThat(ids(supplier.current())).containsExactly("a2", "b1", "b2");

        balancer.setEjected("a2", true);
        assertThat(ids(supplier.current())).containsExactly("b1", "b2");
    }

    @Test
    void listsEveryEndpointOfATierInPanic() {
        for (String id : List.of("a1", "a2", "b1", "b2", "c1")) {
            balancer.setEjected(id, true);
        }

        assertThat(balancer.plan().panicTiers()).containsExactly(0);
        assertThat(ids(supplier.current())).as("nothing is available: the first tier, in panic, takes it all")
                .containsExactly("a1", "a2");
    }

    @Test
    void reEmitsWhenTheListChangesAndStopsWhenUnsubscribed() {
        List<List<String>> emitted = new CopyOnWriteArrayList<>();
        Disposable subscription = supplier.get().subscribe(list -> emitted.add(ids(list)));
        assertThat(emitted).containsExactly(List.of("a1", "a2"));

        balancer.setEjected("c1", true); // the plan changes, the list does not
        balancer.setEjected("a1", true);
        balancer.setEjected("a2", true);
        assertThat(emitted).containsExactly(List.of("a1", "a2"), List.of("a2", "b1", "b2"), List.of("b1", "b2"));

        subscription.dispose();
        balancer.setEjected("a1", false);
        assertThat(emitted).hasSize(3);
    }

    @Test
    void withoutPlanChangesEachSubscriptionGetsTheCurrentList() {
        MeshlessServiceInstanceListSupplier once = new MeshlessServiceInstanceListSupplier(balancer, null);
        assertThat(once.get().collectList().block(Duration.ofSeconds(1))).hasSize(1);

        balancer.setEjected("a1", true);

        assertThat(ids(once.get().blockFirst(Duration.ofSeconds(1)))).containsExactly("a2", "b1", "b2");
    }

    @Test
    void theListIsRebuiltOnlyWhenThePickerChanges() {
        List<ServiceInstance> first = supplier.current();
        assertThat(supplier.current()).isSameAs(first);

        balancer.setEjected("c1", true);

        assertThat(supplier.current()).isNotSameAs(first).isEqualTo(first);
    }

    private static List<String> ids(List<ServiceInstance> instances) {
        return instances.stream().map(ServiceInstance::getInstanceId).toList();
    }
}
