package dev.meshless.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.balancer.EndpointStrategy;
import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Defaults of the optional fields. */
class TopologyParserTest {

    private static Topology parse(String json) throws InputException {
        return TopologyParser.parse(JsonMapper.builder().build().readTree(json.replace('\'', '"')));
    }

    @Test
    void optionalFieldsTakeTheirDocumentedDefaults() throws InputException {
        Topology topology = parse("{'caller': {'region': 'r1', 'zone': 'r1-a'},"
                + " 'endpoints': [{'id': 'e1', 'region': 'r1', 'zone': 'r1-b'}]}");

        assertThat(topology.caller()).isEqualTo(Locality.of("r1", "r1-a"));
        assertThat(topology.picks()).isEqualTo(100_000);
        assertThat(topology.policy()).isEqualTo(LoadBalancingPolicy.defaults());
        assertThat(topology.callers()).isNull();
        assertThat(topology.unavailableZones()).isEmpty();
        assertThat(topology.endpoints()).containsExactly(
                new Topology.EndpointSpec("e1", Locality.of("r1", "r1-b"), 1, HealthStatus.PASSING, false));
    }

    @Test
    void everySettingOfTheLoadBalancingSpecificationReachesThePolicy() throws InputException {
        Topology topology = parse("{'caller': {'region': 'r1', 'zone': 'r1-a'},"
                + " 'policy': {'overprovisioningFactor': 2, 'panicThreshold': '20%', 'regionOrder': ['r3', 'r2'],"
                + " 'excludeUnlistedRegions': true, 'zoneAware': false, 'minClusterSize': 9,"
                + " 'endpointStrategy': 'random', 'warningIsHealthy': false, 'probeShare': '10%'},"
                + " 'endpoints': [{'id': 'e1', 'region': 'r1', 'zone': 'r1-b'}]}");

        LoadBalancingPolicy expected = LoadBalancingPolicy.builder().overprovisioningFactor(2)
                .panicThresholdPercent(20).regionOrder("r3", "r2").excludeUnlistedRegions(true).zoneAware(false)
                .minClusterSize(9).endpointStrategy(EndpointStrategy.RANDOM).warningIsHealthy(false)
                .probeSharePercent(10).build();
        assertThat(topology.policy()).isEqualTo(expected);
        // Each setting differs from its default, so none of them was dropped on the way.
        assertThat(dev.meshless.config.Specs.settings(dev.meshless.balancer.LoadBalancingSpec.class)).hasSize(9);
    }

    @Test
    void nullMeansAbsentForOptionalFields() throws InputException {
        Topology topology = parse("{'caller': {'region': 'r1', 'zone': 'r1-a'}, 'policy': null, 'callers': null,"
                + " 'picks': null, 'endpoints': [{'id': 'e1', 'region': 'r1', 'zone': 'r1-b', 'weight': null}]}");

        assertThat(topology.picks()).isEqualTo(100_000);
        assertThat(topology.callers()).isNull();
        assertThat(topology.endpoints().get(0).weight()).isEqualTo(1);
    }

    @Test
    void wholeNumbersMayBeWrittenWithAFractionOfZero() throws InputException {
        Topology topology = parse("{'caller': {'region': 'r1', 'zone': 'r1-a'}, 'picks': 2.0, 'callers': [],"
                + " 'policy': {'minClusterSize': 3.0, 'endpointStrategy': 'Weighted-Round-Robin'},"
                + " 'endpoints': [{'id': 'e1', 'region': 'r1', 'zone': 'r1-b', 'weight': 5.0, 'health': 'WARNING'}]}");

        assertThat(topology.picks()).isEqualTo(2);
        assertThat(topology.callers()).isEmpty();
        assertThat(topology.policy().minClusterSize()).isEqualTo(3);
        assertThat(topology.endpoints().get(0).weight()).isEqualTo(5);
        assertThat(topology.endpoints().get(0).health()).isEqualTo(HealthStatus.WARNING);
    }
}
