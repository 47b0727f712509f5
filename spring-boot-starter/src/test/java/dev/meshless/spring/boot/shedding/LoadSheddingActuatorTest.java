package dev.meshless.spring.boot.shedding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.testing.Http;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /actuator/meshless} in an application that sheds its load: the {@code loadShedding}
 * section, with the fixed limit of 10 of {@code application-shedding.yml}.
 */
@SpringBootTest(classes = SheddingMvcApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "management.endpoints.web.exposure.include=health,meshless"})
@ActiveProfiles("shedding")
class LoadSheddingActuatorTest extends SheddingTestSupport {

    @Test
    void theMeshlessEndpointShowsTheLimitTheRequestsInFlightAndTheRequestsShedByPriority() {
        JsonNode before = loadShedding();
        hold("/reports/slow", 5);
        assertThat(http.get("/reports/daily").statusCode()).isEqualTo(503);
        assertThat(http.get("/reports/daily").statusCode()).isEqualTo(503);
        hold("/slow", 3);
        assertThat(http.get("/items").statusCode()).isEqualTo(503);

        JsonNode shedding = loadShedding();

        assertThat(shedding.propertyNames()).containsExactly("enabled", "shadow", "algorithm", "limit", "inFlight",
                "minLimit", "maxLimit", "shed");
        assertThat(shedding.get("enabled").asBoolean()).isTrue();
        assertThat(shedding.get("shadow").asBoolean()).isFalse();
        assertThat(shedding.get("algorithm").asString()).isEqualTo("gradient2");
        assertThat(shedding.get("limit").asInt()).isEqualTo(10);
        assertThat(shedding.get("inFlight").asInt()).as("the actuator's own request is not counted").isEqualTo(8);
        assertThat(shedding.get("minLimit").asInt()).isEqualTo(10);
        assertThat(shedding.get("maxLimit").asInt()).isEqualTo(10);
        JsonNode shed = shedding.get("shed");
        assertThat(shed.propertyNames()).containsExactly("critical", "high", "normal", "low");
        assertThat(shed.get("low").asLong() - before.get("shed").get("low").asLong()).isEqualTo(2);
        assertThat(shed.get("normal").asLong() - before.get("shed").get("normal").asLong()).isEqualTo(1);
        assertThat(shed.get("critical").asLong()).isEqualTo(before.get("shed").get("critical").asLong());
        assertThat(shed.get("low").asLong()).as("the shedder's count is the meter's")
                .isEqualTo((long) rejected("low", false));
    }

    private JsonNode loadShedding() {
        var response = http.get("/actuator/meshless");
        assertThat(response.statusCode()).isEqualTo(200);
        return Http.json(response).get("loadShedding");
    }
}
