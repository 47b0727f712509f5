package dev.meshless.spring.boot.shedding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.testing.Http;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.ActiveProfiles;

/** The actuator on its own port: the filter does not see its requests, and nothing on the application's port is exempt. */
@SpringBootTest(classes = SheddingMvcApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
                "meshless.load-shedding.min-limit=1", "meshless.load-shedding.initial-limit=1",
                "meshless.load-shedding.max-limit=1"})
@ActiveProfiles("shedding")
class ManagementPortSheddingTest extends SheddingTestSupport {

    @LocalManagementPort
    int managementPort;

    @Autowired
    SheddingRoutes routes;

    @Test
    void healthOnTheManagementPortIsNeverShed() {
        hold("/slow", 1);
        assertThat(http.get("/items").statusCode()).isEqualTo(503);

        assertThat(new Http(managementPort).get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(routes.neverShed()).isEmpty();
        assertThat(http.get("/actuator/health").statusCode()).as("the application's own path, shed as any")
                .isEqualTo(503);
    }
}
