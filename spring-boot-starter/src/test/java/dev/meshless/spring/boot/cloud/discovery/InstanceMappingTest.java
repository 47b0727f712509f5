package dev.meshless.spring.boot.cloud.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

/** How a Spring Cloud service instance becomes a Meshless endpoint. */
class InstanceMappingTest {

    private final InstanceMapping mapping = new InstanceMapping("zone", "region", "r1");

    @Test
    void localityComesFromTheConfiguredMetadataKeys() {
        InstanceMapping custom = new InstanceMapping("topology.kubernetes.io/zone", "topology.kubernetes.io/region",
                null);

        Endpoint e = custom.endpoint("inventory", instance("i-1", "10.0.0.1", 8080,
                Map.of("topology.kubernetes.io/zone", "eu-west-1a", "topology.kubernetes.io/region", "eu-west-1")));

        assertThat(e.locality()).isEqualTo(Locality.of("eu-west-1", "eu-west-1a"));
    }

    @Test
    void withoutMetadataTheRegionIsTheDefaultAndTheZoneIsUnknown() {
        Endpoint e = mapping.endpoint("inventory", instance("i-1", "10.0.0.1", 8080, Map.of()));

        assertThat(e.locality()).isEqualTo(Locality.of("r1", InstanceMapping.UNKNOWN_ZONE));
        assertThat(new InstanceMapping("zone", "region", null).endpoint("inventory",
                instance("i-1", "10.0.0.1", 8080, Map.of())).locality().region())
                .isEqualTo(InstanceMapping.UNKNOWN_REGION);
    }

    @Test
    void theIdIsTheInstanceIdOrHostAndPort() {
        assertThat(mapping.endpoint("inventory", instance("i-1", "10.0.0.1", 8080, Map.of())).id()).isEqualTo("i-1");
        assertThat(mapping.endpoint("inventory", instance(null, "10.0.0.1", 8080, Map.of())).id())
                .isEqualTo("10.0.0.1:8080");
        assertThat(mapping.endpoint("inventory", instance(null, "2001:db8::1", 8080, Map.of())).id())
                .isEqualTo("[2001:db8::1]:8080");
    }

    @Test
    void aNumericWeightIsReadAndKeptInRange() {
        assertThat(weight("3")).isEqualTo(3);
        assertThat(weight(" 7 ")).isEqualTo(7);
        assertThat(weight("0")).isEqualTo(1);
        assertThat(weight("99999999999")).isEqualTo(Endpoint.MAX_WEIGHT);
        assertThat(weight("heavy")).isEqualTo(1);
    }

    @Test
    void metadataIsKeptAndASecureInstanceSaysSo() {
        ServiceInstance secure = new DefaultServiceInstance("i-1", "inventory", "10.0.0.1", 0, true,
                Map.of("version", "2"));

        Endpoint e = mapping.endpoint("inventory", secure);

        assertThat(e.metadata()).containsEntry("version", "2").containsEntry("secure", "true");
        assertThat(e.port()).as("no port: the scheme's").isEqualTo(443);
    }

    @Test
    void instancesWithoutAHostAndRepeatedIdsAreLeftOut() {
        List<ServiceInstance> listed = List.of(instance("i-1", "10.0.0.1", 8080, Map.of()),
                instance("i-1", "10.0.0.2", 8080, Map.of()), instance("i-2", null, 8080, Map.of()));

        assertThat(mapping.endpoints("inventory", listed).endpoints()).extracting(Endpoint::host)
                .containsExactly("10.0.0.1");
        assertThat(mapping.endpoints("inventory", null).isEmpty()).isTrue();
    }

    private int weight(String value) {
        return mapping.endpoint("inventory", instance("i-1", "10.0.0.1", 8080, Map.of("weight", value))).weight();
    }

    private static ServiceInstance instance(String id, String host, int port, Map<String, String> metadata) {
        return new DefaultServiceInstance(id, "inventory", host, port, false, metadata);
    }
}
