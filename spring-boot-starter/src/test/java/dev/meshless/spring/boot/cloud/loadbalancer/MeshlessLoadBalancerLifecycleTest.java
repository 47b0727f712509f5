package dev.meshless.spring.boot.cloud.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.call.ServiceClient;
import dev.meshless.outcome.Outcome;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.testing.FakeTime;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import dev.meshless.spring.boot.cloud.testing.TestClients;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.DefaultRequestContext;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.ResponseData;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.ResourceAccessException;

/** The outcome of Spring Cloud LoadBalancer calls, reported back to Meshless. */
class MeshlessLoadBalancerLifecycleTest {

    private final FakeTime time = new FakeTime();
    private final MeshlessClients clients = TestClients.clients(TestClients.inventory(), time);
    private final ServiceClient inventory = clients.client("inventory");
    private final MeshlessLoadBalancerLifecycle lifecycle = new MeshlessLoadBalancerLifecycle(clients);
    private final MeshlessReactorLoadBalancer balancer = new MeshlessReactorLoadBalancer(inventory);

    @AfterEach
    void close() {
        clients.close();
    }

    @Test
    void supportsEveryClientThatChoosesServiceInstances() {
        assertThat(lifecycle.supports(DefaultRequestContext.class, Object.class, ServiceInstance.class)).isTrue();
        assertThat(lifecycle.supports(Object.class, ResponseData.class, String.class)).isFalse();
    }

    @Test
    void aPickedCallIsInFlightUntilItCompletesAndItsOutcomeIsKeptForARetry() {
        Request<Object> request = new DefaultRequest<>();
        Response<ServiceInstance> chosen = balancer.chooseNow(request);
        MeshlessServiceInstance instance = (MeshlessServiceInstance) chosen.getServer();

        lifecycle.onStartRequest(request, chosen);
        assertThat(inventory.attemptsInFlight()).isEqualTo(1);
        time.advance(Duration.ofMillis(40));
        lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.SUCCESS, request, chosen,
                response(HttpStatus.SERVICE_UNAVAILABLE)));

        assertThat(inventory.attemptsInFlight()).isZero();
        assertThat(instance.outcome().kind()).isEqualTo(Outcome.Kind.GATEWAY_FAILURE);
        assertThat(inventory.outlierDetector().ejected()).as("one gateway failure ejects in these tests")
                .containsExactly(instance.getInstanceId());
    }

    @Test
    void aWrappedRefusedConnectionIsAConnectFailureThatEjects() {
        Request<Object> request = new DefaultRequest<>();
        Response<ServiceInstance> chosen = balancer.chooseNow(request);
        lifecycle.onStartRequest(request, chosen);

        lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.FAILED,
                new ResourceAccessException("I/O error", new ConnectException("Connection refused")), request, chosen));

        MeshlessServiceInstance instance = (MeshlessServiceInstance) chosen.getServer();
        assertThat(instance.outcome().requestNotSent()).isTrue();
        assertThat(inventory.outlierDetector().ejected()).containsExactly(instance.getInstanceId());
    }

    @Test
    void anOutcomeIsReportedOnceAndADiscardedCallRecordsNothing() {
        Request<Object> request = new DefaultRequest<>();
        Response<ServiceInstance> chosen = balancer.chooseNow(request);
        lifecycle.onStartRequest(request, chosen);
        lifecycle.onStartRequest(request, chosen);

        lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.DISCARD, request, chosen));
        lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.FAILED,
                new ConnectException("Connection refused"), request, chosen));

        assertThat(inventory.attemptsInFlight()).isZero();
        assertThat(((MeshlessServiceInstance) chosen.getServer()).outcome()).isNull();
        assertThat(inventory.outlierDetector().ejected()).isEmpty();
    }

    @Test
    void aPickedCallStartedTwiceIsInFlightOnceAndItsFailureReachesTheZoneBreakerOnce() {
        Request<Object> request = new DefaultRequest<>();
        Response<ServiceInstance> chosen = balancer.chooseNow(request);
        MeshlessServiceInstance instance = (MeshlessServiceInstance) chosen.getServer();
        CircuitBreaker zone = inventory.zoneBreakers().breaker(instance.endpoint().locality());

        lifecycle.onStartRequest(request, chosen);
        lifecycle.onStartRequest(request, chosen);
        assertThat(inventory.attemptsInFlight()).isEqualTo(1);
        lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.SUCCESS, request, chosen,
                response(HttpStatus.BAD_GATEWAY)));
        lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.SUCCESS, request, chosen,
                response(HttpStatus.OK)));

        assertThat(inventory.attemptsInFlight()).isZero();
        assertThat(instance.outcome().kind()).as("the first report counts").isEqualTo(Outcome.Kind.GATEWAY_FAILURE);
        assertThat(zone.getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
        assertThat(zone.getMetrics().getNumberOfSuccessfulCalls()).isZero();
    }

    @Test
    void aPickedCallCompletedWithoutAStartIsStillReportedOnce() {
        Request<Object> request = new DefaultRequest<>();
        Response<ServiceInstance> chosen = balancer.chooseNow(request);

        lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.FAILED,
                new ConnectException("Connection refused"), request, chosen));

        assertThat(inventory.attemptsInFlight()).isZero();
        assertThat(((MeshlessServiceInstance) chosen.getServer()).outcome().requestNotSent()).isTrue();
        assertThat(inventory.outlierDetector().ejected()).containsExactly(chosen.getServer().getInstanceId());
    }

    @Test
    void aCallOnAnInstanceSpringCloudChoseFromTheSupplierFeedsOutlierDetection() {
        ServiceInstance listed = new MeshlessServiceInstanceListSupplier(inventory.balancer(), null).current().get(1);
        Request<DefaultRequestContext> request = new DefaultRequest<>(new DefaultRequestContext());
        Response<ServiceInstance> chosen = new DefaultResponse(listed);

        lifecycle.onStartRequest(cast(request), chosen);
        assertThat(request.getContext().getRequestStartTime()).isPositive();
        lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.FAILED,
                new ConnectException("Connection refused"), cast(request), chosen));

        assertThat(inventory.outlierDetector().ejected()).containsExactly(listed.getInstanceId());
    }

    @Test
    void instancesOfOtherSuppliersAreIgnored() {
        ServiceInstance other = new org.springframework.cloud.client.DefaultServiceInstance("a1", "inventory", "a1",
                8080, false);
        Request<Object> request = new DefaultRequest<>();
        Response<ServiceInstance> chosen = new DefaultResponse(other);

        lifecycle.onStartRequest(request, chosen);
        lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.FAILED,
                new ConnectException("Connection refused"), request, chosen));

        assertThat(inventory.outlierDetector().ejected()).isEmpty();
    }

    private static ResponseData response(HttpStatus status) {
        return new ResponseData(status, new HttpHeaders(), null, null);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Request<Object> cast(Request<DefaultRequestContext> request) {
        return (Request) request;
    }
}
