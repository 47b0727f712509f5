package dev.meshless.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input exits with code 2, prints nothing on stdout and exactly one {@code error:} line on
 * stderr that names the field and the bad value; never a stack trace.
 */
class BadInputTest {

    private static final String CALLER = "'caller': {'region': 'r1', 'zone': 'r1-a'}";
    private static final String ENDPOINTS = "'endpoints': [{'id': 'e1', 'region': 'r1', 'zone': 'r1-a'}]";

    @TempDir
    Path dir;

    /** JSON with single quotes for readability; a topology with the caller and one endpoint plus {@code extra}. */
    private static String json(String body) {
        return body.replace('\'', '"');
    }

    private static String valid(String extra) {
        return json("{" + CALLER + ", " + ENDPOINTS + (extra.isEmpty() ? "" : ", " + extra) + "}");
    }

    private static String endpoint(String fields) {
        return json("{" + CALLER + ", 'endpoints': [{'id': 'e0', 'region': 'r1', 'zone': 'r1-a'}, {" + fields + "}]}");
    }

    static Stream<Arguments> badTopologies() {
        return Stream.of(
                // unknown fields, a port among them: the tool synthesises addresses
                bad("topology.json", valid("'pickz': 5"), "unknown field 'pickz'"),
                bad("topology.json", endpoint("'id': 'e1', 'region': 'r1', 'zone': 'r1-a', 'wieght': 2"),
                        "unknown field 'endpoints[1].wieght'; expected one of id, region, zone, weight, health,"
                                + " ejected"),
                bad("topology.json", endpoint("'id': 'e1', 'region': 'r1', 'zone': 'r1-a', 'port': 8080"),
                        "unknown field 'endpoints[1].port'"),
                bad("topology.json", valid("'policy': {'panicThresholdPercent': 10}"),
                        "unknown field 'policy.panicThresholdPercent'"),
                bad("topology.json", valid("'policy': {'panicThreshold': 'half'}"),
                        "policy.panicThreshold must be a percentage such as 50 or \"50%\", but was 'half'"),
                bad("topology.json",
                        json("{'caller': {'region': 'r1', 'zone': 'r1-a', 'subZone': 'x'}, " + ENDPOINTS + "}"),
                        "unknown field 'caller.subZone'"),
                bad("topology.json", valid("'callers': [{'region': 'r1', 'zone': 'r1-a', 'count': 1, 'n': 2}]"),
                        "unknown field 'callers[0].n'"),
                // enums
                bad("topology.json", endpoint("'id': 'e1', 'region': 'r1', 'zone': 'r1-a', 'health': 'healthy'"),
                        "endpoints[1].health must be one of passing, warning, critical, but was 'healthy'"),
                bad("topology.json", endpoint("'id': 'e1', 'region': 'r1', 'zone': 'r1-a', 'health': 1"),
                        "endpoints[1].health must be one of passing, warning, critical, but was 1"),
                bad("topology.json", valid("'policy': {'endpointStrategy': 'round-robin'}"),
                        "policy.endpointStrategy must be one of least-request, weighted-round-robin, random, "
                                + "but was 'round-robin'"),
                // weights
                bad("topology.json", endpoint("'id': 'e1', 'region': 'r1', 'zone': 'r1-a', 'weight': -2"),
                        "endpoints[1].weight must be between 1 and 1000000, but was -2"),
                bad("topology.json", endpoint("'id': 'e1', 'region': 'r1', 'zone': 'r1-a', 'weight': 0"),
                        "endpoints[1].weight must be between 1 and 1000000, but was 0"),
                bad("topology.json", endpoint("'id': 'e1', 'region': 'r1', 'zone': 'r1-a', 'weight': 1000001"),
                        "endpoints[1].weight must be between 1 and 1000000, but was 1000001"),
                bad("topology.json", endpoint("'id': 'e1', 'region': 'r1', 'zone': 'r1-a', 'weight': 1.5"),
                        "endpoints[1].weight must be a whole number between 1 and 1000000, but was 1.5"),
                bad("topology.json", endpoint("'id': 'e1', 'region': 'r1', 'zone': 'r1-a', 'weight': '2'"),
                        "endpoints[1].weight must be a whole number between 1 and 1000000, but was '2'"),
                // identity and locality
                bad("topology.json", endpoint("'id': 'e0', 'region': 'r1', 'zone': 'r1-b'"),
                        "endpoints[1].id must be unique, but was 'e0', the id of endpoints[0]"),
                bad("topology.json", endpoint("'region': 'r1', 'zone': 'r1-b'"),
                        "endpoints[1].id must be a non-blank string, but was missing"),
                bad("topology.json", endpoint("'id': 'e1', 'zone': 'r1-b'"),
                        "endpoints[1].region must be a non-blank string, but was missing"),
                bad("topology.json", json("{'caller': {'region': 'r1'}, " + ENDPOINTS + "}"),
                        "caller.zone must be a non-blank string, but was missing"),
                bad("topology.json", json("{'caller': {'zone': 'r1-a'}, " + ENDPOINTS + "}"),
                        "caller.region must be a non-blank string, but was missing"),
                bad("topology.json", json("{'caller': {'region': ' ', 'zone': 'r1-a'}, " + ENDPOINTS + "}"),
                        "caller.region must be a non-blank string, but was ' '"),
                bad("topology.json", json("{" + ENDPOINTS + "}"), "caller must be an object, but was missing"),
                bad("topology.json", valid("'callers': [{'region': 'r1', 'count': 2}]"),
                        "callers[0].zone must be a non-blank string, but was missing"),
                bad("topology.json", valid("'unavailableZones': [{'region': 'r1'}]"),
                        "unavailableZones[0].zone must be a non-blank string, but was missing"),
                // the endpoint list
                bad("topology.json", json("{" + CALLER + ", 'endpoints': []}"),
                        "endpoints must be a non-empty array, but was an empty array"),
                bad("topology.json", json("{" + CALLER + "}"), "endpoints must be a non-empty array, but was missing"),
                bad("topology.json", json("{" + CALLER + ", 'endpoints': {'id': 'e1'}}"),
                        "endpoints must be a non-empty array, but was an object"),
                // picks and counts
                bad("topology.json", valid("'picks': -1"), "picks must be between 0 and 100000000, but was -1"),
                bad("topology.json", valid("'picks': 100000001"),
                        "picks must be between 0 and 100000000, but was 100000001"),
                bad("topology.json", valid("'callers': [{'region': 'r1', 'zone': 'r1-a', 'count': 0}]"),
                        "callers[0].count must be between 1 and 100000, but was 0"),
                bad("topology.json", valid("'callers': [{'region': 'r1', 'zone': 'r1-a'}]"),
                        "callers[0].count must be a whole number between 1 and 100000, but was missing"),
                // policy: the core builder's own messages, prefixed
                bad("topology.json", valid("'policy': {'overprovisioningFactor': 0.5}"),
                        "policy.overprovisioningFactor must be a finite number of at least 1.0, but was 0.5"),
                bad("topology.json", valid("'policy': {'panicThreshold': 120}"),
                        "policy.panicThreshold must be between 0% and 100%, but was 120%"),
                bad("topology.json", valid("'policy': {'regionOrder': ['r2', 'r2']}"),
                        "policy.regionOrder[1] repeats a region listed before it, but was r2"),
                bad("topology.json", valid("'policy': {'regionOrder': ['r2', 3]}"),
                        "policy.regionOrder[1] must be a non-blank region name, but was 3"),
                bad("topology.json", valid("'policy': {'minClusterSize': 0}"),
                        "policy.minClusterSize must be at least 1, but was 0"),
                bad("topology.json", valid("'policy': {'zoneAware': 'yes'}"),
                        "policy.zoneAware must be true or false, but was 'yes'"),
                bad("topology.json", endpoint("'id': 'e1', 'region': 'r1', 'zone': 'r1-a', 'ejected': 'true'"),
                        "endpoints[1].ejected must be true or false, but was 'true'"),
                // the failover drill's upstream section
                bad("topology.yaml", "caller: {region: r1, zone: r1-a}\nupstream: {regions: [r1], zones: {r9-a: 1}}\n",
                        "upstream.zones.r9-a must be named <region>-<zone> after one of the regions [r1], but was 'r9-a'"),
                bad("topology.yaml", "caller: {region: r1, zone: r1-a}\nupstream: {regions: [r1], zones: {r1-a: 0}}\n",
                        "upstream.zones.r1-a must be between 1 and 1000, but was 0"),
                bad("topology.yaml", "caller: {region: r1, zone: r1-a}\nupstream: {regions: [r1], zones: {r1-a: 1},"
                        + " instances-per-zone: 2}\n", "upstream.instances-per-zone cannot be combined with upstream.zones"),
                bad("topology.yaml", "caller: {region: r1, zone: r1-a}\nupstream: {regions: []}\n",
                        "upstream.regions must be a non-empty array of region names, but was an empty array"),
                bad("topology.yaml", "caller: {region: r1, zone: r1-a}\nupstream: {regions: [r1]}\n"
                        + "endpoints: [{id: e1, region: r1, zone: r1-a}]\n", "endpoints and upstream cannot both be given"),
                // syntax
                bad("topology.json", "{\"caller\": {\"region\": \"r1\",}}", "malformed JSON in"),
                bad("topology.json", valid("").replace("}]}", "}]"), "malformed JSON in"),
                bad("topology.json", valid("") + " {}", "malformed JSON in"),
                bad("topology.json", valid("'endpoints': []"), "duplicate field 'endpoints'"),
                bad("topology.json", "", "is empty"),
                bad("topology.json", "[1, 2]", "the topology must be an object, but was an array"),
                bad("topology.yaml", "caller: [r1\n", "malformed YAML in"),
                bad("topology.yaml", "caller: {region: r1, zone: r1-a}\nendpoints:\n  - id: e1\n    id: e2\n",
                        "duplicate field 'endpoints[0].id'"),
                bad("topology.yml", "caller: {region: r1, zone: r1-a}\nendpoints:\n  - {id: e1, region: r1, zone: a,"
                        + " wieght: 2}\n", "unknown field 'endpoints[0].wieght'"));
    }

    private static Arguments bad(String fileName, String content, String expectedMessage) {
        return Arguments.of(fileName, content, expectedMessage);
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("badTopologies")
    void badTopologyExitsWithCodeTwoAndOneLineNamingTheField(String fileName, String content, String expected) {
        assertBadInput(Cli.runFile(dir, fileName, content), expected);
    }

    @Test
    void missingFileIsBadInput() {
        assertBadInput(Cli.run(dir.resolve("nope.json").toString()), "nope.json' does not exist");
    }

    @Test
    void directoryIsBadInput() {
        assertBadInput(Cli.run(dir.toString()), "is a directory");
    }

    @Test
    void noArgumentIsBadInputAndShowsTheUsage() {
        assertBadInput(Cli.run(), "missing FILE; usage: java -jar meshless-what-if.jar [--help] FILE");
    }

    @Test
    void twoArgumentsAreBadInput() {
        assertBadInput(Cli.run("a.json", "b.json"), "expected one FILE, but got 2 arguments");
    }

    @Test
    void unknownOptionIsBadInput() {
        assertBadInput(Cli.run("--verbose"), "unknown option '--verbose'");
    }

    @Test
    void controlCharactersInValuesStayOnOneLine() {
        Cli.Result result = Cli.runFile(dir, "t.json",
                endpoint("'id': 'e1', 'region': 'r1', 'zone': 'r1-a', 'health': 'ok\\nnot'"));

        assertBadInput(result, "but was 'ok\\nnot'");
    }

    private static void assertBadInput(Cli.Result result, String expected) {
        assertThat(result.exitCode()).as("exit code; stderr: %s", result.stderr()).isEqualTo(WhatIf.EXIT_BAD_INPUT);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderrLines()).singleElement().satisfies(line -> {
            assertThat(line).startsWith("error: ").contains(expected);
            assertThat(line).doesNotContain("Exception", "\tat ");
        });
    }
}
