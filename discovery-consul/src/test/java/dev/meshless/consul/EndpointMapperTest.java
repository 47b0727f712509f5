package dev.meshless.consul;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.consul.ServiceInstance.TaggedAddress;
import dev.meshless.consul.internal.EndpointMapper;
import dev.meshless.consul.internal.EndpointMapper.Addresses;
import dev.meshless.consul.internal.EndpointMapper.Target;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How a Consul instance becomes a Meshless endpoint: id, address, region, zone, weight, health, metadata,
 * and which instances are left out.
 */
class EndpointMapperTest {

    private static final Target DC1 = new Target("inventory", "dc1", false, "eu-west-1", true, "zone");

    private static ServiceInstance instance(String id, Map<String, String> nodeMeta, String address,
            Map<String, String> meta, String localityZone, HealthStatus health, int passing, int warning) {
        return new ServiceInstance("node-1", "10.0.0.1", nodeMeta, id, "inventory", address, 8080, List.of("v1"), meta,
                passing, warning, localityZone == null ? null : "us-west-1", localityZone, health);
    }

    /** An instance with everything the real-shape fixtures have: tagged addresses, node locality … */
    private static ServiceInstance full(String service, String address, int port, Map<String, TaggedAddress> tagged,
            Map<String, String> nodeTagged, String nodeLocalityRegion, String nodeLocalityZone, boolean maintenance,
            String namespace, String partition) {
        return new ServiceInstance("node-1", "10.0.0.1", Map.of(), "i-1", service, address, port, List.of(), Map.of(),
                1, 1, null, null, maintenance ? HealthStatus.CRITICAL : HealthStatus.PASSING, maintenance, nodeTagged,
                tagged, nodeLocalityRegion, nodeLocalityZone, null, namespace, partition);
    }

    private static Endpoint map(ServiceInstance i) {
        return EndpointMapper.map("inventory", "dc1", "eu-west-1", "zone", List.of(i)).endpoints().endpoints().get(0);
    }

    private static EndpointMapper.Result map(Addresses addresses, ServiceInstance... instances) {
        return EndpointMapper.map(DC1, addresses, List.of(instances));
    }

    @Test
    void idIsUniqueAcrossDatacentersAndMetadataNamesDatacenterNodeAndStatus() {
        Endpoint e = map(instance("inv-1", Map.of(), "10.1.1.1", Map.of("zone", "a", "version", "3"), null,
                HealthStatus.PASSING, 1, 1));

        assertThat(e.id()).isEqualTo("dc1/node-1/inv-1");
        assertThat(e.address()).isEqualTo("10.1.1.1:8080");
        assertThat(e.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("zone", "a", "version", "3",
                "consul.datacenter", "dc1", "consul.node", "node-1", "consul.status", "passing"));
    }

    @Test
    void idsNeverCollideAcrossPeersPartitionsAndNamespaces() {
        ServiceInstance inTeamA = full("inventory", "10.0.0.5", 80, Map.of(), Map.of(), null, null, false, "team-a",
                "default");
        ServiceInstance inTeamB = full("inventory", "10.0.0.5", 80, Map.of(), Map.of(), null, null, false, "team-b",
                "payments");

        List<Endpoint> both = map(Addresses.AS_GIVEN, inTeamA, inTeamB).endpoints().endpoints();
        Endpoint fromPeer = EndpointMapper.map(new Target("inventory", "eu-cluster", true, "eu-west-1", false, "zone"),
                Addresses.AS_GIVEN, List.of(full("inventory", "10.0.0.5", 80, Map.of(), Map.of(), null, null, false,
                        null, null))).endpoints().endpoints().get(0);

        assertThat(both).extracting(Endpoint::id).containsExactly("dc1/ns:team-a/node-1/i-1",
                "dc1/ap:payments/ns:team-b/node-1/i-1");
        assertThat(both.get(1).metadata()).containsEntry("consul.namespace", "team-b")
                .containsEntry("consul.partition", "payments");
        assertThat(fromPeer.id()).isEqualTo("peer:eu-cluster/node-1/i-1");
        assertThat(fromPeer.metadata()).containsEntry("consul.peer", "eu-cluster").doesNotContainKey("consul.datacenter");
    }

    @Test
    void zoneComesFromServiceMetaThenServiceLocalityThenNodeMetaThenNodeLocalityThenTheRegionFallback() {
        Map<String, String> nodeZone = Map.of("zone", "node-zone");
        assertThat(map(instance("a", nodeZone, "", Map.of("zone", "meta-zone"), "locality-zone",
                HealthStatus.PASSING, 1, 1)).locality()).isEqualTo(Locality.of("eu-west-1", "meta-zone"));
        assertThat(map(instance("a", nodeZone, "", Map.of(), "locality-zone", HealthStatus.PASSING, 1, 1))
                .locality()).isEqualTo(Locality.of("eu-west-1", "locality-zone"));
        assertThat(map(instance("a", nodeZone, "", Map.of("zone", " "), null, HealthStatus.PASSING, 1, 1))
                .locality()).isEqualTo(Locality.of("eu-west-1", "node-zone"));
        assertThat(map(Addresses.AS_GIVEN, full("inventory", "", 80, Map.of(), Map.of(), "us-east-1", "us-east-1c",
                false, null, null)).endpoints().endpoints().get(0).locality()).isEqualTo(Locality.of("eu-west-1",
                "us-east-1c"));
        EndpointMapper.Result none = EndpointMapper.map("inventory", "dc1", "eu-west-1", "zone",
                List.of(instance("a", Map.of(), "", Map.of(), null, HealthStatus.PASSING, 1, 1)));
        assertThat(none.endpoints().endpoints().get(0).locality()).isEqualTo(Locality.of("eu-west-1",
                "eu-west-1-default"));
        assertThat(none.withoutZone()).isEqualTo(1);
    }

    @Test
    void aConfiguredRegionWinsOtherwiseTheServiceThenTheNodeLocalityNamesTheRegion() {
        Target unconfigured = new Target("inventory", "dc1", false, "dc1", false, "zone");
        ServiceInstance serviceLocality = instance("a", Map.of(), "", Map.of(), "us-west-1b", HealthStatus.PASSING, 1,
                1);
        ServiceInstance nodeLocality = full("inventory", "", 80, Map.of(), Map.of(), "us-east-1", "us-east-1a", false,
                null, null);
        ServiceInstance neither = instance("b", Map.of(), "", Map.of(), null, HealthStatus.PASSING, 1, 1);

        List<Endpoint> mapped = EndpointMapper.map(unconfigured, Addresses.AS_GIVEN, List.of(serviceLocality,
                nodeLocality, neither)).endpoints().endpoints();

        assertThat(mapped).extracting(e -> e.locality().region()).containsExactly("us-west-1", "us-east-1", "dc1");
        assertThat(map(serviceLocality).locality().region()).as("configured").isEqualTo("eu-west-1");
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
        assertThat(map(instance("a", Map.of(), "", Map.of(), null, HealthStatus.PASSING, Integer.MAX_VALUE, 1))
                .weight()).isEqualTo(Endpoint.MAX_WEIGHT);
    }

    @Test
    void aWarningWeightOfZeroMeansNoTrafficWhileWarning() {
        Endpoint warning = map(instance("a", Map.of(), "", Map.of(), null, HealthStatus.WARNING, 10, 0));
        Endpoint passing = map(instance("a", Map.of(), "", Map.of(), null, HealthStatus.PASSING, 10, 0));

        assertThat(warning.health()).as("routed as an endpoint that must not get traffic")
                .isEqualTo(HealthStatus.CRITICAL);
        assertThat(warning.weight()).as("keeps its passing share of the zone").isEqualTo(10);
        assertThat(warning.metadata()).containsEntry("consul.status", "warning");
        assertThat(passing.health()).isEqualTo(HealthStatus.PASSING);
    }

    @Test
    void maintenanceIsRoutedAsCriticalButReportedAsMaintenance() {
        EndpointMapper.Result r = map(Addresses.AS_GIVEN, full("inventory", "10.0.0.7", 80, Map.of(), Map.of(), null,
                null, true, null, null));

        assertThat(r.endpoints().endpoints().get(0).health()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(r.endpoints().endpoints().get(0).metadata()).containsEntry("consul.status", "maintenance");
        assertThat(r.maintenance()).isEqualTo(1);
    }

    @Test
    void serviceNamesMatchWithoutRegardToCaseAsConsulsIndexDoes() {
        EndpointMapper.Result r = map(Addresses.AS_GIVEN, full("Inventory", "10.0.0.7", 80, Map.of(), Map.of(), null,
                null, false, null, null));

        assertThat(r.skipped()).isEmpty();
        assertThat(r.endpoints().endpoints()).singleElement().satisfies(e -> assertThat(e.service())
                .isEqualTo("inventory"));
    }

    @Test
    void instancesThatCannotBeEndpointsAreLeftOutWithTheirReason() {
        ServiceInstance other = new ServiceInstance("n", "10.0.0.1", Map.of(), "x", "billing", "", 80, List.of(),
                Map.of(), 1, 1, null, null, HealthStatus.PASSING);
        ServiceInstance noPort = new ServiceInstance("n", "10.0.0.1", Map.of(), "p", "inventory", "", 0, List.of(),
                Map.of(), 1, 1, null, null, HealthStatus.PASSING);
        ServiceInstance noAddress = new ServiceInstance("n", "", Map.of(), "q", "inventory", "", 80, List.of(),
                Map.of(), 1, 1, null, null, HealthStatus.PASSING);
        ServiceInstance badAddress = new ServiceInstance("n", "", Map.of(), "r", "inventory", "http://10.0.0.1/x", 80,
                List.of(), Map.of(), 1, 1, null, null, HealthStatus.PASSING);
        ServiceInstance good = new ServiceInstance("n", "10.0.0.1", Map.of(), "s", "inventory", "", 80, List.of(),
                Map.of(), 1, 1, null, null, HealthStatus.PASSING);

        EndpointMapper.Result r = map(Addresses.AS_GIVEN, other, noPort, noAddress, badAddress, good, good);

        assertThat(r.endpoints().endpoints()).extracting(Endpoint::id).containsExactly("dc1/n/s");
        assertThat(r.skipped()).extracting(SkippedEntry::entry, SkippedEntry::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("n/x", "other_service"),
                org.assertj.core.groups.Tuple.tuple("n/p", "no_port"),
                org.assertj.core.groups.Tuple.tuple("n/q", "bad_address"),
                org.assertj.core.groups.Tuple.tuple("n/r", "bad_address"),
                org.assertj.core.groups.Tuple.tuple("n/s", "duplicate_id"));
    }

    @Test
    void ipv6AddressesAreKeptAndWrittenInBrackets() {
        Endpoint e = map(Addresses.AS_GIVEN, full("inventory", "2001:db8::7", 8443, Map.of(), Map.of(), null, null,
                false, null, null)).endpoints().endpoints().get(0);

        assertThat(e.host()).isEqualTo("2001:db8::7");
        assertThat(e.address()).isEqualTo("[2001:db8::7]:8443");
    }

    /** Agent.TranslateServiceAddress / TranslateServicePort (agent/translate_addr.go), with every kind accepted. */
    @Test
    void wanAddressesFollowConsulsPrecedenceWanIpv6ThenWanIpv4ThenWanThenTheAddress() {
        TaggedAddress wan = new TaggedAddress("198.51.100.7", 443);
        Map<String, TaggedAddress> all = Map.of("wan_ipv6", new TaggedAddress("2001:db8::7", 8080),
                "wan_ipv4", new TaggedAddress("203.0.113.7", 8080), "wan", wan);

        assertThat(wanOf(all)).isEqualTo("[2001:db8::7]:443");
        assertThat(wanOf(Map.of("wan_ipv4", new TaggedAddress("203.0.113.7", 8080), "wan", wan)))
                .isEqualTo("203.0.113.7:443");
        assertThat(wanOf(Map.of("wan", wan))).isEqualTo("198.51.100.7:443");
        assertThat(wanOf(Map.of("wan", new TaggedAddress("198.51.100.7", 0)))).as("port 0: the service's")
                .isEqualTo("198.51.100.7:8080");
        assertThat(wanOf(Map.of())).isEqualTo("10.0.0.7:8080");
    }

    @Test
    void aWanIpv4ThatTheAgentDefaultedToTheLanAddressGivesWayToAnExplicitWan() {
        // What an agent registers for a service at 10.0.0.7 that also set "wan" (Agent.addServiceInternal).
        Map<String, TaggedAddress> agentDefaults = Map.of("lan_ipv4", new TaggedAddress("10.0.0.7", 8080),
                "wan_ipv4", new TaggedAddress("10.0.0.7", 8080), "wan", new TaggedAddress("198.51.100.7", 443));

        assertThat(wanOf(agentDefaults)).isEqualTo("198.51.100.7:443");
        assertThat(wanOf(Map.of("lan_ipv4", new TaggedAddress("10.0.0.7", 8080), "wan_ipv4",
                new TaggedAddress("10.0.0.7", 8080)))).as("no explicit wan: the defaulted one is all there is")
                .isEqualTo("10.0.0.7:8080");
    }

    @Test
    void withoutAServiceAddressTheNodesWanAddressIsUsed() {
        ServiceInstance onNode = full("inventory", "", 8080, Map.of(), Map.of("lan", "10.0.0.1", "lan_ipv4",
                "10.0.0.1", "wan", "198.51.100.1", "wan_ipv4", "10.0.0.1"), null, null, false, null, null);

        assertThat(map(Addresses.WAN, onNode).endpoints().endpoints().get(0).address()).isEqualTo("198.51.100.1:8080");
        assertThat(map(Addresses.AS_GIVEN, onNode).endpoints().endpoints().get(0).address()).isEqualTo("10.0.0.1:8080");
    }

    @Test
    void lanAddressesUndoTheAgentsTranslation() {
        // Translated by the agent: Service.Address and Port now hold the WAN ones.
        ServiceInstance translated = full("inventory", "198.51.100.7", 443, Map.of("lan_ipv4",
                new TaggedAddress("10.0.0.7", 8080), "wan", new TaggedAddress("198.51.100.7", 443)),
                Map.of(), null, null, false, null, null);

        assertThat(map(Addresses.LAN, translated).endpoints().endpoints().get(0).address()).isEqualTo("10.0.0.7:8080");
    }

    private static String wanOf(Map<String, TaggedAddress> tagged) {
        return map(Addresses.WAN, full("inventory", "10.0.0.7", 8080, tagged, Map.of(), null, null, false, null, null))
                .endpoints().endpoints().get(0).address();
    }

    @Test
    void healthIsCarriedOver() {
        assertThat(map(instance("a", Map.of(), "", Map.of(), null, HealthStatus.CRITICAL, 1, 1)).health())
                .isEqualTo(HealthStatus.CRITICAL);
    }
}
