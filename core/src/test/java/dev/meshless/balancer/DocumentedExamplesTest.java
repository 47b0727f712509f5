package dev.meshless.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meshless.registry.StaticRegistry;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the worked-example tables of {@code docs/load-balancing.md} against the balancer, so the
 * documentation and the code cannot disagree.
 */
class DocumentedExamplesTest {

    private static final double PERCENT_TOLERANCE = 0.0001;
    private static final String[][] TIER_ZONES = {{"r1", "r1-a"}, {"r1", "r1-b"}, {"r2", "r2-a"}, {"r3", "r3-a"}};

    @TestFactory
    Stream<DynamicTest> spilloverExamples() throws IOException {
        List<String[]> rows = table("spillover");
        assertThat(rows).as("spillover examples in the doc").hasSizeGreaterThanOrEqualTo(8);
        return rows.stream().map(row -> DynamicTest.dynamicTest(row[0], () -> {
            double[] healthy = percents(row[1]);
            LoadBalancingPolicy policy = LoadBalancingPolicy.builder()
                    .overprovisioningFactor(Double.parseDouble(row[2]))
                    .panicThresholdPercent(percents(row[3])[0] * 100)
                    .regionOrder("r2", "r3")
                    .build();
            List<Endpoint> endpoints = new ArrayList<>();
            for (int t = 0; t < healthy.length; t++) {
                endpoints.addAll(tier(t, healthy[t]));
            }
            RoutingPlan plan = balancer(StaticRegistry.of(endpoints), null, policy).plan();

            if (row[4].equals("unroutable")) {
                assertThat(plan.routable()).isFalse();
            } else {
                double[] expected = percents(row[4]);
                for (int t = 0; t < expected.length; t++) {
                    assertThat(plan.tierShare(t)).as("tier %d share", t).isCloseTo(expected[t], within(PERCENT_TOLERANCE));
                }
            }
            List<Integer> panic = row[5].equals("none") ? List.of()
                    : Arrays.stream(row[5].split(",")).map(String::trim).map(Integer::valueOf).toList();
            assertThat(plan.panicTiers()).isEqualTo(panic);
        }));
    }

    @TestFactory
    Stream<DynamicTest> zoneAwareExamples() throws IOException {
        List<String[]> rows = table("zone-aware");
        assertThat(rows).as("zone-aware examples in the doc").hasSizeGreaterThanOrEqualTo(4);
        return rows.stream().map(row -> DynamicTest.dynamicTest(row[0], () -> {
            int[] callers = ints(row[1]);
            int[] upstream = ints(row[2]);
            double[] expected = percents(row[3]);
            List<Endpoint> endpoints = new ArrayList<>();
            String[] zones = {"r1-a", "r1-b", "r1-c"};
            for (int z = 0; z < 3; z++) {
                for (int i = 0; i < upstream[z]; i++) {
                    endpoints.add(Endpoint.builder("svc", zones[z] + "-" + i).address("10.0.0.1", 1000 + 10 * z + i)
                            .locality("r1", zones[z]).build());
                }
                for (int i = 0; i < callers[z]; i++) {
                    endpoints.add(Endpoint.builder("caller", zones[z] + "-c" + i).address("10.0.1.1", 1000 + 10 * z + i)
                            .locality("r1", zones[z]).build());
                }
            }
            RoutingPlan plan = balancer(StaticRegistry.of(endpoints), "caller", LoadBalancingPolicy.defaults()).plan();

            for (int z = 0; z < 3; z++) {
                assertThat(plan.shareByZone().getOrDefault(Locality.of("r1", zones[z]), 0.0)).as("zone %s", zones[z])
                        .isCloseTo(expected[z], within(PERCENT_TOLERANCE));
            }
        }));
    }

    private static LocalityLoadBalancer balancer(StaticRegistry registry, String callerService,
                                                 LoadBalancingPolicy policy) {
        return LocalityLoadBalancer.builder("svc").registry(registry).caller(Locality.of("r1", "r1-a"))
                .callerService(callerService).policy(policy).build();
    }

    /** One tier: a healthy and an unhealthy endpoint whose weights give exactly the healthy fraction. */
    private static List<Endpoint> tier(int t, double healthyFraction) {
        int healthyWeight = (int) Math.round(healthyFraction * 10_000);
        List<Endpoint> list = new ArrayList<>();
        if (healthyWeight > 0) {
            list.add(endpoint(t, "up", healthyWeight, HealthStatus.PASSING));
        }
        if (healthyWeight < 10_000) {
            list.add(endpoint(t, "down", 10_000 - healthyWeight, HealthStatus.CRITICAL));
        }
        return list;
    }

    private static Endpoint endpoint(int tier, String name, int weight, HealthStatus health) {
        return Endpoint.builder("svc", "t" + tier + "-" + name).address("10.0.0.1", 1000 + tier)
                .locality(TIER_ZONES[tier][0], TIER_ZONES[tier][1]).weight(weight).health(health).build();
    }

    private static double[] percents(String cell) {
        return Arrays.stream(cell.split(",")).map(String::trim)
                .mapToDouble(s -> Double.parseDouble(s.replace("%", "")) / 100.0).toArray();
    }

    private static int[] ints(String cell) {
        return Arrays.stream(cell.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    /** Rows of the table between {@code <!-- examples:NAME -->} and {@code <!-- /examples -->}. */
    static List<String[]> table(String name) throws IOException {
        List<String> lines = Files.readAllLines(doc());
        int start = lines.indexOf("<!-- examples:" + name + " -->");
        assertThat(start).as("marker for %s examples", name).isNotNegative();
        List<String[]> rows = new ArrayList<>();
        for (int i = start + 3; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String line = lines.get(i).trim();
            String[] cells = line.substring(1, line.length() - 1).split("\\|");
            for (int c = 0; c < cells.length; c++) {
                cells[c] = cells[c].trim();
            }
            rows.add(cells);
        }
        return rows;
    }

    private static Path doc() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/load-balancing.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("docs/load-balancing.md above %s", Path.of("").toAbsolutePath()).isNotNull();
        return dir.resolve("docs/load-balancing.md");
    }
}
