package dev.meshless.consul;

import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.consul.internal.SnapshotStore;
import dev.meshless.consul.testing.Catalog;
import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.consul.testing.Configs;
import dev.meshless.testing.FakeTime;
import dev.meshless.consul.testing.LogCapture;
import dev.meshless.consul.testing.Recorder;
import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The last good view on disk: a restart during a Consul outage still routes; bad files are ignored. */
class SnapshotTest {

    private static final String SERVICE = "inventory";

    @TempDir
    Path dir;

    private final ConsulSimulator sim = ConsulSimulator.start("dc1", "dc2");
    private final Catalog catalog = new Catalog(sim.address());
    private final FakeTime time = new FakeTime();
    private final List<ConsulRegistry> registries = new ArrayList<>();

    @AfterEach
    void stop() {
        registries.forEach(ConsulRegistry::close);
        sim.close();
    }

    private Path file() {
        return dir.resolve("consul-view.snapshot");
    }

    private ConsulRegistry registry(String... datacenters) {
        ConsulRegistry r = ConsulRegistry.builder(Configs.fast(sim.address())
                .agent(Configs.agent(sim.address(), datacenters)).snapshotFile(file()).build())
                .timeSource(time).build();
        registries.add(r);
        return r;
    }

    /** Runs a first life of the application that sees a and b, and closes it (which writes the snapshot). */
    private Set<String> firstLife(String... datacenters) {
        catalog.register(instance("dc1", "n1", SERVICE, "a").weights(3, 1));
        catalog.register(instance("dc2", "n2", SERVICE, "b").status("warning"));
        ConsulRegistry first = registry(datacenters);
        Recorder rec = new Recorder();
        first.subscribe(SERVICE, rec);
        await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 2);
        first.close();
        assertThat(file()).exists();
        return rec.ids();
    }

    @Test
    void aRestartDuringAnOutageRoutesOnTheSnapshotAndSaysSo() {
        Set<String> seen = firstLife("dc1", "dc2");
        sim.down();
        time.advance(Duration.ofMinutes(10));

        try (LogCapture logs = new LogCapture()) {
            ConsulRegistry second = registry("dc1", "dc2");
            Recorder rec = new Recorder();
            second.subscribe(SERVICE, rec);

            await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().equals(seen));
            assertThat(rec.last().endpoints()).extracting(Endpoint::health)
                    .containsExactlyInAnyOrder(HealthStatus.PASSING, HealthStatus.WARNING);
            assertThat(second.status()).allSatisfy(s -> {
                assertThat(s.origin()).isEqualTo(ViewStatus.Origin.SNAPSHOT);
                assertThat(s.age()).isGreaterThanOrEqualTo(Duration.ofMinutes(10));
            });
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("INFO Loaded the Consul snapshot '" + file() + "'"))
                    .anyMatch(l -> l.startsWith("WARN Service 'inventory' in datacenter 'dc1': Consul cannot be "
                            + "reached; routing on the snapshot's 1 endpoint(s)"));

            sim.up();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
                time.advance(Duration.ofMillis(100));
                return second.status().stream().allMatch(s -> s.origin() == ViewStatus.Origin.CONSUL);
            });
            assertThat(rec.sawEmpty()).isFalse();
        }
    }

    @Test
    void aStartDuringAnOutageWithoutASnapshotSaysThereIsNothingToRouteOn() {
        sim.down();

        try (LogCapture logs = new LogCapture()) {
            ConsulRegistry registry = registry();
            registry.subscribe(SERVICE, new Recorder());

            await().atMost(Duration.ofSeconds(5)).until(() -> logs.lines().stream().anyMatch(l -> l.startsWith(
                    "WARN Cannot list the datacenters of Consul agent")));
            assertThat(logs.lines()).filteredOn(l -> l.startsWith("WARN Cannot list the datacenters"))
                    .allMatch(l -> l.contains("routing on the snapshot '" + file()
                            + "' (absent or empty: no endpoints until Consul answers)"));
        }
    }

    @Test
    void whenTheDatacenterListCannotBeReadTheSnapshotSaysWhichDatacentersThereAre() {
        Set<String> seen = firstLife();
        sim.down();

        try (LogCapture logs = new LogCapture()) {
            ConsulRegistry second = registry();
            Recorder rec = new Recorder();
            second.subscribe(SERVICE, rec);

            await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().equals(seen));
            assertThat(logs.text()).contains("Cannot list the datacenters of Consul agent 'agent'");

            sim.up();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
                time.advance(Duration.ofMillis(500));
                return second.status().size() == 2
                        && second.status().stream().allMatch(s -> s.origin() == ViewStatus.Origin.CONSUL);
            });
            assertThat(second.datacenters()).containsOnlyKeys("dc1", "dc2");
        }
    }

    @Test
    void whenConsulAnswersTheSnapshotIsNotUsed() {
        firstLife("dc1", "dc2");
        catalog.deregister(instance("dc1", "n1", SERVICE, "a"));
        catalog.register(instance("dc1", "n9", SERVICE, "z"));

        ConsulRegistry second = registry("dc1", "dc2");
        Recorder rec = new Recorder();
        second.subscribe(SERVICE, rec);

        await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 2);
        assertThat(rec.deliveries()).allSatisfy(d -> assertThat(d.endpoints().endpoints())
                .extracting(Endpoint::id).doesNotContain("dc1/n1/a"));
    }

    @Test
    void aCorruptSnapshotIsIgnoredWithAWarningAndNothingIsDelivered() throws IOException {
        firstLife("dc1", "dc2");
        byte[] bytes = Files.readAllBytes(file());
        bytes[bytes.length - 10] ^= 0x20;
        Files.write(file(), bytes);
        assertIgnored("its checksum does not match its content");
    }

    @Test
    void aForeignFileIsIgnoredWithAWarning() throws IOException {
        Files.writeString(file(), "{\"services\": {\"inventory\": {}}}\n");
        assertIgnored("it is not a Meshless Consul snapshot (foreign header)");
    }

    @Test
    void aSnapshotOfAnotherFormatVersionIsIgnored() throws IOException {
        firstLife("dc1", "dc2");
        String text = Files.readString(file(), StandardCharsets.UTF_8);
        Files.writeString(file(), text.replaceFirst("SNAPSHOT 1 ", "SNAPSHOT 2 "));
        assertIgnored("it has format version 2, this version reads 1");
    }

    @Test
    void aTruncatedSnapshotIsIgnored() throws IOException {
        firstLife("dc1", "dc2");
        byte[] bytes = Files.readAllBytes(file());
        Files.write(file(), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertIgnored("it is truncated or has trailing bytes");
    }

    private void assertIgnored(String why) {
        sim.down();
        try (LogCapture logs = new LogCapture()) {
            ConsulRegistry second = registry("dc1", "dc2");
            Recorder rec = new Recorder();
            second.subscribe(SERVICE, rec);

            await().atMost(Duration.ofSeconds(5)).until(() -> second.status().stream()
                    .allMatch(s -> s.consecutiveErrors() > 0));
            assertThat(logs.warnings()).anyMatch(l -> l.equals("WARN Ignoring the Consul snapshot '" + file() + "': "
                    + why));
            assertThat(rec.count()).as("an unreachable registry without a view keeps quiet").isZero();
        }
    }

    @Test
    void writesAreAtomicAndRoundTripEveryField() throws IOException {
        Endpoint e = Endpoint.builder(SERVICE, "dc1/n1/a").address("10.0.0.1", 8080).locality("eu-west-1", "eu-west-1a")
                .weight(7).health(HealthStatus.WARNING).metadata(Map.of("consul.datacenter", "dc1", "v", "2")).build();
        SnapshotStore store = new SnapshotStore(file(), 1 << 20);
        Instant at = Instant.parse("2026-11-26T10:15:30Z");
        SnapshotStore.Snapshot written = new SnapshotStore.Snapshot(at, Map.of(SERVICE,
                Map.of("dc1", new SnapshotStore.Entry(at, ServiceEndpoints.of(SERVICE, List.of(e))))));

        assertThat(store.write(written)).isTrue();
        assertThat(store.write(written)).isTrue();

        assertThat(store.load()).contains(written);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file());
        }
        assertThat(Files.readString(file())).startsWith("MESHLESS-CONSUL-SNAPSHOT 1 sha256=");
    }

    @Test
    void anOversizedSnapshotIsNeitherWrittenNorRead() throws IOException {
        List<Endpoint> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add(Endpoint.builder(SERVICE, "dc1/n/" + i).address("10.0.0." + i, 8080).locality("r", "z").build());
        }
        SnapshotStore small = new SnapshotStore(file(), 1024);
        Instant at = Instant.parse("2026-11-26T10:15:30Z");
        try (LogCapture logs = new LogCapture()) {
            assertThat(small.write(new SnapshotStore.Snapshot(at, Map.of(SERVICE, Map.of("dc1",
                    new SnapshotStore.Entry(at, ServiceEndpoints.of(SERVICE, many))))))).isFalse();
            assertThat(file()).doesNotExist();

            new SnapshotStore(file(), 1 << 20).write(new SnapshotStore.Snapshot(at, Map.of(SERVICE, Map.of("dc1",
                    new SnapshotStore.Entry(at, ServiceEndpoints.of(SERVICE, many))))));
            assertThat(small.load()).isEmpty();
            assertThat(logs.warnings()).hasSize(2).allMatch(l -> l.contains("snapshotMaxBytes (1024)"));
        }
    }
}
