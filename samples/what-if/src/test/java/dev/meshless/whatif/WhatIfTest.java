package dev.meshless.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The command line: help, the JSON shape on stdout, and YAML read like JSON. */
class WhatIfTest {

    private static final String TOPOLOGY_JSON = """
            {"caller": {"region": "r1", "zone": "r1-a"},
             "policy": {"regionOrder": ["r1", "r2"], "endpointStrategy": "random"},
             "callers": [{"region": "r1", "zone": "r1-a", "count": 4}, {"region": "r1", "zone": "r1-b", "count": 2}],
             "endpoints": [{"id": "a1", "region": "r1", "zone": "r1-a", "weight": 2},
                           {"id": "a2", "region": "r1", "zone": "r1-a", "health": "critical"},
                           {"id": "b1", "region": "r1", "zone": "r1-b", "ejected": false},
                           {"id": "c1", "region": "r2", "zone": "r2-a", "health": "warning"}],
             "unavailableZones": [{"region": "r2", "zone": "r2-b"}],
             "picks": 0}
            """;

    private static final String TOPOLOGY_YAML = """
            # the same topology as TOPOLOGY_JSON
            caller:
              region: r1
              zone: r1-a
            policy:
              regionOrder: [r1, r2]
              endpointStrategy: random
            callers:
              - {region: r1, zone: r1-a, count: 4}
              - {region: r1, zone: r1-b, count: 2}
            endpoints:
              - {id: a1, region: r1, zone: r1-a, weight: 2}
              - {id: a2, region: r1, zone: r1-a, health: critical}
              - {id: b1, region: r1, zone: r1-b, ejected: false}
              - {id: c1, region: r2, zone: r2-a, health: warning}
            unavailableZones:
              - region: r2
                zone: r2-b
            picks: 0
            """;

    @TempDir
    Path dir;

    @Test
    void helpExplainsBothModesOnStdoutAndExitsZero() {
        Cli.Result result = Cli.run("--help");

        assertThat(result.exitCode()).isEqualTo(WhatIf.EXIT_OK);
        assertThat(result.stderr()).isEmpty();
        assertThat(result.stdout()).startsWith(WhatIf.USAGE_LINE)
                .contains("picks > 0 (default 100000)", "calls pick() that many times", "picks = 0",
                        "exact: reports the routing plan's shares");
    }

    @Test
    void answerHasTheDocumentedFieldsInOrderWithTheirTypes() {
        JsonNode answer = Cli.runFile(dir, "t.json", TOPOLOGY_JSON).json();

        assertThat(answer.propertyNames())
                .containsExactly("byTier", "byZone", "byRegion", "byEndpoint", "panic", "panicTiers", "regionOrder");
        for (String map : List.of("byTier", "byZone", "byRegion", "byEndpoint")) {
            assertThat(answer.get(map).isObject()).as(map).isTrue();
            assertThat(answer.get(map).values()).as(map).isNotEmpty().allMatch(JsonNode::isDouble);
        }
        assertThat(answer.get("panic").isBoolean()).isTrue();
        assertThat(answer.get("panicTiers").isArray()).isTrue();
        assertThat(answer.get("regionOrder").isArray()).isTrue();
    }

    @Test
    void theFailoverDrillsTopologySectionDescribesTheUpstream() {
        String drill = """
                caller: {region: r1, zone: r1-a}
                upstream:
                  regions: [r1, r3, r2]
                  zones: {r1-a: 1, r1-b: 4, r2-a: 2, r3-a: 1}
                unavailableZones: [{region: r1, zone: r1-a}, {region: r1, zone: r1-b}]
                picks: 0
                """;

        Cli.Result result = Cli.runFile(dir, "drill.yaml", drill);

        assertThat(result.shares("byEndpoint").keySet())
                .containsExactly("r1-a-0", "r1-b-0", "r1-b-1", "r1-b-2", "r1-b-3", "r2-a-0", "r2-a-1", "r3-a-0");
        // No region order: the regions after r1 are their own tiers, by name (nothing measured).
        assertThat(result.json().get("regionOrder").values()).extracting(JsonNode::asString)
                .containsExactly("r2", "r3");
        assertThat(result.shares("byRegion")).containsEntry("r2", 1.0).containsEntry("r3", 0.0);
    }

    @Test
    void stdoutHoldsOneJsonDocumentAndNothingElse() {
        Cli.Result result = Cli.runFile(dir, "t.json", TOPOLOGY_JSON);

        assertThat(result.stdout()).endsWith("}" + System.lineSeparator());
        try (JsonParser parser = JsonMapper.builder().build().createParser(result.stdout())) {
            assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            parser.skipChildren();
            assertThat(parser.nextToken()).as("content after the answer").isNull();
        }
    }

    @Test
    void keysFollowTierOrderThenPlanOrder() {
        Cli.Result result = Cli.runFile(dir, "t.json", TOPOLOGY_JSON);

        assertThat(result.shares("byTier").keySet()).containsExactly("0", "1", "2");
        assertThat(result.shares("byZone").keySet()).containsExactly("r1-a", "r1-b", "r2-a");
        assertThat(result.shares("byRegion").keySet()).containsExactly("r1", "r2");
        assertThat(result.shares("byEndpoint").keySet()).containsExactly("a1", "a2", "b1", "c1");
    }

    @Test
    void yamlDescribesTheSameTopologyAsJson() {
        String fromJson = Cli.runFile(dir, "t.json", TOPOLOGY_JSON).stdout();

        assertThat(fromJson).contains("byTier");
        assertThat(Cli.runFile(dir, "t.yaml", TOPOLOGY_YAML).stdout()).isEqualTo(fromJson);
        assertThat(Cli.runFile(dir, "t.yml", TOPOLOGY_YAML).stdout()).isEqualTo(fromJson);
        assertThat(Cli.runFile(dir, "T.YAML", TOPOLOGY_YAML).stdout()).isEqualTo(fromJson);
    }

    @Test
    void otherExtensionsAreReadAsJson() {
        Cli.Result result = Cli.runFile(dir, "topology.txt", TOPOLOGY_YAML);

        assertThat(result.exitCode()).isEqualTo(WhatIf.EXIT_BAD_INPUT);
        assertThat(result.stderr()).startsWith("error: malformed JSON in");
    }
}
