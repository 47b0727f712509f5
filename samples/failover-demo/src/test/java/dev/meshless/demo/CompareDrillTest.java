package dev.meshless.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.demo.peer.SpringCloudCaller;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Issue 15: a short drill run by both callers side by side ({@code src/test/resources/compare-scenario.yaml}):
 * the caller's zone refuses connections, then heals. It checks that both callers produced their phases,
 * that the verdict is still the Meshless caller's alone, and that the spring-cloud caller's traffic went
 * through Spring Cloud LoadBalancer with zone preference (to its zone while it was healthy) and with
 * its settings listed. How well the peer does is reported, not asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompareDrillTest {

    private static final Path OUT = Path.of("target", "compare-drill");

    private DemoRun run;

    @BeforeAll
    void runTheDrill() throws IOException {
        run = DemoRun.of(OUT, "--scenario=src/test/resources/compare-scenario.yaml");
    }

    private JsonNode caller(String name) {
        for (JsonNode c : run.report().get("callers")) {
            if (c.get("name").asString().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no caller '" + name + "' in report.json");
    }

    @Test
    void bothCallersProducedEveryPhase() {
        assertThat(run.report().get("callers")).extracting(c -> c.get("name").asString())
                .containsExactly("meshless", "spring-cloud");
        for (JsonNode c : run.report().get("callers")) {
            assertThat(c.get("phases")).extracting(p -> p.get("name").asString())
                    .containsExactly("steady", "caller zone refuses connections", "caller zone recovers");
            for (JsonNode p : c.get("phases")) {
                assertThat(p.propertyNames()).contains("requests", "failed", "byZone", "sameZoneShare", "p50Ms",
                        "p99Ms", "errors");
                assertThat(p.get("requests").asLong()).as("%s: requests in %s", c.get("name"), p.get("name"))
                        .isPositive();
            }
            assertThat(c.get("seconds")).isNotEmpty();
        }
    }

    @Test
    void theTopLevelFieldsAndTheVerdictAreTheMeshlessCallers() {
        // The verdict's logic with another caller beside it is ReportTest's; here, that it reads Meshless's phases.
        JsonNode meshless = caller("meshless");
        assertThat(run.report().get("phases")).isEqualTo(meshless.get("phases"));
        List<String> violations = new ArrayList<>();
        run.report().get("violations").forEach(v -> violations.add(v.asString()));
        // The verdict reads the Meshless caller's phases only: whatever the peer did, no violation names it.
        assertThat(violations).noneMatch(v -> v.contains(SpringCloudCaller.NAME));
        assertThat(meshless.get("phases").get(0).has("probeAttempts")).isTrue();
        assertThat(caller("spring-cloud").get("phases").get(0).has("probeAttempts"))
                .as("probes are Meshless's meters").isFalse();
    }

    @Test
    void thePeerWentThroughSpringCloudLoadBalancerWithZonePreference() {
        JsonNode steady = caller("spring-cloud").get("phases").get(0);
        // Round robin over every instance would put a quarter of the traffic in r1-a; zone preference all of it.
        assertThat(steady.get("sameZoneShare").asDouble()).as("peer's share in r1-a while healthy: %s",
                steady.get("byZone")).isGreaterThan(0.9);
        JsonNode lost = caller("spring-cloud").get("phases").get(1);
        assertThat(lost.get("byZone").propertyNames()).as("the peer fails over somewhere")
                .containsAnyOf("r1-b", "r2-a", "r2-b");
    }

    @Test
    void thePeersSettingsAreListedWithTheirReasons() {
        List<String> keys = new ArrayList<>();
        for (JsonNode s : caller("spring-cloud").get("settings")) {
            keys.add(s.get("key").asString());
            assertThat(s.get("reason").asString()).as(s.get("key").asString()).isNotBlank();
            assertThat(s.get("link").asString()).as(s.get("key").asString()).isNotBlank();
        }
        assertThat(keys).contains("meshless.enabled", "spring.cloud.loadbalancer.zone",
                "spring.cloud.loadbalancer.health-check.interval",
                "spring.cloud.loadbalancer.retry.max-retries-on-next-service-instance",
                "resilience4j.timelimiter.configs.default.timeout-duration", "@CircuitBreaker(name = <service>)",
                "@Retry(name = <service>)");
        assertThat(caller("meshless").get("settings")).isNotEmpty();
    }

    @Test
    void theTerminalEndsWithTheTableOfBothCallers() {
        List<String> lines = run.console().lines().toList();
        List<String> table = lines.subList(lines.size() - 5, lines.size());
        assertThat(table.get(0)).startsWith("Phase").contains("meshless", "spring-cloud");
        assertThat(table.get(1)).contains("failed", "shift", "cross-zone", "p99");
        assertThat(table.get(2)).startsWith("1. steady");
        assertThat(table.get(4)).startsWith("3. caller zone recovers");
        assertThat(run.console()).contains("spring-cloud ").contains("meshless     ");
    }
}
