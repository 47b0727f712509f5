package dev.meshless.consul;

import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshless.consul.ConsulException.Reason;
import dev.meshless.consul.internal.ConsulJson;
import dev.meshless.consul.micrometer.MicrometerConsulMetrics;
import dev.meshless.consul.testing.Catalog;
import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.consul.testing.Configs;
import dev.meshless.consul.testing.LogCapture;
import dev.meshless.consul.testing.Recorder;
import dev.meshless.topology.HealthStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Answers that are not the documented JSON, or too big, are rejected and the last good view is kept. */
class ResponseValidationTest {

    private static final String ENTRY = "{\"Node\":{\"Node\":\"n1\",\"Address\":\"10.0.0.1\"},"
            + "\"Service\":{\"ID\":\"a\",\"Service\":\"inventory\",\"Address\":\"\",\"Port\":%s},"
            + "\"Checks\":[{\"CheckID\":\"serfHealth\",\"Status\":\"%s\"}]}";

    private static ThrowingCallable parse(String body, int max) {
        return () -> ConsulJson.healthService(body.getBytes(StandardCharsets.UTF_8), "inventory", "dc2", max);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad JSON | [{\"Node\": | the body is not valid JSON",
        "not an array | {\"Node\":{}} | the body must be a JSON array, but is OBJECT",
        "missing Node | [{\"Service\":{\"ID\":\"a\",\"Service\":\"inventory\",\"Port\":80}}] | entry #0: Node is missing",
        "missing Service.ID | [{\"Node\":{\"Node\":\"n\",\"Address\":\"a\"},\"Service\":{\"Service\":\"inventory\",\"Port\":80}}] | entry #0 Service: ID is missing",
        "port 0 | " + "[{\"Node\":{\"Node\":\"n1\",\"Address\":\"10.0.0.1\"},\"Service\":{\"ID\":\"a\",\"Service\":\"inventory\",\"Port\":0}}] | Service.Port of instance 'a' must be between 1 and 65535, but is 0",
        "port 70000 | " + "[{\"Node\":{\"Node\":\"n1\",\"Address\":\"10.0.0.1\"},\"Service\":{\"ID\":\"a\",\"Service\":\"inventory\",\"Port\":70000}}] | Service.Port of instance 'a' must be between 1 and 65535, but is 70000",
        "port not a number | " + "[{\"Node\":{\"Node\":\"n1\",\"Address\":\"10.0.0.1\"},\"Service\":{\"ID\":\"a\",\"Service\":\"inventory\",\"Port\":\"80\"}}] | Service.Port must be a number",
        "meta value not a string | [{\"Node\":{\"Node\":\"n\",\"Address\":\"a\",\"Meta\":{\"zone\":1}},\"Service\":{\"ID\":\"a\",\"Service\":\"inventory\",\"Port\":80}}] | Node.Meta: 'zone' must be a string",
        "unknown check status | " + "[{\"Node\":{\"Node\":\"n1\",\"Address\":\"10.0.0.1\"},\"Service\":{\"ID\":\"a\",\"Service\":\"inventory\",\"Port\":80},\"Checks\":[{\"CheckID\":\"c\",\"Status\":\"fine\"}]}] | check 'c' has status 'fine', not passing, warning or critical",
    })
    void malformedAnswersAreRejectedNamingServiceDatacenterAndEntry(String what, String body, String problem) {
        assertThatThrownBy(parse(body, 10)).isInstanceOfSatisfying(ConsulException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
            assertThat(e.service()).isEqualTo("inventory");
            assertThat(e.datacenter()).isEqualTo("dc2");
        }).hasMessageStartingWith("Consul answer for service 'inventory' in datacenter 'dc2': ")
                .hasMessageContaining(problem);
    }

    @Test
    void moreInstancesThanTheCapAreRejected() {
        String one = String.format(ENTRY, 80, "passing");
        assertThatThrownBy(parse("[" + one + "," + one.replace("\"a\"", "\"b\"") + "]", 1))
                .isInstanceOfSatisfying(ConsulException.class, e -> assertThat(e.reason())
                        .isEqualTo(Reason.TOO_MANY_ENDPOINTS))
                .hasMessageContaining("lists 2 instances, more than maxEndpoints (1)");
    }

    @Test
    void maintenanceIsCriticalAndTheWorstCheckWins() {
        String maint = "[{\"Node\":{\"Node\":\"n1\",\"Address\":\"10.0.0.1\"},\"Service\":{\"ID\":\"a\","
                + "\"Service\":\"inventory\",\"Port\":80},\"Checks\":[{\"CheckID\":\"_service_maintenance:a\","
                + "\"Status\":\"passing\"}]}]";
        assertThat(ConsulJson.healthService(maint.getBytes(StandardCharsets.UTF_8), "inventory", "dc1", 10))
                .singleElement().extracting(ServiceInstance::health).isEqualTo(HealthStatus.CRITICAL);
        String warn = "[" + String.format(ENTRY, 80, "warning") + "]";
        assertThat(ConsulJson.healthService(warn.getBytes(StandardCharsets.UTF_8), "inventory", "dc1", 10))
                .singleElement().extracting(ServiceInstance::health).isEqualTo(HealthStatus.WARNING);
    }

    @Test
    void theRegistryKeepsTheLastGoodViewAndCountsEachRejection() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (ConsulSimulator sim = ConsulSimulator.start("dc1");
                LogCapture logs = new LogCapture()) {
            Catalog catalog = new Catalog(sim.address());
            catalog.register(instance("dc1", "n1", "inventory", "a"));
            ConsulRegistry registry = ConsulRegistry.builder(Configs.fast(sim.address())
                    .agent(Configs.agent(sim.address(), "dc1")).maxEndpoints(2).maxResponseBytes(4096).build())
                    .metrics(new MicrometerConsulMetrics(meters)).build();
            Recorder rec = new Recorder();
            registry.subscribe("inventory", rec);
            await().atMost(Duration.ofSeconds(5)).until(() -> rec.count() == 1);

            sim.garbage("[{\"Node\": ");
            catalog.register(instance("dc1", "n2", "inventory", "b"));
            awaitErrors(meters, "malformed");
            sim.garbage("[" + "{\"Node\":{},\"Service\":{}},".repeat(200) + "{}]");
            awaitErrors(meters, "too_large");
            sim.heal();
            catalog.register(instance("dc1", "n3", "inventory", "c"));
            awaitErrors(meters, "too_many_endpoints");

            assertThat(rec.count()).as("rejected answers are never delivered").isEqualTo(1);
            assertThat(rec.ids()).containsExactly("dc1/n1/a");
            assertThat(logs.warnings()).anyMatch(l -> l.contains("Service 'inventory' in datacenter 'dc1': Consul read "
                    + "failed (1 in a row, malformed)") && l.contains("keeping the last good view of 1 endpoint(s)"));
            registry.close();
        }
    }

    private static void awaitErrors(SimpleMeterRegistry meters, String reason) {
        await().atMost(Duration.ofSeconds(5)).until(() -> meters.find("meshless.consul.errors")
                .tags("service", "inventory", "datacenter", "dc1", "reason", reason).counter() != null);
    }
}
