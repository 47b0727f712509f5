package dev.meshless.whatif;

import static dev.meshless.whatif.ExamplesTest.assertShares;
import static dev.meshless.whatif.ExamplesTest.shares;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** What the simulator reports for each input the balancer reacts to, through the real balancer. */
class SimulationTest {

    @TempDir
    Path dir;

    /** A topology with caller r1/r1-a, the given extra fields and endpoints, and {@code picks: 0}. */
    private Cli.Result exact(String extra, String endpoints) {
        return Cli.runFile(dir, "t.json", topology(extra, endpoints, 0));
    }

    private static String topology(String extra, String endpoints, int picks) {
        return ("{'caller': {'region': 'r1', 'zone': 'r1-a'}, " + extra + (extra.isEmpty() ? "" : ", ")
                + "'endpoints': [" + endpoints + "], 'picks': " + picks + "}").replace('\'', '"');
    }

    private static String endpoint(String id, String region, String zone, String more) {
        return "{'id': '" + id + "', 'region': '" + region + "', 'zone': '" + zone + "'"
                + (more.isEmpty() ? "" : ", " + more) + "}";
    }

    /** Two endpoints in r1-a (the second with {@code second}) and two healthy ones in r1-b. */
    private static String twoZones(String second) {
        return String.join(", ", endpoint("a1", "r1", "r1-a", ""), endpoint("a2", "r1", "r1-a", second),
                endpoint("b1", "r1", "r1-b", ""), endpoint("b2", "r1", "r1-b", ""));
    }

    @Test
    void panicSpreadsTheTiersShareOverAllItsEndpointsAndNamesTheTier() {
        JsonNode answer = exact("", String.join(", ", endpoint("a1", "r1", "r1-a", ""),
                endpoint("a2", "r1", "r1-a", "'health': 'critical'"),
                endpoint("a3", "r1", "r1-a", "'health': 'critical'"))).json();

        assertThat(answer.get("panic").booleanValue()).isTrue();
        assertThat(answer.get("panicTiers").values()).extracting(JsonNode::intValue).containsExactly(0);
        for (String id : new String[] {"a1", "a2", "a3"}) {
            assertThat(answer.get("byEndpoint").get(id).doubleValue()).isCloseTo(1 / 3.0, within(1e-12));
        }
    }

    @Test
    void unroutablePlanIsAnAnswerWithEmptyMapsAndTheReason() {
        Cli.Result result = exact("'policy': {'panicThreshold': 0}",
                endpoint("a1", "r1", "r1-a", "'health': 'critical'"));
        JsonNode answer = result.json();

        assertThat(answer.propertyNames()).containsExactly("byTier", "byZone", "byRegion", "byEndpoint", "panic",
                "panicTiers", "regionOrder", "unroutable");
        assertThat(answer.get("byTier").isEmpty()).isTrue();
        assertThat(answer.get("byZone").isEmpty()).isTrue();
        assertThat(answer.get("byRegion").isEmpty()).isTrue();
        assertThat(answer.get("byEndpoint").isEmpty()).isTrue();
        assertThat(answer.get("panic").booleanValue()).isFalse();
        assertThat(answer.get("panicTiers").isEmpty()).isTrue();
        assertThat(answer.get("unroutable").stringValue()).contains("panic is disabled");
    }

    @Test
    void ejectedEndpointLeavesItsZoneHalfHealthySoThirtyPercentSpills() {
        Cli.Result result = exact("", twoZones("'ejected': true"));

        assertShares(result.shares("byZone"), shares("r1-a", 0.7, "r1-b", 0.3), 1e-12);
        assertThat(result.shares("byEndpoint")).containsEntry("a2", 0.0);
    }

    @Test
    void unavailableZoneSendsEverythingToTheNextTier() {
        Cli.Result result = exact("'unavailableZones': [{'region': 'r1', 'zone': 'r1-a'}]", twoZones(""));

        assertShares(result.shares("byTier"), shares("0", 0.0, "1", 1.0), 1e-12);
        assertShares(result.shares("byZone"), shares("r1-a", 0.0, "r1-b", 1.0), 1e-12);
    }

    @Test
    void weightsSplitAZonesShare() {
        Cli.Result result = exact("", String.join(", ", endpoint("a1", "r1", "r1-a", "'weight': 3"),
                endpoint("a2", "r1", "r1-a", "")));

        assertShares(result.shares("byEndpoint"), shares("a1", 0.75, "a2", 0.25), 1e-12);
    }

    @Test
    void warningCountsAsHealthyUnlessThePolicySaysOtherwise() {
        String endpoints = twoZones("'health': 'warning'");

        assertThat(exact("", endpoints).shares("byZone")).containsEntry("r1-a", 1.0);
        assertThat(exact("'policy': {'warningIsHealthy': false}", endpoints).shares("byZone").get("r1-a"))
                .isCloseTo(0.7, within(1e-12));
    }

    @Test
    void zoneNamesSharedByTwoRegionsAreKeyedByRegionAndZone() {
        Cli.Result result = exact("", String.join(", ", endpoint("x1", "r1", "a", ""), endpoint("x2", "r1", "b", ""),
                endpoint("x3", "r2", "a", "")));

        assertThat(result.shares("byZone").keySet()).containsExactly("r1/a", "b", "r2/a");
    }

    @Test
    void excludedRegionsAreListedWithZeroShares() {
        Cli.Result result = exact("'policy': {'regionOrder': ['r1'], 'excludeUnlistedRegions': true}",
                String.join(", ", endpoint("a1", "r1", "r1-a", "'health': 'critical'"),
                        endpoint("z1", "r9", "r9-a", ""), endpoint("b1", "r1", "r1-b", "")));

        assertShares(result.shares("byTier"), shares("0", 0.0, "1", 1.0), 1e-12);
        assertShares(result.shares("byZone"), shares("r1-a", 0.0, "r1-b", 1.0, "r9-a", 0.0), 1e-12);
        assertShares(result.shares("byRegion"), shares("r1", 1.0, "r9", 0.0), 1e-12);
        assertShares(result.shares("byEndpoint"), shares("a1", 0.0, "b1", 1.0, "z1", 0.0), 1e-12);
    }

    @Test
    void tierNumbersAreKeptWhenTheCallersZoneHasNoEndpoints() {
        Cli.Result result = Cli.runFile(dir, "t.json", topology("", endpoint("b1", "r1", "r1-b", ""), 0)
                .replace("\"zone\": \"r1-a\"}, ", "\"zone\": \"r1-z\"}, "));

        assertShares(result.shares("byTier"), shares("1", 1.0), 1e-12);
    }

    @Test
    void withoutCallersCapacityAwareRoutingHasNothingToWorkWith() {
        String crowded = "'callers': [{'region': 'r1', 'zone': 'r1-a', 'count': 4},"
                + " {'region': 'r1', 'zone': 'r1-b', 'count': 2}]";
        String upstream = twoZones("");

        assertThat(exact(crowded, upstream).shares("byZone").get("r1-a")).isCloseTo(0.75, within(1e-12));
        assertThat(exact("", upstream).shares("byZone")).containsEntry("r1-a", 1.0);
    }

    @Test
    void sampledFractionsAreCountsOverPicksAndFollowThePlan() {
        String endpoints = twoZones("'health': 'critical'");
        String policy = "'policy': {'endpointStrategy': 'weighted-round-robin'}";
        Map<String, Double> planned = exact(policy, endpoints).shares("byEndpoint");

        Map<String, Double> sampled = Cli.runFile(dir, "t.json", topology(policy, endpoints, 40_000))
                .shares("byEndpoint");

        assertShares(sampled, planned, 0.01);
        sampled.values().forEach(share -> assertThat(share * 40_000).as("a count over 40 000 picks")
                .isCloseTo(Math.rint(share * 40_000), within(1e-6)));
    }
}
