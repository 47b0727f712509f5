package dev.meshless.spring.boot.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;

/**
 * A bad {@code meshless.consul.*} value stops start-up with the full property, the value as written
 * and the rule — not the builder's own property name.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConsulConfigurationFailureTest {

    private ConsulSimulator consul;

    @BeforeEach
    void start() {
        consul = ConsulSimulator.start("dc1");
    }

    @AfterEach
    void stop() {
        consul.close();
    }

    @Test
    void registryPropertiesAreNamedInFull() {
        assertFailure("meshless.consul.wait=11m",
                "meshless.consul.wait = 11m: must be between 1s and 10m");
        assertFailure("meshless.consul.rate-limit-burst=0",
                "meshless.consul.rate-limit-burst = 0: must be between 1 and 100");
        assertFailure("meshless.consul.error-backoff-max=10ms",
                "meshless.consul.error-backoff-max = 10ms: must be at least the initial error backoff (50ms)");
        assertFailure("meshless.consul.max-response-bytes=100B",
                "meshless.consul.max-response-bytes = 100B: must be between 1KB and 1GB");
        assertFailure("meshless.consul.snapshot-max-bytes=2GB",
                "meshless.consul.snapshot-max-bytes = 2GB: must be between 1KB and 1GB");
        assertFailure("meshless.consul.regions.dc1=",
                "meshless.consul.regions.dc1 = '': must be a non-blank name without surrounding spaces");
        assertFailure("meshless.consul.zone-metadata-key=",
                "meshless.consul.zone-metadata-key = '': must be a non-blank name");
    }

    @Test
    void agentAndClusterPropertiesAreNamedInFull() {
        assertFailure("meshless.consul.agent.address=ftp://consul:8500",
                "meshless.consul.agent.address = ftp://consul:8500: must be an http or https URL of a host and port");
        assertFailure("meshless.consul.agent.datacenters=dc1,dc1",
                "meshless.consul.agent.datacenters = [dc1, dc1]: must not repeat a name");
        assertFailure("meshless.consul.clusters.eu.datacenters=eu-1",
                "meshless.consul.clusters.eu.address = (none): must be set: a separate cluster is read through its"
                        + " own agent");
        ConsulContexts.runner(consul.address()).withPropertyValues("meshless.consul.clusters.eu.address=10.9.0.1:8500",
                "meshless.consul.clusters.eu.request-timeout=0s").run(context -> assertThat(context.getStartupFailure())
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("meshless.consul.clusters.eu.request-timeout = 0s: must be between 1ms and 10m"));
    }

    @Test
    void unusableTlsFilesNameTheAgentTheyBelongTo(@TempDir Path dir) throws IOException {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        ConsulContexts.runner(consul.address()).withPropertyValues(
                "meshless.consul.clusters.eu.address=https://consul.eu.example:8501",
                "meshless.consul.clusters.eu.datacenters=eu-1",
                "meshless.consul.clusters.eu.ca-cert=" + notPem)
                .run(context -> {
                    InvalidMeshlessConfigurationException e = failure(context.getStartupFailure());
                    assertThat(e.property()).isEqualTo("meshless.consul.clusters.eu.ca-cert");
                    assertThat(e.value()).isEqualTo(notPem.toString());
                    assertThat(e.rule()).isEqualTo("must name a PEM file of X.509 certificates (it holds none)");
                });
        assertFailure("meshless.consul.agent.token-file=" + dir.resolve("missing"),
                "meshless.consul.agent.token-file = " + dir.resolve("missing") + ": must be a readable file");
    }

    @Test
    void registrationPropertiesAreNamedInFull() {
        String[] registered = {"meshless.consul.registration.port=8080", "meshless.consul.registration.address=10.1.2.3"};
        assertFailure(registered, "meshless.consul.registration.heartbeat-interval=30s",
                "meshless.consul.registration.heartbeat-interval = 30s: must be at least 100ms and shorter than the"
                        + " TTL (30s)");
        assertFailure(registered, "meshless.consul.registration.retry-initial=1m", // retry-max is given too
                "meshless.consul.registration.retry-max = 200ms: must be at least the initial retry delay (1m)");
        assertFailure(registered, "meshless.consul.registration.http-check=ftp://10.1.2.3/health",
                "meshless.consul.registration.http-check = ftp://10.1.2.3/health: must be an http or https URL");
        assertFailure(registered, "meshless.consul.registration.weight-passing=0",
                "meshless.consul.registration.weight-passing = 0: must be between 1 and 65535");
        assertFailure(new String[] {"meshless.consul.registration.address=10.1.2.3"},
                "meshless.consul.registration.port=70000",
                "meshless.consul.registration.port = 70000: must be between 1 and 65535");
        assertFailure(new String[] {"meshless.consul.registration.port=8080"},
                "meshless.consul.registration.address=",
                "meshless.consul.registration.address = '': must be a non-blank name");
        // Consul's own rules for Service.Meta, at start-up rather than as a 400 from the agent.
        assertFailure(registered, "meshless.consul.registration.meta.consul-x=1",
                "meshless.consul.registration.meta.consul-x = consul-x: must not start with 'consul-', which Consul"
                        + " reserves for itself");
        assertFailure(registered, "meshless.consul.agent.max-connections=0",
                "meshless.consul.agent.max-connections = 0: must be between 1 and 10000");
        assertThat(consul.requests()).as("nothing was registered").noneMatch(r -> r.method().equals("PUT"));
    }

    @Test
    void aValueTakenFromTheRestOfTheApplicationIsNamedByItsOwnProperty() {
        assertFailure(Map.of("meshless.service", " checkout"),
                "meshless.service = ' checkout': must be a non-blank name without surrounding spaces");
        assertFailure(Map.of("spring.application.name", "checkout "),
                "spring.application.name = 'checkout ': must be a non-blank name without surrounding spaces");
        assertFailure(Map.of("meshless.locality.zone", " r1-a"),
                "meshless.locality.zone = ' r1-a': must be a non-blank name without surrounding spaces");
        assertFailure(Map.of("meshless.locality.zone", " r1-a", "meshless.consul.registration.zone", "r1-b "),
                "meshless.consul.registration.zone = 'r1-b ': must be a non-blank name without surrounding spaces");
    }

    @Test
    void aRealApplicationReportsTheBadPropertyThroughTheFailureAnalyzer(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(EmptyApplication.class)
                .web(WebApplicationType.NONE).properties("spring.main.banner-mode=off");

        // Arguments, so that they win over the test class path's application.properties.
        assertThatThrownBy(() -> application.run("--meshless.consul.enabled=true",
                "--meshless.consul.agent.address=" + consul.address(), "--meshless.consul.wait=11m"))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Property: meshless.consul.wait")
                .contains("Value: 11m")
                .contains("Reason: must be between 1s and 10m");
    }

    private void assertFailure(String property, String message) {
        assertFailure(new String[0], property, message);
    }

    /** The message names the property and the value, then the rule (which may go on with details). */
    private void assertFailure(String[] others, String property, String message) {
        ConsulContexts.runner(consul.address()).withPropertyValues(others).withPropertyValues(property)
                .run(context -> assertThat(failure(context.getStartupFailure()).getMessage())
                        .startsWith("Invalid Meshless configuration: " + message));
    }

    /** Like {@link #assertFailure(String[], String, String)} for values that must keep their blanks. */
    private void assertFailure(Map<String, Object> untrimmed, String message) {
        ConsulContexts.runner(consul.address()).withPropertyValues("meshless.consul.registration.port=8080",
                        "meshless.consul.registration.address=10.1.2.3")
                .withInitializer(context -> context.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource("untrimmed", untrimmed)))
                .run(context -> assertThat(failure(context.getStartupFailure()).getMessage())
                        .startsWith("Invalid Meshless configuration: " + message));
    }

    private static InvalidMeshlessConfigurationException failure(Throwable startupFailure) {
        assertThat(startupFailure).as("start-up failed").isNotNull();
        for (Throwable t = startupFailure; t != null; t = t.getCause()) {
            if (t instanceof InvalidMeshlessConfigurationException e) {
                return e;
            }
        }
        throw new AssertionError("no InvalidMeshlessConfigurationException in " + startupFailure);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class EmptyApplication {
    }
}
