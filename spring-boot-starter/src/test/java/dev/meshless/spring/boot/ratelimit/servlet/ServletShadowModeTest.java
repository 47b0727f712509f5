package dev.meshless.spring.boot.ratelimit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.testing.Http;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** {@code meshless.rate-limit.shadow=true}: every limit of the MVC application only counts. */
@SpringBootTest(classes = MvcTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"meshless.rate-limit.shadow=true", "logging.level.dev.meshless.ratelimit=DEBUG"})
@ActiveProfiles("ratelimit-mvc")
@ExtendWith(OutputCaptureExtension.class)
class ServletShadowModeTest {

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Test
    void inShadowModeNothingIsRejectedAndWouldBeRejectionsAreCountedAndLogged(CapturedOutput output) {
        Http http = new Http(port);
        for (int i = 0; i < 4; i++) {
            assertThat(http.get("/api/items").statusCode()).isEqualTo(200);
            assertThat(http.get("/tenant/data", "X-Tenant", "t1").statusCode()).isEqualTo(200);
            assertThat(http.get("/annotated/u1").statusCode()).isEqualTo(200);
        }

        assertThat(count("api", "permitted")).isEqualTo(2.0);
        assertThat(count("api", "shadow-rejected")).isEqualTo(2.0);
        assertThat(count("per-tenant", "shadow-rejected")).isEqualTo(2.0);
        assertThat(count("per-user", "shadow-rejected")).isEqualTo(3.0);
        assertThat(meters.find("meshless.ratelimit.requests").tag("outcome", "rejected").counters())
                .allSatisfy(c -> assertThat(c.count()).isZero());
        assertThat(output).contains("Rate limit 'api' (shadow) would have rejected a request: 2 per 1h")
                .contains("Rate limit 'per-tenant' (shadow) would have rejected a request for key 't1'");
    }

    private double count(String limit, String outcome) {
        return meters.get("meshless.ratelimit.requests").tags("limit", limit, "outcome", outcome).counter().count();
    }
}
