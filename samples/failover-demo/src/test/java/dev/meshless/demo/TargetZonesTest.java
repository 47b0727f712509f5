package dev.meshless.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Where the drill expects traffic to go after each kind of fault. */
class TargetZonesTest {

    private static final Scenario SCENARIO = ScenarioReader.read(new ByteArrayInputStream("""
            caller:
              region: r1
              zone: r1-a
            upstream:
              regions: [r1, r2]
              zones-per-region: 3
              instances-per-zone: 2
            phases:
              - name: steady
            """.getBytes(StandardCharsets.UTF_8)), "drill.yaml");

    private static Scenario.Action slow(String target) {
        return new Scenario.Action(Scenario.Kind.SLOW, target, Duration.ofSeconds(2), 0);
    }

    private static Scenario.Action refuse(String target) {
        return new Scenario.Action(Scenario.Kind.REFUSE, target, Duration.ZERO, 0);
    }

    @Test
    void aHealthyCallersZoneIsTheOnlyTarget() throws Exception {
        try (UpstreamFleet fleet = new UpstreamFleet(SCENARIO)) {
            assertThat(FailoverDemo.targetZones(SCENARIO, fleet)).containsExactly("r1-a");
        }
    }

    @Test
    void aPartlyHealthyCallersZoneKeepsPartOfItsTrafficAndSpillsTheRestInItsRegion() throws Exception {
        try (UpstreamFleet fleet = new UpstreamFleet(SCENARIO)) {
            fleet.apply(slow("r1-a-0"));

            assertThat(FailoverDemo.targetZones(SCENARIO, fleet)).containsExactly("r1-a", "r1-b", "r1-c");
        }
    }

    @Test
    void aLostZoneSendsTrafficToItsRegionAndALostRegionToTheOthers() throws Exception {
        try (UpstreamFleet fleet = new UpstreamFleet(SCENARIO)) {
            fleet.apply(refuse("r1-a"));
            assertThat(FailoverDemo.targetZones(SCENARIO, fleet)).containsExactly("r1-b", "r1-c");

            fleet.apply(refuse("r1"));
            assertThat(FailoverDemo.targetZones(SCENARIO, fleet)).containsExactly("r2-a", "r2-b", "r2-c");
        }
    }
}
