package dev.meshless.sample.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.consul.testing.ConsulSimulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample as its README runs it, with Consul's HTTP API served by the project's simulator: one
 * simulated cluster per datacenter (so the application reaches the second through
 * {@code meshless.consul.clusters}, the other deployment shape), {@link InventoryFleet} registering
 * its instances through each, and {@code checkout} configured by its own {@code application.yml}.
 * The methods run in order: zones stop one after the other.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsulSampleTest {

    private static ConsulSimulator dc1;
    private static ConsulSimulator dc2;
    private static InventoryFleet fleet;
    private static Path snapshots;

    @DynamicPropertySource
    static void consul(DynamicPropertyRegistry registry) throws IOException {
        dc1 = ConsulSimulator.start("dc1");
        dc2 = ConsulSimulator.start("dc2");
        fleet = new InventoryFleet(dc1.address(), dc2.address());
        snapshots = Files.createTempDirectory("consul-sample");
        registry.add("meshless.consul.agent.address", dc1::address);
        registry.add("meshless.consul.clusters.dc2.address", dc2::address);
        registry.add("meshless.consul.snapshot-file", () -> snapshots.resolve("checkout.snapshot").toString());
    }

    @AfterAll
    static void stop() {
        fleet.close();
        dc1.close();
        dc2.close();
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String checkout() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/checkout/sku-42");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private void everyCallAnsweredFrom(String zone) throws IOException, InterruptedException {
        for (int i = 0; i < 20; i++) {
            assertThat(checkout()).startsWith("inventory-" + zone + "-").endsWith(": 7 of sku-42");
        }
    }

    @Test
    @Order(1)
    void callsStayInTheCallersZone() throws Exception {
        // Consul's view arrives within a blocking query's first round trip.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(checkout()).startsWith("inventory-eu-west-1a-"));
        everyCallAnsweredFrom("eu-west-1a");
    }

    @Test
    @Order(2)
    void checkoutRegisteredItselfWithItsZone() throws Exception {
        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(
                URI.create(dc1.address() + "/v1/health/service/checkout")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(registered.body()).contains("\"Port\":" + port).contains("\"zone\":\"eu-west-1a\"")
                .contains("\"region\":\"eu-west-1\"");
    }

    @Test
    @Order(3)
    void whenTheCallersZoneStopsAnsweringCallsMoveToItsNeighbour() throws Exception {
        fleet.stop("eu-west-1a"); // Consul still says passing: Meshless finds out from the calls

        // A refused connection sends the rest of its call out of its region: until both instances of
        // eu-west-1a are ejected (two refusals each), a call may be answered from the other datacenter.
        int remote = 0;
        for (int i = 0; i < 20; i++) {
            String answer = checkout();
            assertThat(answer).matches("inventory-(eu-west-1b|eu-central-1a)-.*").endsWith(": 7 of sku-42");
            remote += answer.startsWith("inventory-eu-central-1a-") ? 1 : 0;
        }
        assertThat(remote).as("retries of refused calls").isLessThanOrEqualTo(4);
        everyCallAnsweredFrom("eu-west-1b");
    }

    @Test
    @Order(4)
    void whenTheRegionStopsAnsweringCallsMoveToTheOtherDatacenter() throws Exception {
        fleet.stop("eu-west-1b");

        everyCallAnsweredFrom("eu-central-1a");
    }

    @Test
    @Order(5)
    void theActuatorShowsBothDatacenters() throws Exception {
        HttpResponse<String> meshless = get("/actuator/meshless");
        HttpResponse<String> health = get("/actuator/health");

        assertThat(meshless.statusCode()).isEqualTo(200);
        assertThat(meshless.body()).contains("\"consul\"").contains("dc1").contains("dc2").contains("eu-central-1a");
        assertThat(health.body()).contains("\"status\":\"UP\"");
    }
}
