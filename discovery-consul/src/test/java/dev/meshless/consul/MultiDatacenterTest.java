package dev.meshless.consul;

import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.consul.testing.Catalog;
import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.consul.testing.ConsulTarget;
import dev.meshless.consul.testing.Configs;
import dev.meshless.consul.testing.Recorder;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** One merged view per service over several datacenters, each endpoint labelled with region and zone. */
@Tag("agent")
class MultiDatacenterTest {

    private ConsulTarget target;
    private ConsulRegistry registry;
    private final String service = ConsulTarget.unique("inventory");

    @BeforeEach
    void start() {
        target = ConsulTarget.federation();
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void watchesEveryDatacenterTheAgentListsAndLabelsEachEndpointWithItsRegionAndZone() {
        Catalog.Instance a = instance(target.dc1(), "node-a", service, "a1").meta("zone", "eu-west-1a");
        Catalog.Instance b = instance(target.dc2(), "node-b", service, "b1").nodeAddress("10.2.0.1").withoutZone()
                .nodeMeta("zone", "eu-central-1b");
        target.catalog().register(a);
        target.catalog().register(b);
        registry = ConsulRegistry.create(Configs.fast(target.address())
                .region(target.dc1(), "eu-west-1").region(target.dc2(), "eu-central-1").build());
        Recorder rec = new Recorder();

        registry.subscribe(service, rec);

        await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 2);
        Map<String, Endpoint> byId = rec.last().endpoints().stream()
                .collect(Collectors.toMap(Endpoint::id, Function.identity()));
        Endpoint ea = byId.get(a.endpointId());
        Endpoint eb = byId.get(b.endpointId());
        assertThat(ea.locality()).isEqualTo(Locality.of("eu-west-1", "eu-west-1a"));
        assertThat(eb.locality()).isEqualTo(Locality.of("eu-central-1", "eu-central-1b"));
        assertThat(ea.metadata()).containsEntry("consul.datacenter", target.dc1()).containsEntry("consul.node",
                "node-a").containsEntry("zone", "eu-west-1a");
        assertThat(eb.metadata()).containsEntry("consul.datacenter", target.dc2());
        assertThat(eb.host()).isEqualTo("10.2.0.1");
        assertThat(registry.datacenters()).containsEntry(target.dc1(), "eu-west-1")
                .containsEntry(target.dc2(), "eu-central-1");
        assertThat(rec.overlapped()).isFalse();
    }

    @Test
    void aChangeInOneDatacenterKeepsTheOtherDatacentersEndpoints() {
        target.catalog().register(instance(target.dc1(), "node-a", service, "a1").meta("zone", "z1"));
        Catalog.Instance b = instance(target.dc2(), "node-b", service, "b1").meta("zone", "z2");
        target.catalog().register(b);
        registry = ConsulRegistry.create(Configs.fast(target.address()).build());
        Recorder rec = new Recorder();
        registry.subscribe(service, rec);
        await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 2);

        target.catalog().register(b.status("critical"));

        await().atMost(Duration.ofSeconds(5)).until(() -> rec.last().endpoints().stream()
                .anyMatch(e -> e.id().equals(b.endpointId()) && e.health() == HealthStatus.CRITICAL));
        assertThat(rec.ids()).hasSize(2);
    }

    @Test
    void aConfiguredDatacenterListLimitsWhatIsWatched() {
        target.catalog().register(instance(target.dc1(), "node-a", service, "a1"));
        Catalog.Instance b = instance(target.dc2(), "node-b", service, "b1");
        target.catalog().register(b);
        registry = ConsulRegistry.create(Configs.fast(target.address())
                .agent(Configs.agent(target.address(), target.dc2())).build());
        Recorder rec = new Recorder();

        registry.subscribe(service, rec);

        await().atMost(Duration.ofSeconds(5)).until(() -> rec.count() > 0);
        assertThat(rec.ids()).containsExactly(b.endpointId());
        assertThat(registry.datacenters()).containsOnlyKeys(target.dc2());
    }

    /** Consul indexes service names in lower case (agent/consul/state/catalog_schema.go). */
    @Test
    void aServiceRegisteredWithCapitalsIsFoundByItsLowerCaseName() {
        String capitalised = "Inventory" + service.substring("inventory".length());
        target.catalog().register(instance(target.dc1(), "node-a", capitalised, "a1"));
        registry = ConsulRegistry.create(Configs.fast(target.address())
                .agent(Configs.agent(target.address(), target.dc1())).build());
        Recorder rec = new Recorder();

        registry.subscribe(service, rec);

        await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 1);
        assertThat(rec.last().endpoints()).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo(target.dc1() + "/node-a/a1");
            assertThat(e.service()).isEqualTo(service);
        });
        assertThat(registry.status()).singleElement().extracting(ViewStatus::skipped).isEqualTo(0);
    }

    @Test
    void theFilterIsSentWithEveryQuery() {
        target.catalog().register(instance(target.dc1(), "node-a", service, "prod-1").meta("env", "prod"));
        target.catalog().register(instance(target.dc1(), "node-b", service, "test-1").meta("env", "test"));
        registry = ConsulRegistry.create(Configs.fast(target.address())
                .agent(Configs.agent(target.address(), target.dc1())).filter("Service.Meta.env == \"prod\"").build());
        Recorder rec = new Recorder();

        registry.subscribe(service, rec);

        await().atMost(Duration.ofSeconds(5)).until(() -> rec.count() > 0);
        assertThat(rec.ids()).containsExactly(target.dc1() + "/node-a/prod-1");
    }

    @Test
    void separateClustersAreMergedEachThroughItsOwnAgent() {
        target.simulator("a second Consul cluster, not federated with the first");
        try (ConsulSimulator west = ConsulSimulator.start("west")) {
            target.catalog().register(instance(target.dc1(), "node-a", service, "a1"));
            new Catalog(west.address()).register(instance("west", "node-w", service, "w1").meta("zone", "west-a"));
            registry = ConsulRegistry.create(Configs.fast(target.address())
                    .agent(Configs.agent(target.address(), target.dc1()))
                    .cluster("west", Configs.agent(west.address()))
                    .region("west", "us-west-2").build());
            Recorder rec = new Recorder();

            registry.subscribe(service, rec);

            await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 2);
            assertThat(rec.ids()).containsExactlyInAnyOrder(target.dc1() + "/node-a/a1", "west/node-w/w1");
            assertThat(rec.last().endpoints()).filteredOn(e -> e.id().startsWith("west/"))
                    .extracting(Endpoint::locality).containsExactly(Locality.of("us-west-2", "west-a"));
            assertThat(west.healthRequests(service, "west")).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.dc()).isEqualTo("west"));
        }
    }
}
