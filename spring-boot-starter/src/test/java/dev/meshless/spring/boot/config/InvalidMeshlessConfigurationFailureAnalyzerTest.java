package dev.meshless.spring.boot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A bad value stops a real application with Spring Boot's failure report, through spring.factories. */
@ExtendWith(OutputCaptureExtension.class)
class InvalidMeshlessConfigurationFailureAnalyzerTest {

    @Test
    void aBadValueStopsTheApplicationWithAReportNamingPropertyValueAndRule(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(EmptyApplication.class)
                .web(WebApplicationType.NONE)
                .properties("meshless.rate-limit.limits.api.limit-for-period=0", "spring.main.banner-mode=off");

        assertThatThrownBy(application::run).hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Invalid Meshless configuration:")
                .contains("Property: meshless.rate-limit.limits.api.limit-for-period")
                .contains("Value: 0")
                .contains("Reason: must be at least 1")
                .contains("Change meshless.rate-limit.limits.api.limit-for-period in your application: it must be"
                        + " at least 1.");
    }

    @Test
    void valuesAreShownAsTheyAreWrittenInConfiguration() {
        assertThat(new InvalidMeshlessConfigurationException("p", Duration.ofMillis(1500), "r").value())
                .isEqualTo("1500ms");
        assertThat(new InvalidMeshlessConfigurationException("p", Duration.ofHours(-1), "r").value())
                .isEqualTo("-1h");
        assertThat(new InvalidMeshlessConfigurationException("p", null, "r").value()).isEqualTo("(none)");
        assertThat(new InvalidMeshlessConfigurationException("p", Thread.State.TIMED_WAITING, "r").value())
                .isEqualTo("timed-waiting");
        assertThat(new InvalidMeshlessConfigurationException("p", 3, "must be odd").getMessage())
                .isEqualTo("Invalid Meshless configuration: p = 3: must be odd");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class EmptyApplication {
    }
}
