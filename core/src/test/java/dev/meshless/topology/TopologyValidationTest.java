package dev.meshless.topology;

import static dev.meshless.testing.Invalid.assertInvalid;
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
        assertInvalid(() -> Locality.of(" ", "a"), "region", " ", "must be a non-blank name");
        assertThatThrownBy(() -> Locality.of(" ", "a")).hasMessage("region must be a non-blank name, but was ' '");
        assertInvalid(() -> Locality.of("r1", null), "zone", null, "must be a non-blank name");
        assertInvalid(() -> Locality.of("r1", "a", ""), "subZone", "", "must be null or a non-blank name");
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
        assertInvalid(() -> valid().address("10.0.0.1", port).build(), "port", port, "must be between 1 and 65535");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -3, Endpoint.MAX_WEIGHT + 1})
    void weightOutsideTheRangeIsRejected(int weight) {
        assertInvalid(() -> valid().weight(weight).build(), "weight", weight, "must be between 1 and 1000000");
    }

    @Test
    void missingFieldsAreNamed() {
        assertInvalid(() -> Endpoint.builder("inventory", "").build(), "id", "", "must be a non-blank name");
        assertInvalid(() -> Endpoint.builder("inventory", "i-1").locality("r1", "a").build(), "host", null,
                "must be a non-blank name");
        assertInvalid(() -> Endpoint.builder("inventory", "i-1").address("h", 1).build(), "locality", null,
                "must be set");
    }

    @Test
    void healthParsesTheConfigurationWordsAndNamesTheFieldOtherwise() {
        assertThat(HealthStatus.parse("health", " Passing ")).isEqualTo(HealthStatus.PASSING);
        assertThat(HealthStatus.parse("health", "CRITICAL")).isEqualTo(HealthStatus.CRITICAL);
        assertInvalid(() -> HealthStatus.parse("endpoints[2].health", "ok"), "endpoints[2].health", "ok",
                "must be one of passing, warning, critical");
        assertThatThrownBy(() -> HealthStatus.parse("health", "ok"))
                .hasMessage("health must be one of passing, warning, critical, but was ok");
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

    @Test
    void hostAndPortAreWrittenWithAnIpv6HostInBrackets() {
        assertThat(Endpoint.hostPort("10.0.0.1", 8080)).isEqualTo("10.0.0.1:8080");
        assertThat(Endpoint.hostPort("inventory.internal", 80)).isEqualTo("inventory.internal:80");
        assertThat(Endpoint.hostPort("2001:db8::1", 8080)).isEqualTo("[2001:db8::1]:8080");
        assertThat(Endpoint.hostPort("[2001:db8::1]", 8080)).as("already bracketed").isEqualTo("[2001:db8::1]:8080");
        assertThat(Endpoint.hostPort("fe80::1%eth0", 80)).isEqualTo("[fe80::1%eth0]:80");
        Endpoint v6 = valid().address("2001:db8::1", 8443).build();
        assertThat(v6.address()).isEqualTo("[2001:db8::1]:8443");
        assertThat(v6.toString()).contains("@[2001:db8::1]:8443 ");
    }
}
