package dev.meshless.spring.boot.shedding;

import static dev.meshless.spring.boot.testing.Http.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.testing.Http;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What load shedding does in a real application with the fixed limit of
 * {@code application-shedding.yml} (10: low priority admitted below 5 in flight, normal below 8,
 * critical below 10), the same for the servlet and the WebFlux stack. Slow requests wait for the
 * {@link Gate}.
 */
abstract class LoadSheddingScenarios extends SheddingTestSupport {

    @Test
    void whenSaturatedLowPriorityIsShedFirstThenNormalWhileCriticalAndHealthPass() {
        double lowBefore = rejected("low", false);
        double normalBefore = rejected("normal", false);
        hold("/reports/slow", 5);

        HttpResponse<String> low = http.get("/reports/daily");
        assertThat(low.statusCode()).isEqualTo(503);
        assertThat(header(low, "Retry-After")).isEqualTo("2");
        assertThat(header(low, "Content-Type")).isEqualTo("application/problem+json");
        JsonNode problem = Http.json(low);
        assertThat(problem.propertyNames()).containsExactly("type", "title", "status", "detail", "instance", "limit",
                "inFlight", "priority");
        assertThat(problem.get("type").asString()).isEqualTo("about:blank");
        assertThat(problem.get("title").asString()).isEqualTo("Service Unavailable");
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(problem.get("detail").asString()).isEqualTo("The service is overloaded: 5 requests in flight at a"
                + " concurrency limit of 10, and low priority requests are admitted only below 5");
        assertThat(problem.get("instance").asString()).isEqualTo("/reports/daily");
        assertThat(problem.get("limit").asInt()).isEqualTo(10);
        assertThat(problem.get("inFlight").asInt()).isEqualTo(5);
        assertThat(problem.get("priority").asString()).isEqualTo("low");
        assertThat(http.get("/items").statusCode()).as("normal, below 8").isEqualTo(200);

        awaitInFlight(5); // /items may hold its place until just after its answer
        hold("/slow", 3);
        HttpResponse<String> normal = http.get("/items");
        assertThat(normal.statusCode()).isEqualTo(503);
        assertThat(Http.json(normal).get("priority").asString()).isEqualTo("normal");
        assertThat(http.get("/checkout").statusCode()).as("critical, below 10").isEqualTo(200);
        assertThat(http.get("/actuator/health").statusCode()).isEqualTo(200);
        awaitInFlight(8);

        assertThat(rejected("low", false) - lowBefore).isEqualTo(1.0);
        assertThat(rejected("normal", false) - normalBefore).isEqualTo(1.0);
        assertThat(meters.get(SheddingMeters.LIMIT).gauge().value()).isEqualTo(10.0);
        assertThat(meters.get(SheddingMeters.IN_FLIGHT).gauge().value()).isEqualTo(8.0);
    }

    @Test
    void healthIsNeverShedAndTakesNoPlace() {
        hold("/slow", 8);
        for (int i = 0; i < 3; i++) {
            assertThat(http.get("/actuator/health").statusCode()).isEqualTo(200);
        }
        assertThat(shedder.inFlight()).isEqualTo(8);
        assertThat(http.get("/items").statusCode()).isEqualTo(503);
    }

    @Test
    void neverShedRoutesTakeNoPlaceSoLongLivedRequestsCannotCrowdOutTheRest() {
        // /events is in never-shed: twelve open ones, over the limit of 10, are all served and counted nowhere
        holdUncounted("/events", 12);

        assertThat(shedder.inFlight()).isZero();
        assertThat(http.get("/reports/daily").statusCode()).as("low, below 5").isEqualTo(200);
        hold("/slow", 8);
        assertThat(http.get("/items").statusCode()).as("the rest is still limited").isEqualTo(503);
    }

    @Test
    void aFailingRequestReleasesItsPlace() {
        assertThat(http.get("/boom").statusCode()).isEqualTo(500);
        awaitInFlight(0);
    }
}
