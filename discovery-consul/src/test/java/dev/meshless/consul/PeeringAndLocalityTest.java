package dev.meshless.consul;

import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.consul.testing.SimulatedRegistry;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cluster peering as a third multi-datacenter shape ({@code ?peer=}, next to {@code ?dc=} and separate
 * clusters), namespaces and partitions ({@code ?ns=}, {@code ?partition=}) with endpoint ids that cannot
 * collide across them, and Consul 1.17's {@code Locality} as a source of region and zone.
 */
class PeeringAndLocalityTest {

    @RegisterExtension
    final SimulatedRegistry consul = new SimulatedRegistry("dc1");

    private Map<String, Endpoint> byId() {
        return consul.recorder().last().endpoints().stream().collect(Collectors.toMap(Endpoint::id,
                Function.identity()));
    }

    private ConsulAgentConfig agent(List<String> peers) {
        return ConsulAgentConfig.builder().environment(Map.of()).address(consul.sim().address()).datacenters("dc1")
                .peers(peers).build();
    }

    /** NewMaterializerRequest (agent/rpcclient/health/view.go) subscribes by PeerName; the HTTP API takes ?peer=. */
    @Test
    void aClusterPeersImportedInstancesAreWatchedWithPeerAndLabelledWithThePeer() {
        consul.catalog().register(instance("dc1", "n1", "inventory", "a"));
        consul.catalog().register(instance("dc1", "n-eu", "inventory", "e").peer("eu-cluster").meta("zone", "eu-1a"));

        consul.watch("inventory", b -> b.agent(agent(List.of("eu-cluster"))).region("eu-cluster", "eu-west-1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> consul.recorder().ids().size() == 2);

        Endpoint imported = byId().get("peer:eu-cluster/n-eu/e");
        assertThat(imported).isNotNull();
        assertThat(imported.locality()).isEqualTo(Locality.of("eu-west-1", "eu-1a"));
        assertThat(imported.metadata()).containsEntry("consul.peer", "eu-cluster").doesNotContainKey("consul.datacenter");
        assertThat(byId()).containsKey("dc1/n1/a");
        assertThat(consul.registry().datacenters()).containsEntry("eu-cluster", "eu-west-1");
        assertThat(consul.sim().requests()).filteredOn(r -> r.path().equals("/v1/health/service/inventory")
                && "eu-cluster".equals(r.query().get("peer"))).isNotEmpty().allSatisfy(r ->
                assertThat(r.query()).doesNotContainKey("dc"));
        assertThat(consul.status("inventory", "eu-cluster").endpoints()).isEqualTo(1);
    }

    @Test
    void instancesOfSeveralNamespacesGetIdsThatCannotCollide() {
        consul.catalog().register(instance("dc1", "n1", "inventory", "a").namespace("team-a"));
        consul.catalog().register(instance("dc1", "n1", "inventory", "a").namespace("team-b"));

        consul.watch("inventory", b -> b.namespace("*"));
        await().atMost(Duration.ofSeconds(5)).until(() -> consul.recorder().ids().size() == 2);

        assertThat(consul.recorder().ids()).containsExactlyInAnyOrder("dc1/ns:team-a/n1/a", "dc1/ns:team-b/n1/a");
        assertThat(byId().get("dc1/ns:team-b/n1/a").metadata()).containsEntry("consul.namespace", "team-b");
        assertThat(consul.sim().healthRequests("inventory", "dc1")).allSatisfy(r -> assertThat(r.query())
                .containsEntry("ns", "*"));
    }

    @Test
    void localityNamesTheZoneAfterServiceMetaAndTheRegionUnlessOneIsConfigured() {
        consul.catalog().register(instance("dc1", "n1", "inventory", "a").withoutZone()
                .nodeLocality("us-east-1", "us-east-1c"));
        consul.catalog().register(instance("dc1", "n2", "inventory", "b").withoutZone()
                .locality("us-east-1", "us-east-1b").nodeLocality("us-east-1", "us-east-1c"));
        consul.catalog().register(instance("dc1", "n3", "inventory", "c").locality("us-east-1", "us-east-1b"));

        consul.watch("inventory", b -> b);
        await().atMost(Duration.ofSeconds(5)).until(() -> consul.recorder().ids().size() == 3);

        assertThat(byId().get("dc1/n1/a").locality()).isEqualTo(Locality.of("us-east-1", "us-east-1c"));
        assertThat(byId().get("dc1/n2/b").locality()).isEqualTo(Locality.of("us-east-1", "us-east-1b"));
        assertThat(byId().get("dc1/n3/c").locality()).as("Service.Meta.zone first")
                .isEqualTo(Locality.of("us-east-1", "dc1-a"));
    }

    @Test
    void maintenanceIsRoutedAsCriticalButCountedApart() {
        consul.catalog().register(instance("dc1", "n1", "inventory", "a"));
        consul.catalog().register(instance("dc1", "n2", "inventory", "b").maintenance(true));

        consul.watch("inventory", b -> b);
        await().atMost(Duration.ofSeconds(5)).until(() -> consul.recorder().ids().size() == 2);

        Endpoint b = byId().get("dc1/n2/b");
        assertThat(b.health()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(b.metadata()).containsEntry("consul.status", "maintenance");
        assertThat(consul.status("inventory", "dc1").maintenance()).isEqualTo(1);
        assertThat(consul.meters().find("meshless.consul.view.maintenance").gauge().value()).isEqualTo(1.0);
    }
}
