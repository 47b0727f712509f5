package dev.meshless.spring.boot.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A Spring Boot service using the starter as a user would, against twelve real HTTP backends in two
 * regions × three zones: an {@code @ZoneAware} interface client, a Spring Cloud {@code @LoadBalanced}
 * {@code RestClient} and a {@code WebClient} keep their traffic in the caller's zone, fail over with
 * no failed call when the zone stops answering, come back after recovery, and the {@code meshless}
 * actuator endpoint shows what happened.
 */
@SpringBootTest(classes = EndToEndApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FailoverEndToEndTest {

    private static Fleet fleet;

    @DynamicPropertySource
    static void topology(DynamicPropertyRegistry registry) {
        fleet = new Fleet();
        List<String> p = new ArrayList<>(fleet.properties("inventory", "catalog", "pricing"));
        p.addAll(List.of("spring.application.name=checkout", "server.address=127.0.0.1",
                "meshless.locality.region=r1", "meshless.locality.zone=r1-a",
                "meshless.defaults.outlier-detection.consecutive-local-origin-failures=2",
                "meshless.defaults.outlier-detection.base-ejection-time=1s",
                "meshless.defaults.outlier-detection.max-ejection-time=2s",
                "meshless.defaults.outlier-detection.max-ejection-time-jitter=0s",
                "meshless.defaults.zone-breaker.wait-duration-in-open-state=1s",
                "spring.http.clients.connect-timeout=500ms", "spring.http.clients.read-timeout=2s",
                "management.endpoints.web.exposure.include=meshless,health"));
        for (String property : p) {
            int eq = property.indexOf('=');
            registry.add(property.substring(0, eq), () -> property.substring(eq + 1));
        }
    }

    @AfterAll
    static void stopFleet() {
        fleet.close();
    }

    @Autowired
    EndToEndApplication.Inventory inventory;

    @Autowired
    @LoadBalanced
    RestClient.Builder loadBalanced;

    @Autowired
    WebClient.Builder webClients;

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

    @Test
    void everyClientKeepsItsZoneFailsOverWithoutErrorsAndComesBack() throws Exception {
        RestClient catalog = loadBalanced.build();
        WebClient pricing = webClients.build();
        List<Supplier<String>> clients = List.of(
                inventory::work,
                () -> catalog.get().uri("http://catalog/work").retrieve().body(String.class),
                () -> pricing.get().uri("http://pricing/work").retrieve().bodyToMono(String.class)
                        .block(Duration.ofSeconds(5)));

        for (Supplier<String> client : clients) {
            assertThat(calls(client, 20)).allSatisfy(s -> assertThat(zone(s)).isEqualTo("r1-a"));
        }

        fleet.stop("r1-a");
        for (Supplier<String> client : clients) {
            List<String> served = calls(client, 40);
            assertThat(served.subList(20, 40)).as("after failover").allSatisfy(s -> assertThat(zone(s)).isIn("r1-b",
                    "r1-c"));
        }
        assertThat(failures).as("failed calls while r1-a is down").isEmpty();

        fleet.start("r1-a");
        for (Supplier<String> client : clients) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int localInARow = 0;
            while (localInARow < 10) {
                assertThat(System.nanoTime()).as("traffic back in r1-a within 20 s").isLessThan(deadline);
                localInARow = zone(call(client)).equals("r1-a") ? localInARow + 1 : 0;
                Thread.sleep(20); // paces the calls while the ejection time runs out; the loop is bounded
            }
        }
        assertThat(failures).as("failed calls, whole drill").isEmpty();

        HttpResponse<String> report = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/meshless/inventory")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("\"type\":\"ejected\"", "\"type\":\"returned\"", "\"type\":\"failover\"",
                "\"kind\":\"same-zone\"", "r1/r1-a");
        HttpResponse<String> catalogReport = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/meshless/catalog")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(catalogReport.body()).as("@LoadBalanced traffic fed outlier detection")
                .contains("\"type\":\"ejected\"");
    }
}
