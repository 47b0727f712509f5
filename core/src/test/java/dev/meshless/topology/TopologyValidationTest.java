package dev.meshless.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad localities and endpoints are rejected with the field and the value named. */
class TopologyValidationTest {

    private static Endpoint.Builder valid() {
        return Endpoint.builder("inventory", "i-1").address("10.0.0.1", 8080).locality("r1", "r1-a");
    }

    @Test
    void blankRegionOrZoneIsRejected() {
        assertThatThrownBy(() -> Locality.of(" ", "a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("region must be a non-blank name, but was ' '");
        assertThatThrownBy(() -> Locality.of("r1", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("zone must be a non-blank name, but was null");
        assertThatThrownBy(() -> Locality.of("r1", "a", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("subZone must be null or a non-blank name, but was ''");
    }

    @Test
    void subZoneIsIgnoredWhenComparingZones() {
        Locality rack = Locality.of("r1", "r1-a", "rack-1");

        assertThat(rack.sameZoneAs(Locality.of("r1", "r1-a"))).isTrue();
        assertThat(rack.withoutSubZone()).isEqualTo(Locality.of("r1", "r1-a"));
        assertThat(rack).isNotEqualTo(Locality.of("r1", "r1-a"));
        assertThat(rack).hasToString("r1/r1-a/rack-1");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536})
    void portOutsideTheTcpRangeIsRejected(int port) {
        assertThatThrownBy(() -> valid().address("10.0.0.1", port).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint 'i-1' port must be between 1 and 65535, but was " + port);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -3, Endpoint.MAX_WEIGHT + 1})
    void weightOutsideTheRangeIsRejected(int weight) {
        assertThatThrownBy(() -> valid().weight(weight).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint 'i-1' weight must be between 1 and 1000000, but was " + weight);
    }

    @Test
    void missingFieldsAreNamed() {
        assertThatThrownBy(() -> Endpoint.builder("inventory", "").build())
                .hasMessage("endpoint id must be a non-blank name, but was ''");
        assertThatThrownBy(() -> Endpoint.builder("inventory", "i-1").locality("r1", "a").build())
                .hasMessage("endpoint 'i-1' host must be a non-blank name, but was null");
        assertThatThrownBy(() -> Endpoint.builder("inventory", "i-1").address("h", 1).build())
                .hasMessage("endpoint 'i-1' locality must be set");
    }

    @Test
    void healthParsesTheConfigurationWordsAndNamesTheFieldOtherwise() {
        assertThat(HealthStatus.parse("health", " Passing ")).isEqualTo(HealthStatus.PASSING);
        assertThat(HealthStatus.parse("health", "CRITICAL")).isEqualTo(HealthStatus.CRITICAL);
        assertThatThrownBy(() -> HealthStatus.parse("endpoints[2].health", "ok"))
                .hasMessage("endpoints[2].health must be one of passing, warning, critical, but was 'ok'");
    }

    @Test
    void endpointsAreValuesAndCopyTheirMetadata() {
        java.util.Map<String, String> meta = new java.util.HashMap<>(java.util.Map.of("zone", "r1-a"));
        Endpoint e = valid().metadata(meta).build();
        meta.put("zone", "changed");

        assertThat(e.metadata()).containsEntry("zone", "r1-a");
        assertThat(e.toBuilder().build()).isEqualTo(e).hasSameHashCodeAs(e);
        assertThat(e.toBuilder().weight(2).build()).isNotEqualTo(e);
        assertThat(e.address()).isEqualTo("10.0.0.1:8080");
    }
}
