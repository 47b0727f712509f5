package dev.meshless.sample.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.sample.inventory.LocalInventory;
import dev.meshless.spring.boot.registry.StaticEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The checkout service exactly as {@code application.yml} configures it — only the inventory
 * endpoints' ports change, to those of stand-in servers on 127.0.0.1 — answering real HTTP
 * requests. The methods run in order: the last one takes the caller's zone down for good.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CheckoutServiceTest {

    private static final String HOME = "eu-west-1a";
    private static final String NEIGHBOUR = "eu-west-1b";
    private static final String OTHER_REGION = "eu-central-1a";
    private static final List<String> ZONES = List.of(HOME, NEIGHBOUR, OTHER_REGION);

    private static List<StaticEndpoint> endpoints;
    private static LocalInventory inventory;

    /**
     * The stand-in servers' ports, given as suppliers so that the servers start only when the
     * application reads them. Spring AOT's {@code process-test-aot} prepares this test's context at
     * build time without binding the endpoints, so no server is left running in that JVM (its
     * dispatcher threads would keep it from exiting).
     */
    @DynamicPropertySource
    static void inventoryOnEphemeralPorts(DynamicPropertyRegistry registry) {
        endpoints = LocalInventory.endpointsOfApplicationYml();
        // A list property is replaced as a whole, so each endpoint is given again: as in
        // application.yml, with the stand-in's port.
        for (int i = 0; i < endpoints.size(); i++) {
            StaticEndpoint e = endpoints.get(i);
            String prefix = "meshless.registry.endpoints.inventory[" + i + "].";
            int index = i;
            registry.add(prefix + "host", e::getHost);
            registry.add(prefix + "port", () -> inventory().port(index));
            registry.add(prefix + "region", e::getRegion);
            registry.add(prefix + "zone", e::getZone);
            registry.add(prefix + "weight", e::getWeight);
        }
    }

    private static synchronized LocalInventory inventory() {
        if (inventory == null) {
            try {
                inventory = LocalInventory.start(endpoints, true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return inventory;
    }

    @AfterAll
    static void stopInventory() {
        if (inventory != null) {
            inventory.close();
        }
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private static final AtomicInteger customers = new AtomicInteger();

    private HttpResponse<String> checkout(String customer) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/checkout"))
                .header("Content-Type", "application/json")
                .header("X-Customer-Id", customer)
                .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"42\",\"quantity\":1}"))
                .timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A checkout by a customer of its own, so that the per-customer limit never applies. */
    private HttpResponse<String> checkout() throws IOException, InterruptedException {
        return checkout("customer-" + customers.incrementAndGet());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s", path).isEqualTo(200);
        return json.readTree(r.body());
    }

    private static int[] requestsPerZone() {
        return ZONES.stream().mapToInt(inventory()::requests).toArray();
    }

    @Test
    @Order(1)
    void keepsInventoryCallsInTheCallersZoneWhileItIsHealthy() throws Exception {
        int[] before = requestsPerZone();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = checkout();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode receipt = json.readTree(r.body());
            assertThat(receipt.get("accepted").asBoolean()).isTrue();
            assertThat(receipt.get("inventoryZone").asString()).isEqualTo(HOME);
        }
        int[] after = requestsPerZone();
        assertThat(after[0] - before[0]).as("requests to inventory in " + HOME).isEqualTo(20);
        assertThat(after[1] - before[1]).as("requests to inventory in " + NEIGHBOUR).isZero();
        assertThat(after[2] - before[2]).as("requests to inventory in " + OTHER_REGION).isZero();
    }

    @Test
    @Order(2)
    void actuatorShowsThisInstanceAndTheCalledService() throws Exception {
        JsonNode report = get("/actuator/meshless");
        assertThat(report.at("/instance/service").asString()).isEqualTo("checkout");
        assertThat(report.at("/instance/locality").asString()).isEqualTo("eu-west-1/" + HOME);
        JsonNode service = report.at("/services/inventory");
        assertThat(service.get("routable").asBoolean()).isTrue();
        assertThat(service.at("/tiers/0/kind").asString()).isEqualTo("same-zone");
        assertThat(service.at("/tiers/0/share").asDouble()).isEqualTo(1.0);
        assertThat(service.at("/tiers/0/zones/0/zone").asString()).isEqualTo("eu-west-1/" + HOME);
        assertThat(service.at("/tiers/0/zones/0/endpoints")).hasSize(2);

        assertThat(get("/actuator/meshless/inventory").at("/tiers/0/share").asDouble()).isEqualTo(1.0);
        assertThat(get("/actuator/health").get("status").asString()).isEqualTo("UP");
    }

    @Test
    @Order(3)
    void answersTooManyRequestsWithProblemJsonPastACustomersLimit() throws Exception {
        int inventoryBefore = ZONES.stream().mapToInt(inventory()::requests).sum();
        int accepted = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 50 && refused == null; i++) {   // 5 a second, bursts of 5: the 6th in a row is refused
            HttpResponse<String> r = checkout("greedy");
            if (r.statusCode() == 429) {
                refused = r;
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                accepted++;
            }
        }

        assertThat(refused).as("a 429 within 50 checkouts of one customer").isNotNull();
        assertThat(accepted).as("checkouts accepted before the first 429 (the burst)").isGreaterThanOrEqualTo(5);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.headers().firstValue("RateLimit-Limit")).hasValue("5");
        JsonNode problem = json.readTree(refused.body());
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("limit").asString()).isEqualTo("per-customer");
        assertThat(problem.get("key").asString()).isEqualTo("greedy");
        assertThat(problem.get("instance").asString()).isEqualTo("/checkout");

        int inventoryAfter = ZONES.stream().mapToInt(inventory()::requests).sum();
        assertThat(inventoryAfter - inventoryBefore).as("a refused checkout never calls inventory").isEqualTo(accepted);
        assertThat(checkout("patient").statusCode()).as("another customer, at the same moment").isEqualTo(200);
    }

    @Test
    @Order(4)
    void failsOverToTheNextZoneWithoutErrorsWhenTheCallersZoneFails() throws Exception {
        int[] before = requestsPerZone();
        inventory().set(HOME, LocalInventory.Mode.FAIL);   // every instance in the caller's zone answers 503

        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = checkout();
            assertThat(r.statusCode()).as("checkout %d after %s failed: %s", i, HOME, r.body()).isEqualTo(200);
            assertThat(json.readTree(r.body()).get("inventoryZone").asString()).isEqualTo(NEIGHBOUR);
        }

        int[] after = requestsPerZone();
        assertThat(after[0] - before[0]).as("503s from " + HOME + " (at most 1 per checkout; 3 in a row eject an"
                + " endpoint, so at most 2 x 3)").isBetween(1, 6);
        assertThat(after[1] - before[1]).as("answers from " + NEIGHBOUR).isEqualTo(20);
        assertThat(after[2] - before[2]).as("the other region is not needed").isZero();

        // The routing plan has moved: the caller's zone takes nothing, its neighbour everything.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode service = get("/actuator/meshless/inventory");
            assertThat(service.at("/tiers/0/share").asDouble()).as("share of " + HOME).isZero();
            assertThat(service.at("/tiers/1/kind").asString()).isEqualTo("same-region");
            assertThat(service.at("/tiers/1/share").asDouble()).as("share of " + NEIGHBOUR).isEqualTo(1.0);
            assertThat(service.findValuesAsString("type")).contains("ejected", "failover");
        });
        JsonNode attempts = get("/actuator/metrics/meshless.client.requests?tag=zone:" + NEIGHBOUR + "&tag=outcome:success");
        assertThat(attempts.at("/measurements/0/value").asDouble()).as("successful attempts in " + NEIGHBOUR)
                .isGreaterThanOrEqualTo(20);
    }
}
