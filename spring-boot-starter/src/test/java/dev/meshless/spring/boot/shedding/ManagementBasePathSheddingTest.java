package dev.meshless.spring.boot.shedding;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The actuator on the application's port under another base path, and a health group's extra path
 * on the application's port: both are never shed, found from Spring Boot's management properties.
 */
@SpringBootTest(classes = SheddingWebFluxApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "spring.main.web-application-type=reactive",
                "management.endpoints.web.base-path=/manage",
                "management.endpoint.health.group.ready.include=ping",
                "management.endpoint.health.group.ready.additional-path=server:/ready",
                "meshless.load-shedding.min-limit=1", "meshless.load-shedding.initial-limit=1",
                "meshless.load-shedding.max-limit=1"})
@ActiveProfiles("shedding")
class ManagementBasePathSheddingTest extends SheddingTestSupport {

    @Autowired
    SheddingRoutes routes;

    @Test
    void theActuatorUnderItsBasePathAndAHealthGroupsExtraPathAreNeverShed() {
        assertThat(routes.neverShed()).containsExactly("/manage/**", "/ready");
        hold("/slow", 1);
        assertThat(http.get("/items").statusCode()).isEqualTo(503);

        assertThat(http.get("/manage/health").statusCode()).isEqualTo(200);
        assertThat(http.get("/ready").statusCode()).isEqualTo(200);
        assertThat(http.get("/actuator/health").statusCode()).as("no longer the actuator's path").isEqualTo(503);
    }
}
