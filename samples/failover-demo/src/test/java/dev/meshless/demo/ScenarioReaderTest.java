package dev.meshless.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioReaderTest {

    private static final String VALID = """
            caller:
              region: r1
              zone: r1-a
            upstream:
              regions: [r1, r2]
              zones-per-region: 3
              instances-per-zone: 2
            load:
              rate: 50
            phase-duration: 3s
            phases:
              - name: steady
              - name: zone down
                duration: 5s
                actions:
                  - refuse: r1-a
              - name: slow instance
                actions:
                  - slow: r2-b-1
                    delay: 2s
              - name: errors
                actions:
                  - status: r1
                    code: 503
                  - registry: down
            """;

    private static Scenario parse(String yaml) {
        return ScenarioReader.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "drill.yaml");
    }

    @Test
    void readsTopologyLoadAndTimeline() {
        Scenario s = parse(VALID);

        assertThat(s.zones()).containsExactly("r1-a", "r1-b", "r1-c", "r2-a", "r2-b", "r2-c");
        assertThat(s.rate()).isEqualTo(50);
        assertThat(s.threads()).isEqualTo(256);
        assertThat(s.phases()).extracting(Scenario.Phase::duration)
                .containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(3));
        assertThat(s.phases().get(0).changesSomething()).isFalse();
        assertThat(s.phases().get(2).actions()).containsExactly(
                new Scenario.Action(Scenario.Kind.SLOW, "r2-b-1", Duration.ofSeconds(2), 0));
        assertThat(s.phases().get(3).actions()).containsExactly(
                new Scenario.Action(Scenario.Kind.STATUS, "r1", null, 503),
                new Scenario.Action(Scenario.Kind.REGISTRY, "down", null, 0));
        assertThat(s.duration()).isEqualTo(Duration.ofSeconds(14));
    }

    @Test
    void theBuiltInDrillIsTheIssuedTimeline() {
        Scenario s = ScenarioReader.builtIn();

        assertThat(s.regions()).containsExactly("r1", "r2");
        assertThat(s.zones()).hasSize(6);
        assertThat(s.zoneSizes()).containsOnlyKeys(s.zones()).allSatisfy((zone, n) -> assertThat(n).isEqualTo(2));
        assertThat(s.rate()).isEqualTo(200);
        assertThat(s.callerZone()).isEqualTo("r1-a");
        assertThat(s.services()).containsExactly("inventory", "pricing");
        assertThat(s.upstreams()).allSatisfy(u -> assertThat(u.zoneSizes()).isEqualTo(s.zoneSizes()));
        assertThat(s.phases()).extracting(Scenario.Phase::name).containsExactly("steady",
                "caller zone refuses connections", "caller zone recovers", "caller zone turns slow",
                "caller zone answers 503", "caller zone recovers again", "caller region down", "crossed failures",
                "region recovers", "registry unreachable", "all healthy");
        // The README's demo keeps its length: 100 s of phases, the first and last shortened to make room.
        assertThat(s.duration()).isEqualTo(Duration.ofSeconds(100));
        assertThat(s.phases().get(7).actions()).containsExactly(
                new Scenario.Action(Scenario.Kind.REFUSE, "r1", null, 0, "inventory", 0, null),
                new Scenario.Action(Scenario.Kind.REFUSE, "r2", null, 0, "pricing", 0, null));
    }

    @Test
    void zonesMayHaveDifferentSizesAndRegionListsAnyLength() {
        Scenario s = parse(VALID.replace("regions: [r1, r2]\n  zones-per-region: 3\n  instances-per-zone: 2",
                "regions: [r1, r2, r3]\n  zones: {r1-a: 1, r1-b: 4, r2-b: 2, r3-x: 3}"));

        assertThat(s.regions()).containsExactly("r1", "r2", "r3");
        assertThat(s.zoneSizes()).containsExactly(Map.entry("r1-a", 1), Map.entry("r1-b", 4), Map.entry("r2-b", 2),
                Map.entry("r3-x", 3));
        assertThat(s.instanceCount()).isEqualTo(10);
        assertThat(s.regionOf("r3-x")).isEqualTo("r3");
    }

    @Test
    void theCallersPolicyBecomesItsSettingsForTheUpstream() {
        Scenario s = parse(VALID.replace("zone: r1-a", """
                zone: r1-a
                  policy:
                    outlier-detection:
                      base-ejection-time: 2s
                    retry.max-attempts: 2"""));

        assertThat(s.callerPolicy()).containsExactly(Map.entry("outlier-detection.base-ejection-time", "2s"),
                Map.entry("retry.max-attempts", "2"));
        assertThat(parse(VALID).callerPolicy()).isEmpty();
    }

    @Test
    void callersDefaultToMeshlessAndMayAddTheSpringCloudCaller() {
        assertThat(parse(VALID).callers()).containsExactly("meshless");
        assertThat(parse(VALID).compares()).isFalse();

        Scenario both = parse(VALID.replace("phase-duration: 3s", "phase-duration: 3s\ncallers: [spring-cloud, meshless]"));

        assertThat(both.callers()).as("meshless runs first").containsExactly("meshless", "spring-cloud");
        assertThat(both.compares()).isTrue();
    }

    @Test
    void changingTheRateOrThePhasesKeepsTheCallersAndThePolicy() {
        Scenario s = parse(VALID.replace("zone: r1-a", "zone: r1-a\n  policy:\n    retry.max-attempts: 2")
                .replace("phase-duration: 3s", "phase-duration: 3s\ncallers: [meshless, spring-cloud]"));

        Scenario changed = s.withRate(10).withPhaseDuration(Duration.ofSeconds(1));

        assertThat(changed.callers()).containsExactly("meshless", "spring-cloud");
        assertThat(changed.callerPolicy()).containsExactly(Map.entry("retry.max-attempts", "2"));
        assertThat(changed.rate()).isEqualTo(10);
        assertThat(ScenarioReader.builtIn().withCallers(Scenario.CALLERS).compares()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown field            | 'phase-duration: 3s'   | 'phase-durations: 3s'   | drill.yaml: unknown field 'phase-durations'; expected one of
            caller outside topology  | 'zone: r1-a'           | 'zone: r3-a'            | drill.yaml: caller.zone must be one of the upstream's zones [r1-a, r1-b, r1-c, r2-a, r2-b, r2-c], but was 'r1/r3-a'
            unknown target           | 'refuse: r1-a'         | 'refuse: r9-z'          | drill.yaml: phases[1].actions[0].refuse must name a zone, a region, an instance or all, but was 'r9-z'
            slow without delay       | '    delay: 2s'        | '    pause: 2s'         | drill.yaml: unknown field 'phases[2].actions[0].pause'
            status code out of range | 'code: 503'            | 'code: 700'             | drill.yaml: phases[3].actions[0].code must be a whole number from 200 to 599, but was 700
            rate zero                | 'rate: 50'             | 'rate: 0'               | drill.yaml: load.rate must be a whole number from 1 to 5000, but was 0
            duration without unit    | 'phase-duration: 3s'   | 'phase-duration: 3'     | drill.yaml: phase-duration must be a duration such as 500ms, 10s or 2m, but was '3'
            registry sideways        | 'registry: down'       | 'registry: sideways'    | drill.yaml: phases[3].actions[1].registry must be down or up, but was 'sideways'
            two actions in one       | '- refuse: r1-a'       | '- refuse: r1-a\n        heal: r1-b' | drill.yaml: phases[1].actions[0] must hold one action, but holds
            blank phase name         | 'name: steady'         | 'name: \"\"'            | drill.yaml: phases[0].name must not be blank
            not YAML                 | 'regions: [r1, r2]'    | 'regions: [r1, r2'      | drill.yaml is not valid YAML at line
            zones and a uniform size | '  zones-per-region: 3'  | '  zones: {r1-a: 1, r2-a: 1}' | drill.yaml: upstream.instances-per-zone cannot be combined with upstream.zones
            zone outside the regions | '  zones-per-region: 3\n  instances-per-zone: 2' | '  zones: {r1-a: 1, r9-a: 2}' | drill.yaml: upstream.zones.r9-a must be named <region>-<zone> after one of the regions [r1, r2], but was 'r9-a'
            region without a zone    | '  zones-per-region: 3\n  instances-per-zone: 2' | '  zones: {r1-a: 1}' | drill.yaml: upstream.regions lists 'r2', but upstream.zones has no zone r2-...
            zone size out of range   | '  zones-per-region: 3\n  instances-per-zone: 2' | '  zones: {r1-a: 11, r2-a: 1}' | drill.yaml: upstream.zones.r1-a must be a whole number from 1 to 10, but was 11
            policy not a mapping     | 'zone: r1-a'           | 'zone: r1-a\n  policy: 2s' | drill.yaml: caller.policy must be a mapping of settings under meshless.services.upstream
            unknown caller           | 'phase-duration: 3s'   | 'phase-duration: 3s\ncallers: [meshless, istio]' | drill.yaml: callers[1] must be one of [meshless, spring-cloud], each once, but was 'istio'
            caller twice             | 'phase-duration: 3s'   | 'phase-duration: 3s\ncallers: [meshless, meshless]' | drill.yaml: callers[1] must be one of [meshless, spring-cloud], each once, but was 'meshless'
            callers not a list       | 'phase-duration: 3s'   | 'phase-duration: 3s\ncallers: spring-cloud' | drill.yaml: callers must be a non-empty list of [meshless, spring-cloud], but was \"spring-cloud\"
            callers without meshless | 'phase-duration: 3s'   | 'phase-duration: 3s\ncallers: [spring-cloud]' | drill.yaml: callers must include meshless, whose expectations the drill checks, but was [spring-cloud]
            policy value a list      | 'zone: r1-a'           | 'zone: r1-a\n  policy:\n    retry:\n      max-attempts: [3]' | drill.yaml: caller.policy.retry.max-attempts must be a value, but was [3]
            """)
    void badScenariosFailWithOneLineNamingTheProblem(String why, String from, String to, String message) {
        String yaml = VALID.replace(from, to.replace("\\n", "\n"));
        assertThat(yaml).as("the test's edit applies").isNotEqualTo(VALID);

        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ScenarioReader.BadScenarioException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private static final String SERVICES = """
            caller:
              region: r1
              zone: r1-a
            upstreams:
              inventory:
                regions: [r1, r2]
                zones: {r1-a: 2, r2-a: 2}
              pricing:
                regions: [r1, r2]
                zones: {r1-a: 1, r1-b: 1, r2-b: 3}
            phases:
              - name: crossed
                actions:
                  - refuse: r1
                  - refuse: r2-b
                    service: pricing
              - name: overload
                actions:
                  - capacity: r2-a-1
                    concurrency: 4
                    latency: 50ms
                  - capacity: all
                    service: pricing
                    concurrency: 1
            """;

    @Test
    void severalUpstreamsEachWithItsTopologyAndActionsNamingTheirService() {
        Scenario s = parse(SERVICES);

        assertThat(s.services()).containsExactly("inventory", "pricing");
        assertThat(s.upstream("pricing").zoneSizes()).containsExactly(Map.entry("r1-a", 1), Map.entry("r1-b", 1),
                Map.entry("r2-b", 3));
        assertThat(s.upstream(null).name()).as("the first").isEqualTo("inventory");
        assertThat(s.zoneSizes()).as("the first one's topology heads the report").isEqualTo(
                s.upstream("inventory").zoneSizes());
        assertThat(s.phases().get(0).actions()).containsExactly(
                new Scenario.Action(Scenario.Kind.REFUSE, "r1", null, 0),
                new Scenario.Action(Scenario.Kind.REFUSE, "r2-b", null, 0, "pricing", 0, null));
        assertThat(s.phases().get(1).actions()).containsExactly(
                new Scenario.Action(Scenario.Kind.CAPACITY, "r2-a-1", null, 0, null, 4, Duration.ofMillis(50)),
                new Scenario.Action(Scenario.Kind.CAPACITY, "all", null, 0, "pricing", 1, null));
        assertThat(s.phases().get(1).actions()).allMatch(Scenario.Action::fault);
    }

    @Test
    void aListOfUpstreamsSharesTheUpstreamSection() {
        Scenario s = parse(VALID.replace("upstream:", "upstreams: [pricing, upstream]\nupstream:"));

        assertThat(s.services()).containsExactly("pricing", "upstream");
        assertThat(s.upstreams()).allSatisfy(u -> assertThat(u.zones()).hasSize(6));
        assertThat(parse(VALID).services()).containsExactly("upstream");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            service the caller lacks | 'pricing:'              | 'billing:'              | drill.yaml: upstreams.billing must be a service the drill's caller calls, once: one of [upstream, inventory, pricing], but was 'billing'
            action on unknown service| 'service: pricing\n  - name' | 'service: billing\n  - name' | drill.yaml: phases[0].actions[1].service must be one of the upstreams [inventory, pricing], but was 'billing'
            target outside service   | 'refuse: r2-b'         | 'refuse: r2-a'          | drill.yaml: phases[0].actions[1].refuse must name a zone, a region, an instance or all, but was 'r2-a'
            capacity without limit   | 'concurrency: 4\n        latency' | 'latency' | drill.yaml: phases[1].actions[0].concurrency is missing
            concurrency zero         | 'concurrency: 4'       | 'concurrency: 0'        | drill.yaml: phases[1].actions[0].concurrency must be a whole number from 1 to 1000, but was 0
            concurrency a word       | 'concurrency: 4'       | 'concurrency: many'     | drill.yaml: phases[1].actions[0].concurrency must be a whole number from 1 to 1000, but was 'many'
            latency without unit     | 'latency: 50ms'        | 'latency: 50'           | drill.yaml: phases[1].actions[0].latency must be a duration such as 500ms, 10s or 2m, but was '50'
            capacity with a delay    | 'latency: 50ms'        | 'delay: 50ms'           | drill.yaml: unknown field 'phases[1].actions[0].delay'; expected one of capacity, service, concurrency, latency
            both forms of upstreams  | 'upstreams:'           | 'upstream: {regions: [r1]}\nupstreams:' | drill.yaml: upstream cannot be combined with upstreams as a mapping
            topology not a mapping   | 'pricing:\n    regions: [r1, r2]' | 'pricing: 3\n  x:\n    regions: [r1, r2]' | drill.yaml: upstreams.pricing must be a topology mapping (regions, zones...), but was 3
            """)
    void badServicesAndCapacitiesAreNamed(String why, String from, String to, String message) {
        String yaml = SERVICES.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
        assertThat(yaml).as("the test's edit applies").isNotEqualTo(SERVICES);

        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ScenarioReader.BadScenarioException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aListedServiceMayNotRepeat() {
        assertThatThrownBy(() -> parse(VALID.replace("upstream:", "upstreams: [pricing, pricing]\nupstream:")))
                .hasMessage("drill.yaml: upstreams[1] must be a service the drill's caller calls, once: one of"
                        + " [upstream, inventory, pricing], but was 'pricing'");
    }

    @Test
    void everyScenarioFileInTheRepositoryReads() throws Exception {
        try (var files = Files.list(Path.of("scenarios"))) {
            List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertThat(yaml).isNotEmpty();
            for (Path f : yaml) {
                assertThat(ScenarioReader.read(f).phases()).as(f.toString()).isNotEmpty();
            }
        }
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> ScenarioReader.read(missing))
                .hasMessage("scenario file " + missing + " does not exist");
    }

    @Test
    void theCommandReportsABadScenarioInOneLineAndExitsWith2(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, VALID.replace("rate: 50", "rate: lots"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = FailoverDemo.run(new String[] {"--scenario=" + file, "--out=" + dir},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "error: " + file + ": load.rate must be a whole number from 1 to 5000, but was 'lots'");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(dir.resolve("report.json")).doesNotExist();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --rate=abc             | --rate must be a whole number from 1 to 5000, but was 'abc'
            --phase-duration=10    | --phase-duration must be a duration such as 500ms, 10s or 2m, but was '10'
            --phase-duration=0s    | --phase-duration must be above 0 and at most 60m, but was '0s'
            --phase-duration=120m  | --phase-duration must be above 0 and at most 60m, but was '120m'
            --speed=fast           | unknown option '--speed=fast'; expected --scenario, --rate, --phase-duration, --out or --compare
            --compare=yes          | --compare takes no value, but was '--compare=yes'
            --out=                 | --out needs a value, as in --out=...
            """)
    void badFlagsAreNamed(String flag, String message) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = FailoverDemo.run(new String[] {flag}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).isEqualTo(List.of("error: " + message));
    }
}
