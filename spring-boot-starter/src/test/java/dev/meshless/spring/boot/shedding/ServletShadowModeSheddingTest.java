package dev.meshless.spring.boot.shedding;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.ActiveProfiles;

/** {@code meshless.load-shedding.shadow=true}: requests beyond the limit are answered, counted and logged. */
@SpringBootTest(classes = SheddingMvcApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "meshless.load-shedding.shadow=true",
                "logging.level.dev.meshless.spring.boot.shedding=DEBUG"})
@ActiveProfiles("shedding")
@ExtendWith(OutputCaptureExtension.class)
class ServletShadowModeSheddingTest extends SheddingTestSupport {

    @Test
    void inShadowModeWouldBeShedRequestsAreAnsweredCountedAndLogged(CapturedOutput output) {
        hold("/reports/slow", 5);

        assertThat(http.get("/reports/daily").statusCode()).isEqualTo(200);
        assertThat(http.get("/reports/daily").body()).isEqualTo("fast");

        assertThat(rejected("low", true)).isEqualTo(2.0);
        assertThat(meters.find(SheddingMeters.REJECTED).tags("shadow", "false").counters()).isEmpty();
        assertThat(output).contains("Load shedding (shadow): a low request would have been shed with 5 requests"
                + " in flight and a limit of 10");
    }
}
