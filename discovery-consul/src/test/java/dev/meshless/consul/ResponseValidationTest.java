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
import dev.meshless.consul.testing.ConsulTarget;
import dev.meshless.consul.testing.Configs;
import dev.meshless.consul.testing.LogCapture;
import dev.meshless.consul.testing.Recorder;
import dev.meshless.topology.HealthStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An answer that is not what the endpoint returns at all is rejected and the last good view is kept;
 * within an answer, one entry that cannot be used is left out and counted, never a reason to drop the
 * datacenter's other instances.
 */
class ResponseValidationTest {

    private static final String GOOD = "{\"Node\":{\"Node\":\"n0\",\"Address\":\"10.0.0.9\"},"
            + "\"Service\":{\"ID\":\"ok\",\"Service\":\"inventory\",\"Address\":\"\",\"Port\":80},\"Checks\":[]}";
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
        "empty body | ' ' | the body is empty",
    })
    void answersThatAreNotAnArrayOfEntriesAreRejectedWhole(String what, String body, String problem) {
        assertThatThrownBy(parse(body, 10)).isInstanceOfSatisfying(ConsulException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
            assertThat(e.service()).isEqualTo("inventory");
            assertThat(e.datacenter()).isEqualTo("dc2");
        }).hasMessageStartingWith("Consul answer for service 'inventory' in datacenter 'dc2': ")
                .hasMessageContaining(problem);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing Node | {\"Service\":{\"ID\":\"a\",\"Service\":\"inventory\",\"Port\":80}} | entry #1 | malformed | Node is missing",
        "missing Service.ID | {\"Node\":{\"Node\":\"n\",\"Address\":\"a\"},\"Service\":{\"Service\":\"inventory\",\"Port\":80}} | entry #1 | malformed | Service.ID is missing",
        "port 70000 | " + "{\"Node\":{\"Node\":\"n1\",\"Address\":\"10.0.0.1\"},\"Service\":{\"ID\":\"a\",\"Service\":\"inventory\",\"Port\":70000}} | n1/a | bad_port | Service.Port must be a number from 1 to 65535, but is 70000",
        "port not a number | " + "{\"Node\":{\"Node\":\"n1\",\"Address\":\"10.0.0.1\"},\"Service\":{\"ID\":\"a\",\"Service\":\"inventory\",\"Port\":\"80\"}} | n1/a | bad_port | Service.Port must be a number",
        "meta value not a string | {\"Node\":{\"Node\":\"n\",\"Address\":\"a\",\"Meta\":{\"zone\":1}},\"Service\":{\"ID\":\"a\",\"Service\":\"inventory\",\"Port\":80}} | n/a | malformed | Node.Meta.zone must be a string",
        "unknown check status | " + "{\"Node\":{\"Node\":\"n1\",\"Address\":\"10.0.0.1\"},\"Service\":{\"ID\":\"a\",\"Service\":\"inventory\",\"Port\":80},\"Checks\":[{\"CheckID\":\"c\",\"Status\":\"fine\"}]} | n1/a | unknown_check_status | check 'c' has status 'fine', not passing, warning or critical",
        "tagged address as a string | {\"Node\":{\"Node\":\"n1\",\"Address\":\"10.0.0.1\"},\"Service\":{\"ID\":\"a\",\"Service\":\"inventory\",\"Port\":80,\"TaggedAddresses\":{\"wan\":\"1.2.3.4\"}}} | n1/a | malformed | Service.TaggedAddresses.wan must be an object",
    })
    void anUnreadableEntryIsLeftOutAndTheOthersAreKept(String what, String entry, String name, String reason,
            String problem) {
        ConsulJson.HealthEntries read = ConsulJson.healthService(("[" + GOOD + "," + entry + "]")
                .getBytes(StandardCharsets.UTF_8), "inventory", "dc2", 10);

        assertThat(read.instances()).extracting(ServiceInstance::id).containsExactly("ok");
        assertThat(read.skipped()).singleElement().satisfies(s -> {
            assertThat(s.entry()).isEqualTo(name);
            assertThat(s.reason()).isEqualTo(reason);
            assertThat(s.problem()).contains(problem);
        });
    }

    @Test
    void nullMapsAndAMissingPortAreReadAsGoWritesThem() {
        String entry = "{\"Node\":{\"Node\":\"n1\",\"Address\":\"10.0.0.1\",\"TaggedAddresses\":null,\"Meta\":null},"
                + "\"Service\":{\"ID\":\"a\",\"Service\":\"inventory\",\"Tags\":[],\"Address\":\"\",\"Meta\":null,"
                + "\"Weights\":{\"Passing\":1,\"Warning\":0}},\"Checks\":[]}";

        ServiceInstance i = ConsulJson.healthService(("[" + entry + "]").getBytes(StandardCharsets.UTF_8), "inventory",
                "dc2", 10).instances().get(0);

        assertThat(i.port()).isZero();
        assertThat(i.meta()).isEmpty();
        assertThat(i.nodeMeta()).isEmpty();
        assertThat(i.nodeTaggedAddresses()).isEmpty();
        assertThat(i.warningWeight()).isZero();
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
    void maintenanceIsCriticalForRoutingAndKeptApartAndTheWorstCheckWins() {
        String maint = "[{\"Node\":{\"Node\":\"n1\",\"Address\":\"10.0.0.1\"},\"Service\":{\"ID\":\"a\","
                + "\"Service\":\"inventory\",\"Port\":80},\"Checks\":[{\"CheckID\":\"_service_maintenance:a\","
                + "\"Status\":\"critical\"}]}]";
        ServiceInstance inMaintenance = ConsulJson.healthService(maint.getBytes(StandardCharsets.UTF_8), "inventory",
                "dc1", 10).instances().get(0);
        assertThat(inMaintenance.health()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(inMaintenance.maintenance()).isTrue();
        assertThat(inMaintenance.status()).isEqualTo("maintenance");
        String warn = "[" + String.format(ENTRY, 80, "warning") + "]";
        assertThat(ConsulJson.healthService(warn.getBytes(StandardCharsets.UTF_8), "inventory", "dc1", 10).instances())
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

    @Test
    void anAnswerWhoseEveryEntryIsUnusableIsRejectedRatherThanEmptyingTheDatacenter() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (ConsulSimulator sim = ConsulSimulator.start("dc1")) {
            new Catalog(sim.address()).register(instance("dc1", "n1", "inventory", "a"));
            ConsulRegistry registry = ConsulRegistry.builder(Configs.fast(sim.address())
                    .agent(Configs.agent(sim.address(), "dc1")).build()).metrics(new MicrometerConsulMetrics(meters))
                    .build();
            Recorder rec = new Recorder();
            registry.subscribe("inventory", rec);
            await().atMost(Duration.ofSeconds(5)).until(() -> rec.count() == 1);

            sim.garbage("[{\"Node\":{\"Node\":\"n1\"},\"Service\":{\"ID\":\"a\",\"Service\":\"inventory\"}}]");
            new Catalog(sim.address()).register(instance("dc1", "n2", "inventory", "b")); // ends the blocking query

            awaitErrors(meters, "malformed");
            assertThat(registry.status()).singleElement().satisfies(s -> {
                assertThat(s.lastError()).contains("none of its 1 instance(s) can be used");
                assertThat(s.skipped()).isEqualTo(1);
            });
            assertThat(rec.ids()).containsExactly("dc1/n1/a");
            registry.close();
        }
    }

    private static void awaitErrors(SimpleMeterRegistry meters, String reason) {
        await().atMost(Duration.ofSeconds(5)).until(() -> meters.find("meshless.consul.errors")
                .tags("service", "inventory", "datacenter", "dc1", "reason", reason).counter() != null);
    }

    /** Item 1 of the real-agent review, against the simulator or a real agent: an instance registered without a port. */
    @Tag("agent")
    @Test
    void oneInstanceWithoutAPortIsLeftOutCountedAndReportedOnceWhileTheOthersRoute() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        String service = ConsulTarget.unique("inventory");
        try (ConsulTarget target = ConsulTarget.federation(); LogCapture logs = new LogCapture()) {
            Catalog.Instance good = instance(target.dc1(), "node-a", service, "a1");
            Catalog.Instance noPort = instance(target.dc1(), "node-b", service, "b1").withoutPort();
            target.catalog().register(good);
            target.catalog().register(noPort);
            ConsulRegistry registry = ConsulRegistry.builder(Configs.fast(target.address())
                    .agent(Configs.agent(target.address(), target.dc1())).build())
                    .metrics(new MicrometerConsulMetrics(meters)).build();
            Recorder rec = new Recorder();

            registry.subscribe(service, rec);
            await().atMost(Duration.ofSeconds(5)).until(() -> rec.count() == 1);
            target.catalog().register(good.meta("version", "2")); // another answer with the same unusable entry
            await().atMost(Duration.ofSeconds(5)).until(() -> rec.count() == 2);

            assertThat(rec.ids()).containsExactly(good.endpointId());
            Counter skipped = meters.find("meshless.consul.skipped").tags("service", service, "reason", "no_port")
                    .counter();
            assertThat(skipped).isNotNull();
            assertThat(skipped.count()).as("counted once per entry, not per answer").isEqualTo(1.0);
            assertThat(logs.warnings()).filteredOn(l -> l.contains("leaving out instance 'node-b/b1' (no_port)"))
                    .hasSize(1);
            assertThat(registry.status()).singleElement().satisfies(s -> {
                assertThat(s.skipped()).isEqualTo(1);
                assertThat(s.consecutiveErrors()).isZero();
            });
            assertThat(meters.find("meshless.consul.view.skipped").tags("service", service).gauge().value())
                    .isEqualTo(1.0);

            target.catalog().register(noPort.port(8081));

            await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 2);
            assertThat(registry.status()).singleElement().extracting(ViewStatus::skipped).isEqualTo(0);
            registry.close();
        }
    }
}
