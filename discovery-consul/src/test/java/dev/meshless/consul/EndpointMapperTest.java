package dev.meshless.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.consul.internal.EndpointMapper;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a Consul instance becomes a Meshless endpoint: id, address, region, zone, weight, health, metadata. */
class EndpointMapperTest {

    private static ServiceInstance instance(String id, Map<String, String> nodeMeta, String address,
            Map<String, String> meta, String localityZone, HealthStatus health, int passing, int warning) {
        return new ServiceInstance("node-1", "10.0.0.1", nodeMeta, id, "inventory", address, 8080, List.of("v1"), meta,
                passing, warning, localityZone == null ? null : "us-west-1", localityZone, health);
    }

    private static Endpoint map(ServiceInstance i) {
        return EndpointMapper.map("inventory", "dc1", "eu-west-1", "zone", List.of(i)).endpoints().endpoints().get(0);
    }

    @Test
    void idIsUniqueAcrossDatacentersAndMetadataNamesDatacenterAndNode() {
        Endpoint e = map(instance("inv-1", Map.of(), "10.1.1.1", Map.of("zone", "a", "version", "3"), null,
                HealthStatus.PASSING, 1, 1));

        assertThat(e.id()).isEqualTo("dc1/node-1/inv-1");
        assertThat(e.address()).isEqualTo("10.1.1.1:8080");
        assertThat(e.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("zone", "a", "version", "3",
                "consul.datacenter", "dc1", "consul.node", "node-1"));
    }

    @Test
    void zoneComesFromServiceMetaThenServiceLocalityThenNodeMetaThenTheRegionFallback() {
        Map<String, String> nodeZone = Map.of("zone", "node-zone");
        assertThat(map(instance("a", nodeZone, "", Map.of("zone", "meta-zone"), "locality-zone",
                HealthStatus.PASSING, 1, 1)).locality()).isEqualTo(Locality.of("eu-west-1", "meta-zone"));
        assertThat(map(instance("a", nodeZone, "", Map.of(), "locality-zone", HealthStatus.PASSING, 1, 1))
                .locality()).isEqualTo(Locality.of("eu-west-1", "locality-zone"));
        assertThat(map(instance("a", nodeZone, "", Map.of("zone", " "), null, HealthStatus.PASSING, 1, 1))
                .locality()).isEqualTo(Locality.of("eu-west-1", "node-zone"));
        EndpointMapper.Result none = EndpointMapper.map("inventory", "dc1", "eu-west-1", "zone",
                List.of(instance("a", Map.of(), "", Map.of(), null, HealthStatus.PASSING, 1, 1)));
        assertThat(none.endpoints().endpoints().get(0).locality()).isEqualTo(Locality.of("eu-west-1",
                "eu-west-1-default"));
        assertThat(none.withoutZone()).isEqualTo(1);
    }

    @Test
    void theZoneKeyIsConfigurable() {
        Endpoint e = EndpointMapper.map("inventory", "dc1", "eu-west-1", "availability-zone",
                List.of(instance("a", Map.of(), "", Map.of("availability-zone", "az-2", "zone", "ignored"), null,
                        HealthStatus.PASSING, 1, 1))).endpoints().endpoints().get(0);

        assertThat(e.locality().zone()).isEqualTo("az-2");
    }

    @Test
    void anEmptyServiceAddressMeansTheNodeAddress() {
        assertThat(map(instance("a", Map.of(), "", Map.of(), null, HealthStatus.PASSING, 1, 1)).host())
                .isEqualTo("10.0.0.1");
    }

    @Test
    void weightsFollowHealthAndAreClampedToTheBalancersRange() {
        assertThat(map(instance("a", Map.of(), "", Map.of(), null, HealthStatus.PASSING, 10, 2)).weight()).isEqualTo(10);
        assertThat(map(instance("a", Map.of(), "", Map.of(), null, HealthStatus.WARNING, 10, 2)).weight()).isEqualTo(2);
        assertThat(map(instance("a", Map.of(), "", Map.of(), null, HealthStatus.CRITICAL, 10, 2)).weight())
                .as("a failing endpoint keeps its share of its zone's total weight").isEqualTo(10);
        assertThat(map(instance("a", Map.of(), "", Map.of(), null, HealthStatus.WARNING, 10, 0)).weight()).isEqualTo(1);
        assertThat(map(instance("a", Map.of(), "", Map.of(), null, HealthStatus.PASSING, Integer.MAX_VALUE, 1))
                .weight()).isEqualTo(Endpoint.MAX_WEIGHT);
    }

    @Test
    void healthIsCarriedOver() {
        assertThat(map(instance("a", Map.of(), "", Map.of(), null, HealthStatus.CRITICAL, 1, 1)).health())
                .isEqualTo(HealthStatus.CRITICAL);
    }

    @Test
    void anInstanceOfAnotherServiceIsRejected() {
        ServiceInstance other = new ServiceInstance("n", "10.0.0.1", Map.of(), "x", "billing", "", 80, List.of(),
                Map.of(), 1, 1, null, null, HealthStatus.PASSING);

        assertThatThrownBy(() -> EndpointMapper.map("inventory", "dc1", "r", "zone", List.of(other)))
                .hasMessage("instance 'x' on node 'n' belongs to service 'billing', not to 'inventory'");
    }
}
