package dev.meshless.sample.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs the sample's story and checks what it claims: local calls, then failover, and no failed call. */
class PlainJavaSampleTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @Test
    void callsStayInTheCallersZoneThenFailOverToTheNextZoneAndRegionWithoutAFailedCall() throws Exception {
        List<PlainJavaSample.Phase> phases = PlainJavaSample.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(phases).extracting(PlainJavaSample.Phase::name)
                .containsExactly("all zones up", "eu-west-1a down", "eu-west-1 down");
        assertThat(phases).as("calls that reached the program as an exception")
                .allSatisfy(p -> assertThat(p.failed()).isZero());

        PlainJavaSample.Phase up = phases.get(0);
        assertThat(up.answeredBy()).as("all zones up: every call answered in the caller's zone")
                .containsExactly(entry("eu-west-1a", 20));
        assertThat(up.attempts()).as("one attempt per call, all local").containsExactly(entry("eu-west-1a", 20));

        PlainJavaSample.Phase zoneDown = phases.get(1);
        int refused = zoneDown.attempts().getOrDefault("eu-west-1a", 0);
        assertThat(refused).as("refused attempts in the dead zone before outlier ejection and its breaker take it out")
                .isBetween(1, 10);
        // A refused connection sends the rest of its call out of its region: the retries of the refused
        // attempts go to the next region; once the zone is out, calls go to the region's other zone.
        assertThat(zoneDown.answeredBy()).as("caller's zone down: answered by the other zone of its region,"
                + " but for the retries of refused attempts").containsOnlyKeys("eu-west-1b", "eu-central-1a");
        assertThat(zoneDown.attempts().getOrDefault("eu-central-1a", 0)).isLessThanOrEqualTo(refused);
        assertThat(zoneDown.answeredBy().get("eu-west-1b")).isGreaterThanOrEqualTo(20 - refused);

        PlainJavaSample.Phase regionDown = phases.get(2);
        assertThat(regionDown.answeredBy()).as("caller's region down: answered by the next region")
                .containsExactly(entry("eu-central-1a", 20));
        assertThat(regionDown.attempts()).as("the zone that died first is not tried again")
                .doesNotContainKey("eu-west-1a");
        assertThat(regionDown.attempts().getOrDefault("eu-west-1b", 0)).isBetween(1, 10);

        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("all zones up:    20 calls, 0 failed; answered by {eu-west-1a=20}")
                .contains("eu-west-1 down:  20 calls, 0 failed; answered by {eu-central-1a=20}");
    }

    private static Map.Entry<String, Integer> entry(String zone, int n) {
        return Map.entry(zone, n);
    }
}
