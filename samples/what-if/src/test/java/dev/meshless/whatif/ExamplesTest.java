package dev.meshless.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bundled example gives the split the docs promise: exactly with {@code picks: 0}, and within
 * ±0.01 with the example's own sampled picks.
 */
class ExamplesTest {

    private static final List<String> ZONES = List.of("r1-a", "r1-b", "r1-c", "r2-a", "r2-b", "r2-c");

    @TempDir
    Path dir;

    /** What one example must show; shares not listed are 0, keys in output order. */
    record Expected(String example, Map<String, Double> byTier, Map<String, Double> byZone,
                    Map<String, Double> byRegion, Map<String, Double> byEndpoint) {
        @Override
        public String toString() {
            return example;
        }
    }

    static Stream<Expected> examples() {
        return Stream.of(
                new Expected("steady.json",
                        shares("0", 1.0, "1", 0.0, "2", 0.0),
                        zones(Map.of("r1-a", 1.0)),
                        shares("r1", 1.0, "r2", 0.0),
                        endpoints(ZONES, Map.of("r1-a-1", 0.5, "r1-a-2", 0.5))),
                new Expected("zone-a-degraded.json",
                        shares("0", 0.7, "1", 0.3, "2", 0.0),
                        zones(Map.of("r1-a", 0.7, "r1-b", 0.15, "r1-c", 0.15)),
                        shares("r1", 1.0, "r2", 0.0),
                        endpoints(ZONES, Map.of("r1-a-1", 0.7, "r1-b-1", 0.075, "r1-b-2", 0.075,
                                "r1-c-1", 0.075, "r1-c-2", 0.075))),
                new Expected("zone-a-down.json",
                        shares("0", 0.0, "1", 1.0, "2", 0.0),
                        zones(Map.of("r1-b", 0.5, "r1-c", 0.5)),
                        shares("r1", 1.0, "r2", 0.0),
                        endpoints(ZONES, Map.of("r1-b-1", 0.25, "r1-b-2", 0.25, "r1-c-1", 0.25, "r1-c-2", 0.25))),
                new Expected("region-r1-down.json",
                        shares("0", 0.0, "1", 0.0, "2", 1.0),
                        zones(Map.of("r2-a", 1 / 3.0, "r2-b", 1 / 3.0, "r2-c", 1 / 3.0)),
                        shares("r1", 0.0, "r2", 1.0),
                        endpoints(ZONES, Map.of("r2-a-1", 1 / 6.0, "r2-a-2", 1 / 6.0, "r2-b-1", 1 / 6.0,
                                "r2-b-2", 1 / 6.0, "r2-c-1", 1 / 6.0, "r2-c-2", 1 / 6.0))),
                new Expected("crowded-zone.yaml",
                        shares("0", 0.5, "1", 0.5),
                        shares("r1-a", 0.5, "r1-b", 0.25, "r1-c", 0.25),
                        shares("r1", 1.0),
                        endpoints(List.of("r1-a", "r1-b", "r1-c"), Map.of("r1-a-1", 0.25, "r1-a-2", 0.25,
                                "r1-b-1", 0.125, "r1-b-2", 0.125, "r1-c-1", 0.125, "r1-c-2", 0.125))));
    }

    @Test
    void everyBundledExampleHasAnExpectedSplit() {
        assertThat(examples().map(Expected::example))
                .containsExactlyInAnyOrderElementsOf(Cli.exampleNames());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exactPlanMatchesTheDocumentedSplit(Expected expected) {
        Cli.Result result = Cli.runExample(dir, expected.example(), 0);

        assertShares(result.shares("byTier"), expected.byTier(), 1e-12);
        assertShares(result.shares("byZone"), expected.byZone(), 1e-12);
        assertShares(result.shares("byRegion"), expected.byRegion(), 1e-12);
        assertShares(result.shares("byEndpoint"), expected.byEndpoint(), 1e-12);
        assertThat(result.json().get("panic").booleanValue()).isFalse();
        assertThat(result.json().get("panicTiers")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void sampledPicksAsTheExampleIsWrittenLandWithinOnePercentOfThePlan(Expected expected) {
        Cli.Result result = Cli.run(Cli.EXAMPLES.resolve(expected.example()).toString());

        assertShares(result.shares("byTier"), expected.byTier(), 0.01);
        assertShares(result.shares("byZone"), expected.byZone(), 0.01);
        assertShares(result.shares("byRegion"), expected.byRegion(), 0.01);
        assertShares(result.shares("byEndpoint"), expected.byEndpoint(), 0.01);
    }

    /** Same keys in the same order, each value close, and the shares sum to 1. */
    static void assertShares(Map<String, Double> actual, Map<String, Double> expected, double tolerance) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((key, share) -> assertThat(actual.get(key)).as(key).isCloseTo(share, within(tolerance)));
        assertThat(actual.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
    }

    static Map<String, Double> shares(Object... keysAndShares) {
        Map<String, Double> shares = new LinkedHashMap<>();
        for (int i = 0; i < keysAndShares.length; i += 2) {
            shares.put((String) keysAndShares[i], ((Number) keysAndShares[i + 1]).doubleValue());
        }
        return shares;
    }

    /** The six zones of the 2 × 3 examples in plan order, those not given at 0. */
    private static Map<String, Double> zones(Map<String, Double> nonZero) {
        Map<String, Double> shares = new LinkedHashMap<>();
        ZONES.forEach(z -> shares.put(z, nonZero.getOrDefault(z, 0.0)));
        return shares;
    }

    /** Endpoints {@code zone-1, zone-2} of each zone in plan order, those not given at 0. */
    private static Map<String, Double> endpoints(List<String> zones, Map<String, Double> nonZero) {
        Map<String, Double> shares = new LinkedHashMap<>();
        for (String zone : zones) {
            for (int n = 1; n <= 2; n++) {
                shares.put(zone + "-" + n, nonZero.getOrDefault(zone + "-" + n, 0.0));
            }
        }
        return shares;
    }
}
