package dev.meshless.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.balancer.EndpointState;
import dev.meshless.balancer.RoutingPlan;
import dev.meshless.call.CallOptions;
import dev.meshless.call.ServiceCallException;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.testing.FakeTime;
import dev.meshless.time.TimeSource;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A running application with {@code @AutoConfigureMeshlessTest} and a fleet: the fleet's endpoints
 * replace the application's own, changes to the registry reach its running client at once, and
 * advancing the clock ends an ejection at once.
 */
@SpringBootTest(classes = CallerApplication.class, properties = {
    "spring.application.name=checkout", "meshless.locality.region=eu-west-1", "meshless.locality.zone=eu-west-1a",
    // The application's own endpoint of inventory, on a port nothing listens on: never called.
    "meshless.registry.endpoints.inventory[0].host=127.0.0.1", "meshless.registry.endpoints.inventory[0].port=1",
    "meshless.registry.endpoints.inventory[0].region=eu-west-1", "meshless.registry.endpoints.inventory[0].zone=eu-west-1a",
    "meshless.services.inventory.outlier-detection.consecutive-local-origin-failures=2",
    "meshless.services.inventory.outlier-detection.base-ejection-time=30s",
    "meshless.services.inventory.outlier-detection.max-ejection-time-jitter=0s",
    // What brings the zone back here is the fake clock ending its ejection; active probes run on the
    // running fake clock's real time and bring a healed endpoint back on their first pass, whenever
    // that falls (FailoverEndToEndTest keeps them on).
    "meshless.services.inventory.health-check.enabled=false"})
@AutoConfigureMeshlessTest
class AutoConfigureMeshlessTestTest {

    @RegisterExtension
    static final ZoneFleet inventory = ZoneFleet.builder("inventory")
            .zone("eu-west-1", "eu-west-1a", 2)
            .zone("eu-west-1", "eu-west-1b", 2)
            .build();

    @Autowired
    MeshlessClients clients;

    @Autowired
    MeshlessTestRegistry registry;

    @Autowired
    FakeTime time;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @return the zone of the instance that answered one call through Meshless */
    private String call() {
        String id = clients.client("inventory").call(attempt -> get(attempt.endpoint()), CallOptions.method("GET"));
        return id.substring(0, id.lastIndexOf('-'));
    }

    private String get(Endpoint endpoint) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + endpoint.address() + "/"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private List<String> calls(int n) {
        List<String> zones = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            zones.add(call());
        }
        return zones;
    }

    @Test
    void theApplicationRoutesOnTheTestRegistryAndTheFakeClock(@Autowired EndpointRegistry endpoints,
                                                               @Autowired TimeSource timeSource) {
        assertThat(endpoints).isSameAs(registry);
        assertThat(timeSource).isSameAs(time);
        assertThat(registry.endpoints("inventory")).isEqualTo(inventory.endpoints());

        assertThat(calls(10)).containsOnly("eu-west-1a");
        assertThat(inventory.requests("eu-west-1a")).isEqualTo(10);
    }

    @Test
    void registryChangesReachTheRunningClientBeforeTheyReturn() {
        assertThat(call()).isEqualTo("eu-west-1a");

        registry.setZoneHealth("inventory", "eu-west-1a", HealthStatus.CRITICAL);
        assertThat(calls(5)).containsOnly("eu-west-1b");

        registry.setZoneHealth("inventory", "eu-west-1a", HealthStatus.PASSING);
        registry.remove("inventory", "eu-west-1b-0");
        assertThat(calls(5)).containsOnly("eu-west-1a");

        registry.replace("inventory", List.of());
        assertThatThrownBy(this::call).isInstanceOf(ServiceCallException.class).hasMessageContaining("inventory");
    }

    @Test
    void aZoneThatRefusesIsLeftWithoutAFailedCallAndTakenBackWhenTheFakeClockEndsItsEjection() {
        inventory.refuse("eu-west-1a");
        assertThat(calls(10)).as("every call answers, retried in the next zone").containsOnly("eu-west-1b");

        inventory.heal("eu-west-1a");
        assertThat(calls(5)).as("healed, but ejected for 30 s").containsOnly("eu-west-1b");

        time.advance(Duration.ofSeconds(31));
        // The ejections ended: each endpoint is probed with a small share of first attempts until it
        // answers, then takes its share again.
        RoutingPlan plan = clients.client("inventory").balancer().plan();
        assertThat(plan.endpoints()).filteredOn(e -> e.endpoint().locality().zone().equals("eu-west-1a"))
                .allMatch(e -> e.state() == EndpointState.PROBING);
        for (int i = 0; i < 1_000 && clients.client("inventory").balancer().plan().probeShare() > 0; i++) {
            call();
        }
        assertThat(clients.client("inventory").balancer().plan().probeShare()).as("every probe answered").isZero();
        inventory.resetRequests();
        assertThat(calls(5)).as("back in the caller's zone").containsOnly("eu-west-1a");
        assertThat(inventory.requests("eu-west-1a")).isEqualTo(5);
    }
}
