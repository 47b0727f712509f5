package dev.meshless.consul;

import static dev.meshless.consul.ConsulClientContractTest.fixture;
import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.consul.internal.ConsulJson;
import dev.meshless.consul.testing.SimulatedRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers are asked for gzipped and capped after inflating, and the default cap fits what an agent
 * writes for the documented 5,000 endpoints: each entry with its node, a service with Proxy, Connect
 * and tagged addresses, and two checks whose {@code Output} may reach the agent's
 * {@code check_output_max_size} (4096 bytes by default).
 */
class ResponseSizeTest {

    private static final int CHECK_OUTPUT_MAX_SIZE = 4096;

    @RegisterExtension
    final SimulatedRegistry consul = new SimulatedRegistry("dc1");

    @Test
    void theDefaultCapHoldsFiveThousandRealEntriesWithFullCheckOutputs() {
        JsonNode entry = ConsulJson.MAPPER.readTree(fixture("health-service.json")).get(0);
        for (JsonNode check : entry.get("Checks")) {
            ((ObjectNode) check).put("Output", "x".repeat(CHECK_OUTPUT_MAX_SIZE));
        }
        long perEntry = ConsulJson.MAPPER.writeValueAsBytes(entry).length + 1; // and a comma

        long answer = perEntry * ConsulConfig.DEFAULT_MAX_ENDPOINTS;

        assertThat(perEntry).as("one entry in bytes").isBetween(9_000L, 12_000L);
        assertThat(answer).as("5,000 entries").isGreaterThan(16L << 20).isLessThan(ConsulConfig.DEFAULT_MAX_RESPONSE_BYTES);
    }

    @Test
    void answersAreAskedForGzippedAndReadInflated() {
        for (int i = 0; i < 30; i++) {
            consul.catalog().register(instance("dc1", "n" + i, "inventory", "i" + i));
        }
        ConsulClient client = ConsulClient.create(ConsulAgentConfig.builder().environment(Map.of())
                .address(consul.sim().address()).build());

        assertThat(client.healthService(HealthQuery.of("inventory")).join().value()).hasSize(30);
        assertThat(consul.sim().healthRequests("inventory", "dc1")).singleElement()
                .satisfies(r -> assertThat(r.header("Accept-Encoding")).isEqualTo("gzip"));
    }
}
