package dev.meshless.spring.boot.cloud.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.call.ServiceClient;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.cloud.testing.Backends;
import dev.meshless.spring.boot.cloud.testing.LoadBalancedTestApp;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Spring Cloud's own {@code @LoadBalanced} clients, unchanged, with the Meshless picker behind them:
 * calls stay in the caller's zone, and when that zone stops, Spring Cloud's retry plus the
 * lifecycle's feedback (outlier ejection) move them to the next zone without a failed call. Until
 * the stopped zone's endpoints are ejected (two refusals each), the retry of a refused call leaves
 * the region, as any retry after a connect failure does (docs/resilience.md).
 */
class LoadBalancedClientsFailoverTest {

    private static final Set<String> ZONE_A = Set.of("a1", "a2");
    private static final Set<String> ZONE_B = Set.of("b1", "b2");
    private static final Set<String> ELSEWHERE = Set.of("b1", "b2", "c1");
    /** Enough calls for both endpoints of a stopped zone to be tried and ejected, with room to spare. */
    private static final int MAX_CALLS_TO_EJECT = 200;

    private Backends inventory;
    private ConfigurableApplicationContext context;

    @BeforeEach
    void start() {
        inventory = new Backends("inventory").start("a1", "r1", "r1-a").start("a2", "r1", "r1-a")
                .start("b1", "r1", "r1-b").start("b2", "r1", "r1-b").start("c1", "r2", "r2-a");
        List<String> properties = new ArrayList<>(LoadBalancedTestApp.CALLER);
        properties.addAll(inventory.asStaticEndpoints());
        context = LoadBalancedTestApp.run(properties);
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        inventory.close();
    }

    @Test
    void restClientCallsStayInTheCallersZone() {
        RestClient client = context.getBean(RestClient.Builder.class).build();
        for (int i = 0; i < 20; i++) {
            assertThat(client.get().uri("http://inventory/who").retrieve().body(String.class)).isIn(ZONE_A);
        }
        assertThat(inventory.hits("a1") + inventory.hits("a2")).isEqualTo(20);
        assertThat(inventory.hits("b1") + inventory.hits("b2") + inventory.hits("c1")).isZero();
        assertThat(inventory().attemptsInFlight()).as("every pick's call reported finished").isZero();
    }

    @Test
    void restClientFailsOverToTheNextZoneWhenTheCallersZoneStops() {
        RestClient client = context.getBean(RestClient.Builder.class).build();
        assertThat(client.get().uri("http://inventory/who").retrieve().body(String.class)).isIn(ZONE_A);
        inventory.stop("a1", "a2");

        assertFailsOverWithoutErrors(() -> client.get().uri("http://inventory/who").retrieve().body(String.class));
    }

    @Test
    void webClientFailsOverToTheNextZoneWhenTheCallersZoneStops() {
        WebClient client = context.getBean(WebClient.Builder.class).build();
        Supplier<String> call = () -> client.get().uri("http://inventory/who").retrieve().bodyToMono(String.class)
                .block(Duration.ofSeconds(10));
        assertThat(call.get()).isIn(ZONE_A);
        inventory.stop("a1", "a2");

        assertFailsOverWithoutErrors(call);
    }

    @Test
    void feedbackRecordsEveryAttemptInMeshlessMeters() {
        RestClient client = context.getBean(RestClient.Builder.class).build();
        for (int i = 0; i < 5; i++) {
            client.get().uri("http://inventory/who").retrieve().body(String.class);
        }
        inventory.answer("a1", 503);
        inventory.answer("a2", 503);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client.get().uri("http://inventory/who").retrieve().toBodilessEntity())
                    .as("Spring Cloud retries a status only when retryable-status-codes lists it")
                    .isInstanceOf(HttpServerErrorException.ServiceUnavailable.class);
        }

        MeterRegistry meters = context.getBean(MeterRegistry.class);
        assertThat(requests(meters, "success")).isEqualTo(5);
        assertThat(requests(meters, "gateway_failure")).as("a 503 is a gateway failure").isEqualTo(3);
        assertThat(meters.find("meshless.client.requests").tag("outcome", "success").timer().getId().getTag("tier"))
                .isEqualTo("0");
        assertThat(inventory().attemptsInFlight()).isZero();
    }

    private void assertFailsOverWithoutErrors(Supplier<String> call) {
        ServiceClient inventory = inventory();
        int calls = 0;
        while (!inventory.outlierDetector().ejected().containsAll(ZONE_A) && calls < MAX_CALLS_TO_EJECT) {
            assertThat(call.get()).as("a call during failover is served elsewhere").isIn(ELSEWHERE);
            calls++;
        }
        assertThat(inventory.outlierDetector().ejected()).as("after %d calls", calls).containsAll(ZONE_A);
        assertThat(inventory.balancer().plan().tierShare(0)).isZero();
        int remote = this.inventory.hits("c1");
        assertThat(remote).as("only retries of refused calls left the region").isLessThanOrEqualTo(calls);
        for (int i = 0; i < 20; i++) {
            assertThat(call.get()).isIn(ZONE_B);
        }
        assertThat(this.inventory.hits("c1")).as("once the zone is ejected, the other region is not needed")
                .isEqualTo(remote);
        assertThat(inventory.attemptsInFlight()).isZero();
    }

    private ServiceClient inventory() {
        return context.getBean(MeshlessClients.class).client("inventory");
    }

    private static long requests(MeterRegistry meters, String outcome) {
        return meters.find("meshless.client.requests").tag("service", "inventory").tag("outcome", outcome).timers()
                .stream().mapToLong(Timer::count).sum();
    }
}
