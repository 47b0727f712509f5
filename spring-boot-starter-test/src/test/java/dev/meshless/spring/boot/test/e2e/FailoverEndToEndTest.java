package dev.meshless.spring.boot.test.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.test.AutoConfigureMeshlessTest;
import dev.meshless.spring.boot.test.ZoneFleet;
import dev.meshless.testing.FakeTime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A Spring Boot service using the starter as a user would, tested as a user would with this module:
 * three services of twelve real HTTP endpoints each in two regions × three zones, called through an
 * {@code @ZoneAware} interface client, a Spring Cloud {@code @LoadBalanced} {@code RestClient} and a
 * {@code WebClient}. Each keeps its traffic in the caller's zone, fails over with no failed call when
 * the zone refuses connections, comes back when the fake clock ends the ejections, and the
 * {@code meshless} actuator endpoint shows what happened.
 */
@SpringBootTest(classes = EndToEndApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.application.name=checkout", "server.address=127.0.0.1",
            "meshless.locality.region=r1", "meshless.locality.zone=r1-a",
            "meshless.http.services=pricing",   // called by a plain WebClient: routed once named
            "meshless.defaults.outlier-detection.consecutive-local-origin-failures=2",
            "meshless.defaults.outlier-detection.max-ejection-time-jitter=0s",
            "spring.http.clients.connect-timeout=500ms", "spring.http.clients.read-timeout=2s",
            "management.endpoints.web.exposure.include=meshless,health"})
@AutoConfigureMeshlessTest
class FailoverEndToEndTest {

    @RegisterExtension
    static final ZoneFleet inventory = fleet("inventory");
    @RegisterExtension
    static final ZoneFleet catalog = fleet("catalog");
    @RegisterExtension
    static final ZoneFleet pricing = fleet("pricing");

    /** @return 2 regions × 3 zones × 2 instances, each answering with its id, e.g. {@code r1-a-0} */
    private static ZoneFleet fleet(String service) {
        return ZoneFleet.builder(service).zone("r1", "r1-a", 2).zone("r1", "r1-b", 2).zone("r1", "r1-c", 2)
                .zone("r2", "r2-a", 2).zone("r2", "r2-b", 2).zone("r2", "r2-c", 2).build();
    }

    @Autowired
    EndToEndApplication.Inventory inventoryClient;

    @Autowired
    @LoadBalanced
    RestClient.Builder loadBalanced;

    @Autowired
    WebClient.Builder webClients;

    @Autowired
    FakeTime time;

    @LocalServerPort
    int port;

    private final List<Throwable> failures = new ArrayList<>();

    private String call(Supplier<String> client) {
        try {
            return client.get();
        } catch (RuntimeException e) {
            failures.add(e);
            return "failed: " + e;
        }
    }

    private List<String> calls(Supplier<String> client, int n) {
        List<String> served = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            served.add(call(client));
        }
        return served;
    }

    private static String zone(String servedBy) {
        return servedBy.length() >= 4 ? servedBy.substring(0, 4) : servedBy;
    }

    private String actuator(String service) throws Exception {
        HttpResponse<String> report = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/meshless/" + service)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(report.statusCode()).isEqualTo(200);
        return report.body();
    }

    @Test
    void everyClientKeepsItsZoneFailsOverWithoutErrorsAndComesBack() throws Exception {
        RestClient catalogClient = loadBalanced.build();
        WebClient pricingClient = webClients.build();
        List<Supplier<String>> clients = List.of(
                inventoryClient::work,
                () -> catalogClient.get().uri("http://catalog/work").retrieve().body(String.class),
                () -> pricingClient.get().uri("http://pricing/work").retrieve().bodyToMono(String.class)
                        .block(Duration.ofSeconds(5)));

        for (Supplier<String> client : clients) {
            assertThat(calls(client, 20)).allSatisfy(s -> assertThat(zone(s)).isEqualTo("r1-a"));
        }

        List.of(inventory, catalog, pricing).forEach(f -> f.refuse("r1-a"));
        for (Supplier<String> client : clients) {
            List<String> served = calls(client, 40);
            assertThat(served.subList(20, 40)).as("after failover").allSatisfy(s -> assertThat(zone(s)).isIn("r1-b",
                    "r1-c"));
        }
        assertThat(failures).as("failed calls while r1-a is down").isEmpty();

        List.of(inventory, catalog, pricing).forEach(f -> f.heal("r1-a"));
        // Active probes (on the running fake clock's real time) bring the zone back on their first pass,
        // within about a second; advancing the clock also ends the ejections (30 s) and a zone breaker's
        // wait (10 s), whichever comes first.
        time.advance(Duration.ofMinutes(1));
        for (Supplier<String> client : clients) {
            int localInARow = 0;
            // Returning endpoints and a half-open zone are probed with a small share of first attempts
            // until they answer (about one call in twenty each), then take their share again.
            for (int i = 0; i < 500 && localInARow < 10; i++) {
                localInARow = zone(call(client)).equals("r1-a") ? localInARow + 1 : 0;
            }
            assertThat(localInARow).as("ten calls in a row back in r1-a, within 500").isEqualTo(10);
        }
        assertThat(failures).as("failed calls, whole drill").isEmpty();

        assertThat(actuator("inventory")).contains("\"type\":\"ejected\"", "\"type\":\"returned\"",
                "\"type\":\"failover\"", "\"kind\":\"same-zone\"", "r1/r1-a");
        assertThat(actuator("catalog")).as("@LoadBalanced traffic fed outlier detection")
                .contains("\"type\":\"ejected\"");
    }
}
