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
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The simulator answers in the shapes real agents send — the fixtures of {@code consul-api/}, built from
 * hashicorp/consul's Go structs, not the documentation's sample: the same fields at every level with
 * the same JSON types, no field the agent would leave out ({@code Port} 0, empty {@code TaggedAddresses}),
 * {@code null} where Go writes a nil map; and the client reads the same instance from both.
 */
class SimulatorFidelityTest {

    /** Maps whose keys are data, not shape: only their JSON type is compared. */
    private static final Set<String> DATA_MAPS = Set.of("Meta", "Definition");

    private final ConsulSimulator sim = ConsulSimulator.start("dc1", "dc2");

    @AfterEach
    void stop() {
        sim.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sim.address() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The first entry of health-service.json: an instance its agent registered, with a TTL check. */
    private void registerThroughTheAgent() {
        ConsulClient client = ConsulClient.create(ConsulAgentConfig.builder().environment(Map.of())
                .address(sim.address()).build());
        client.registerService(ConsulRegistration.create(client, ConsulRegistrationConfig.builder("web")
                .instanceId("web-10-1-10-12-8080").address("10.1.10.12").port(8080).region("us-west-1")
                .zone("us-west-1a").build()).definition(), true);
    }

    /** The second entry: registered through the catalog without a port and without metadata. */
    private void registerThroughTheCatalog() {
        Catalog.Instance legacy = instance("dc1", "legacy-web", "web", "legacy-web").withoutZone().withoutPort()
                .nodeAddress("10.1.20.7").nodeMeta("external-node", "true").nodeMeta("external-probe", "true");
        new Catalog(sim.address()).register(legacy);
    }

    @Test
    void healthAnswersHaveTheShapesOfTheAgentsGoStructs() throws Exception {
        registerThroughTheAgent();
        registerThroughTheCatalog();
        JsonNode real = ConsulJson.MAPPER.readTree(fixture("health-service.json"));

        JsonNode simulated = ConsulJson.MAPPER.readTree(get("/v1/health/service/web").body());

        assertThat(simulated.size()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            String node = real.get(i).get("Node").get("Node").asString();
            JsonNode mine = entryOn(simulated, i == 0 ? "agent-dc1" : node);
            assertSameShape("[" + i + "].Node", real.get(i).get("Node"), mine.get("Node"));
            assertSameShape("[" + i + "].Service", real.get(i).get("Service"), mine.get("Service"));
            for (JsonNode check : real.get(i).get("Checks")) {
                JsonNode same = check.get("CheckID").asString().equals("serfHealth") ? byCheckId(mine, "serfHealth")
                        : mine.get("Checks").get(mine.get("Checks").size() - 1);
                assertSameShape("[" + i + "].Checks." + check.get("CheckID").asString(), check, same);
            }
        }
    }

    @Test
    void answersCarryTheHeadersOfSetMetaAndAreGzippedForClientsThatAcceptIt() throws Exception {
        for (int i = 0; i < 20; i++) {
            new Catalog(sim.address()).register(instance("dc1", "n" + i, "web", "web-" + i));
        }

        HttpResponse<byte[]> zipped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sim.address()
                + "/v1/health/service/web?stale")).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(zipped.headers().firstValue("X-Consul-Index")).isPresent();
        assertThat(zipped.headers().firstValue("X-Consul-KnownLeader")).contains("true");
        assertThat(zipped.headers().firstValue("X-Consul-LastContact")).contains("0");
        assertThat(zipped.headers().firstValue("X-Consul-Query-Backend")).contains("blocking-query");
        assertThat(zipped.headers().firstValue("X-Consul-Results-Filtered-By-ACLs")).isEmpty();
        assertThat(zipped.headers().firstValue("X-Consul-Translate-Addresses")).isEmpty();
        assertThat(new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))
                .readAllBytes(), StandardCharsets.UTF_8)).startsWith("[{\"Node\":");
    }

    @Test
    void failuresAnswerAsAgentsDo() throws Exception {
        assertThat(get("/v1/health/service/web?dc=nowhere")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).isEqualTo("No path to datacenter");
        });
        HttpResponse<String> badFilter = get("/v1/health/service/web?filter=Service.Port%20%3E%2080");
        assertThat(badFilter.statusCode()).isEqualTo(500);
        assertThat(badFilter.body()).startsWith("Failed to create boolexpr evaluator");
    }

    @Test
    void theClientReadsTheSameInstanceFromTheSimulatorAndFromTheFixture() {
        registerThroughTheAgent();
        registerThroughTheCatalog();
        ConsulClient client = ConsulClient.create(ConsulAgentConfig.builder().environment(Map.of())
                .address(sim.address()).build());

        List<ServiceInstance> fromSimulator = client.healthService(HealthQuery.of("web")).join().value();
        List<ServiceInstance> fromFixture = ConsulJson.healthService(fixture("health-service.json")
                .getBytes(StandardCharsets.UTF_8), "web", null, 10).instances();

        for (int i = 0; i < 2; i++) {
            ServiceInstance real = fromFixture.get(i);
            ServiceInstance mine = fromSimulator.stream().filter(s -> s.id().equals(real.id())).findFirst().orElseThrow();
            // The node differs: the simulated agent's own node is agent-dc1 at 127.0.0.1.
            assertThat(mine).usingRecursiveComparison().ignoringFields(i == 0
                    ? new String[] {"node", "nodeAddress", "nodeMeta", "nodeTaggedAddresses"} : new String[0])
                    .isEqualTo(real);
        }
    }

    @Test
    void catalogAnswersHaveTheAgentsShapes() throws Exception {
        new Catalog(sim.address()).register(instance("dc1", "n", "redis", "r"));

        JsonNode datacenters = ConsulJson.MAPPER.readTree(get("/v1/catalog/datacenters").body());
        JsonNode services = ConsulJson.MAPPER.readTree(get("/v1/catalog/services").body());

        assertThat(datacenters.getNodeType()).isEqualTo(ConsulJson.MAPPER.readTree(fixture("catalog-datacenters.json"))
                .getNodeType());
        assertThat(datacenters).allSatisfy(n -> assertThat(n.isString()).isTrue());
        assertThat(services.isObject()).isTrue();
        assertThat(services.get("redis").isArray()).isTrue();
        assertThat(ConsulJson.MAPPER.readTree(get("/v1/agent/self").body()).path("Config").path("Datacenter").asString())
                .isEqualTo(ConsulJson.MAPPER.readTree(fixture("agent-self.json")).path("Config").path("Datacenter")
                        .asString());
    }

    private static JsonNode entryOn(JsonNode answer, String node) {
        for (JsonNode e : answer) {
            if (e.get("Node").get("Node").asString().equals(node)) {
                return e;
            }
        }
        throw new AssertionError("no entry on node " + node + " in " + answer);
    }

    private static JsonNode byCheckId(JsonNode entry, String checkId) {
        for (JsonNode c : entry.get("Checks")) {
            if (c.get("CheckID").asString().equals(checkId)) {
                return c;
            }
        }
        throw new AssertionError("no check " + checkId + " in " + entry);
    }

    /** The same fields, no more and no fewer, with the same JSON types, at every level. */
    private static void assertSameShape(String where, JsonNode real, JsonNode simulated) {
        Set<String> realFields = new HashSet<>(real.propertyNames());
        Set<String> simulatedFields = new HashSet<>(simulated.propertyNames());
        assertThat(simulatedFields).as("fields of %s", where).isEqualTo(realFields);
        for (String field : realFields) {
            JsonNode r = real.get(field);
            JsonNode s = simulated.get(field);
            assertThat(s.getNodeType()).as("JSON type of %s.%s", where, field).isEqualTo(r.getNodeType());
            if (r.isObject() && field.equals("TaggedAddresses")) {
                for (String key : r.propertyNames()) {
                    if (r.get(key).isObject()) {
                        assertSameShape(where + ".TaggedAddresses." + key, r.get(key), s.get(key));
                    }
                }
            } else if (r.isObject() && !DATA_MAPS.contains(field)) {
                assertSameShape(where + "." + field, r, s);
            }
        }
    }
}
