package dev.meshless.spring.boot.cloud.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.outcome.Outcome;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.testing.FakeTime;
import dev.meshless.spring.boot.cloud.testing.TestClients;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.DefaultRequestContext;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.RetryableRequestContext;

/** The Meshless picker behind Spring Cloud's {@code ReactorServiceInstanceLoadBalancer}. */
class MeshlessReactorLoadBalancerTest {

    private final FakeTime time = new FakeTime();
    private MeshlessClients clients = TestClients.clients(TestClients.inventory(), time);

    @AfterEach
    void close() {
        clients.close();
    }

    @Test
    void firstAttemptPicksInTheCallersZoneAndShowsTheEndpoint() {
        MeshlessReactorLoadBalancer balancer = new MeshlessReactorLoadBalancer(clients.client("inventory"));

        for (int i = 0; i < 20; i++) {
            Response<ServiceInstance> response = balancer.choose(new DefaultRequest<>(new DefaultRequestContext()))
                    .block(Duration.ofSeconds(1));
            assertThat(response.hasServer()).isTrue();
            MeshlessServiceInstance instance = (MeshlessServiceInstance) response.getServer();
            assertThat(instance.getInstanceId()).isIn("a1", "a2");
            assertThat(instance.getServiceId()).isEqualTo("inventory");
            assertThat(instance.getHost()).isEqualTo(instance.getInstanceId());
            assertThat(instance.getPort()).isEqualTo(8080);
            assertThat(instance.isSecure()).isFalse();
            assertThat(instance.getUri()).hasToString("http://" + instance.getInstanceId() + ":8080");
            assertThat(instance.getMetadata()).containsEntry("zone", "r1-a").containsEntry("region", "r1");
            assertThat(instance.pick()).isNotNull();
            assertThat(instance.pick().tier()).isZero();
        }
    }

    @Test
    void theChoiceIsMadeAtSubscriptionSoThatEachResubscriptionPicksAgain() {
        MeshlessReactorLoadBalancer balancer = new MeshlessReactorLoadBalancer(clients.client("inventory"));
        var choice = balancer.choose(new DefaultRequest<>());

        clients.client("inventory").balancer().setEjected("a1", true);
        clients.client("inventory").balancer().setEjected("a2", true);

        assertThat(choice.block(Duration.ofSeconds(1)).getServer().getMetadata()).containsEntry("zone", "r1-b");
    }

    @Test
    void aRetryAvoidsTheInstanceJustTried() {
        MeshlessReactorLoadBalancer balancer = new MeshlessReactorLoadBalancer(clients.client("inventory"));
        ServiceInstance a1 = chosen(balancer, "a1");

        for (int i = 0; i < 20; i++) {
            assertThat(balancer.chooseNow(retryAfter(a1)).getServer().getInstanceId())
                    .as("the other endpoint of the zone, since a1 did not fail").isEqualTo("a2");
        }
    }

    @Test
    void aRetryAfterAnEndpointFailureLeavesTheTierSoThatADeadZoneCostsOneAttempt() {
        MeshlessReactorLoadBalancer balancer = new MeshlessReactorLoadBalancer(clients.client("inventory"));
        MeshlessServiceInstance a1 = chosen(balancer, "a1");
        a1.outcome(Outcome.endpointFailure("SocketTimeoutException", true));

        for (int i = 0; i < 20; i++) {
            ServiceInstance retry = balancer.chooseNow(retryAfter(a1)).getServer();
            assertThat(retry.getInstanceId()).isIn("b1", "b2");
            assertThat(((MeshlessServiceInstance) retry).pick().tier()).isEqualTo(1);
        }
    }

    @Test
    void aRetryAfterAConnectFailureLeavesTheRegion() {
        MeshlessReactorLoadBalancer balancer = new MeshlessReactorLoadBalancer(clients.client("inventory"));
        MeshlessServiceInstance a1 = chosen(balancer, "a1");
        a1.outcome(Outcome.connectionRefused("ConnectException"));

        assertThat(balancer.chooseNow(retryAfter(a1)).getServer().getInstanceId()).isEqualTo("c1");
    }

    @Test
    void aRetryAfterOverloadStaysInTheTier() {
        MeshlessReactorLoadBalancer balancer = new MeshlessReactorLoadBalancer(clients.client("inventory"));
        MeshlessServiceInstance a1 = chosen(balancer, "a1");
        a1.outcome(Outcome.overloaded("HTTP 429", null));

        assertThat(balancer.chooseNow(retryAfter(a1)).getServer().getInstanceId()).isEqualTo("a2");
    }

    @Test
    void aRetryStaysInTheTierWhenNoOtherTierCanServe() {
        clients.close();
        clients = TestClients.clients(StaticRegistry.builder()
                .endpoint(TestClients.endpoint("inventory", "a1", "r1", "r1-a"))
                .endpoint(TestClients.endpoint("inventory", "a2", "r1", "r1-a")).build(), time);
        MeshlessReactorLoadBalancer balancer = new MeshlessReactorLoadBalancer(clients.client("inventory"));
        MeshlessServiceInstance a1 = chosen(balancer, "a1");
        a1.outcome(Outcome.connectFailure("ConnectException"));

        assertThat(balancer.chooseNow(retryAfter(a1)).getServer().getInstanceId()).isEqualTo("a2");
    }

    @Test
    void aPreviousInstanceOfAnotherSupplierIsRecognisedByItsInstanceId() {
        MeshlessReactorLoadBalancer balancer = new MeshlessReactorLoadBalancer(clients.client("inventory"));
        ServiceInstance a1 = new DefaultServiceInstance("a1", "inventory", "a1", 8080, false, Map.of());

        assertThat(balancer.chooseNow(retryAfter(a1)).getServer().getInstanceId()).isEqualTo("a2");
    }

    @Test
    void nothingToPickGivesAnEmptyResponse() {
        MeshlessReactorLoadBalancer balancer = new MeshlessReactorLoadBalancer(clients.client("unknown"));

        Response<ServiceInstance> response = balancer.choose(new DefaultRequest<>()).block(Duration.ofSeconds(1));

        assertThat(response.hasServer()).isFalse();
        assertThat(response.getServer()).isNull();
    }

    /** A first choice, repeated until it is the wanted endpoint (the zone's two endpoints split evenly). */
    private static MeshlessServiceInstance chosen(MeshlessReactorLoadBalancer balancer, String id) {
        for (int i = 0; i < 1000; i++) {
            MeshlessServiceInstance instance = (MeshlessServiceInstance) balancer.chooseNow(new DefaultRequest<>())
                    .getServer();
            if (instance.getInstanceId().equals(id)) {
                return instance;
            }
        }
        throw new AssertionError(id + " was never chosen");
    }

    private static Request<RetryableRequestContext> retryAfter(ServiceInstance previous) {
        return new DefaultRequest<>(new RetryableRequestContext(previous));
    }
}
