package dev.meshless.consul;

import static dev.meshless.consul.ConsulClientContractTest.fixture;
import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.consul.internal.ConsulJson;
import dev.meshless.consul.testing.Catalog;
import dev.meshless.consul.testing.ConsulSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The simulator answers in the shapes of Consul's documented examples, so that what is tested
 * against it holds for the documented format: every documented field is present with the same JSON
 * type, and the client reads the same instance from both.
 */
class SimulatorFidelityTest {

    private final ConsulSimulator sim = ConsulSimulator.start("dc1", "dc2");

    @AfterEach
    void stop() {
        sim.close();
    }

    private JsonNode get(String path) throws Exception {
        return ConsulJson.MAPPER.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(sim.address() + path)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Registers the instance of health.mdx's sample response. */
    private void registerDocumentedExample() {
        Catalog.Instance redis = instance("dc1", "foobar", "redis", "redis").withoutZone().nodeAddress("10.1.10.12")
                .nodeMeta("instance_type", "t2.medium").address("10.1.10.12", 8000).meta("redis_version", "4.0")
                .weights(10, 1);
        new Catalog(sim.address()).register(redis);
    }

    @Test
    void healthAnswersCarryEveryDocumentedFieldWithItsJsonType() throws Exception {
        registerDocumentedExample();
        JsonNode documented = ConsulJson.MAPPER.readTree(fixture("health-service.json")).get(0);

        JsonNode simulated = get("/v1/health/service/redis").get(0);

        for (String part : List.of("Node", "Service")) {
            assertSameShape(part, documented.get(part), simulated.get(part));
        }
        assertSameShape("Checks[0]", documented.get("Checks").get(0), simulated.get("Checks").get(0));
    }

    @Test
    void theClientReadsTheSameInstanceFromTheSimulatorAndFromTheDocumentation() {
        registerDocumentedExample();
        ConsulClient client = ConsulClient.create(ConsulAgentConfig.builder().environment(Map.of())
                .address(sim.address()).build());

        ServiceInstance fromSimulator = client.healthService(HealthQuery.of("redis")).join().value().get(0);
        ServiceInstance fromDocs = ConsulJson.healthService(fixture("health-service.json").getBytes(
                java.nio.charset.StandardCharsets.UTF_8), "redis", null, 10).get(0);

        assertThat(fromSimulator).usingRecursiveComparison().ignoringFields("tags").isEqualTo(fromDocs);
    }

    @Test
    void catalogAnswersHaveTheDocumentedShapes() throws Exception {
        new Catalog(sim.address()).register(instance("dc1", "n", "redis", "r"));

        JsonNode datacenters = get("/v1/catalog/datacenters");
        JsonNode services = get("/v1/catalog/services");

        assertThat(datacenters.getNodeType()).isEqualTo(ConsulJson.MAPPER.readTree(fixture("catalog-datacenters.json"))
                .getNodeType());
        assertThat(datacenters).allSatisfy(n -> assertThat(n.isString()).isTrue());
        assertThat(services.isObject()).isTrue();
        assertThat(services.get("redis").isArray()).isTrue();
    }

    private static void assertSameShape(String where, JsonNode documented, JsonNode simulated) {
        for (String field : documented.propertyNames()) {
            assertThat(simulated.has(field)).as("%s.%s is in the simulator's answer", where, field).isTrue();
            JsonNode d = documented.get(field);
            JsonNode s = simulated.get(field);
            assertThat(s.getNodeType()).as("JSON type of %s.%s", where, field).isEqualTo(d.getNodeType());
            if (d.isObject() && !field.equals("Meta")) {
                assertSameShape(where + "." + field, d, s);
            }
        }
    }
}
