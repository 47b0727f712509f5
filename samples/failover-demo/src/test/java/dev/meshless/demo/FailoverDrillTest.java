package dev.meshless.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import tools.jackson.databind.JsonNode;

/**
 * Runs the built-in drill with 5-second phases — longer than the drill's longest ejection (4 s), so
 * that a recovery phase can show traffic coming home whenever the outage's last probe was ejected
 * — through the command a user runs, and checks what
 * the issue promises: no failed request while capacity remains, at least 99 % same-zone traffic
 * in steady phases, traffic moved within a second of every fault, and a report that renders.
 * The expectations are checked on {@code report.json} itself, not through the report's own verdict.
 *
 * <p>About two minutes of wall clock: {@code .ci/run} runs it on Java 17 and skips it on the newest
 * JDK ({@code -Dfailover-demo.drills=skip}), where {@code CompareDrillTest} still runs the demo end to end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisabledIfSystemProperty(named = "failover-demo.drills", matches = "skip",
        disabledReason = "-Dfailover-demo.drills=skip: the two-minute drill runs on one JDK only (.ci/run)")
class FailoverDrillTest {

    /** Kept after the build, for people: {@code report.html}, {@code report.json}, {@code report.png}. */
    private static final Path OUT = Path.of("target", "failover-drill");
    private static final List<String> FAULTS = List.of("caller zone refuses connections", "caller zone turns slow",
            "caller zone answers 503", "caller region down");
    private static final List<String> ALL_HEALTHY = List.of("steady", "registry unreachable", "all healthy");

    private JsonNode report;
    private String console;

    @BeforeAll
    void runTheDrill() throws IOException {
        DemoRun run = DemoRun.of(OUT, "--phase-duration=5s");
        console = run.console();
        report = run.report();
    }

    private JsonNode phase(String name) {
        return phase(report, name);
    }

    private static JsonNode phase(JsonNode report, String name) {
        for (JsonNode p : report.get("phases")) {
            if (p.get("name").asString().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no phase '" + name + "' in report.json");
    }

    private static double share(JsonNode phase, String... zones) {
        double sum = 0;
        for (String z : zones) {
            JsonNode v = phase.get("byZone").get(z);
            sum += v == null ? 0 : v.asDouble();
        }
        return sum;
    }

    @Test
    void reportHasEveryPhaseWithItsNumbers() {
        assertThat(report.get("phases")).hasSize(11);
        for (JsonNode p : report.get("phases")) {
            assertThat(p.propertyNames()).as(p.get("name").asString()).contains("name", "startMillis", "endMillis",
                    "requests", "failed", "byZone", "sameZoneShare", "p50Ms", "p99Ms", "errors");
            // A phase never ends early; how late it ends, and how many requests a busy machine's load
            // generator managed, are the report's numbers, not this test's.
            long length = p.get("endMillis").asLong() - p.get("startMillis").asLong();
            assertThat(length).as("phase length").isGreaterThanOrEqualTo(5_000L);
            assertThat(p.get("requests").asLong()).as("requests in '%s'", p.get("name").asString())
                    .isPositive().isLessThanOrEqualTo(200L * length / 1_000 + 20);
            assertThat(p.propertyNames()).contains("probeAttempts", "retriedCalls");
            assertThat(p.get("p50Ms").asLong()).isLessThanOrEqualTo(p.get("p99Ms").asLong());
        }
        for (String fault : FAULTS) {
            assertThat(phase(fault).has("shiftMillis")).as(fault).isTrue();
        }
        assertThat(console).contains("1/11 steady").contains("11/11 all healthy").contains("Report: ")
                .contains("Per service (peaks: calls received per second", "8. crossed failures");
    }

    @Test
    void noRequestFailsWhileCapacityRemains() {
        for (JsonNode p : report.get("phases")) {
            assertThat(p.get("failed").asLong()).as("failed requests in '%s': %s", p.get("name").asString(),
                    p.get("errors")).isZero();
        }
    }

    /**
     * Issue 15 §3: inventory is down in r1 while pricing is down in r2. No single region can serve a
     * request, so a global switch would fail them all; each service fails over on its own.
     */
    @Test
    void crossedFailuresFailNoRequestAndEachServiceIsServedFromItsHealthyRegion() {
        JsonNode crossed = phase("crossed failures");
        JsonNode inventory = crossed.get("services").get("inventory");
        JsonNode pricing = crossed.get("services").get("pricing");

        assertThat(crossed.get("failed").asLong()).as("failed requests: %s", crossed.get("errors")).isZero();
        assertThat(inventory.get("failed").asLong()).isZero();
        assertThat(pricing.get("failed").asLong()).isZero();
        assertThat(inventory.get("byRegion").get("r2").asDouble()).as("inventory from r2").isGreaterThan(0.95);
        assertThat(pricing.get("byRegion").get("r1").asDouble()).as("pricing from r1").isGreaterThan(0.95);
        assertThat(pricing.get("targetZones").values()).extracting(JsonNode::asString).containsExactly("r1-a");
        // Each instance counts the calls it receives: inventory's only in r2, pricing's only in r1.
        assertThat(inventory.get("peakRpsByRegion").propertyNames()).containsExactly("r2");
        assertThat(pricing.get("peakRpsByRegion").propertyNames()).containsExactly("r1");
    }

    /**
     * Issue 15 §4: the region that takes over a failover shows the surge in calls per second its
     * instances received; before, it received none.
     */
    @Test
    void theRegionTakingOverShowsItsSurge() {
        JsonNode steady = phase("steady").get("services").get("inventory");
        JsonNode down = phase("caller region down").get("services").get("inventory");

        assertThat(steady.get("peakRpsByRegion").has("r2")).as("steady: nothing to r2").isFalse();
        long home = steady.get("peakRpsByRegion").get("r1").asLong();
        assertThat(down.get("peakRpsByRegion").get("r2").asLong()).isGreaterThan(home / 2);
        assertThat(down.get("peakRpsByEndpoint").size()).isEqualTo(6);
        assertThat(down.get("rampMillisByRegion").get("r2").asLong()).isPositive();
        assertThat(phase("steady").get("load").get("okP99Ms").asLong()).isPositive();
    }

    @Test
    void trafficStaysInTheCallersZoneWhileItIsHealthy() {
        for (String name : ALL_HEALTHY) {
            assertThat(phase(name).get("sameZoneShare").asDouble()).as(name).isGreaterThanOrEqualTo(0.99);
        }
    }

    @Test
    void trafficMovesWithinASecondOfEachFault() {
        for (String fault : FAULTS) {
            JsonNode shift = phase(fault).get("shiftMillis");
            assertThat(shift.isNull()).as("'%s' never shifted", fault).isFalse();
            assertThat(shift.asLong()).as("shift after '%s'", fault).isLessThanOrEqualTo(1_000L);
        }
    }

    @Test
    void failoverGoesToTheNearestHealthyPlace() {
        // The caller's zone fails: its region's other zones take the traffic; the other region does not,
        // but for a few retries: a refused connection, or a zone whose breaker refuses its permit, sends
        // the rest of its call out of its region (see docs/resilience.md).
        for (String fault : List.of("caller zone refuses connections", "caller zone answers 503")) {
            assertThat(share(phase(fault), "r1-b", "r1-c")).as(fault).isGreaterThan(0.95);
            assertThat(share(phase(fault), "r2-a", "r2-b", "r2-c")).as(fault).isLessThan(0.02);
        }
        // The whole region fails: the other region takes it.
        assertThat(share(phase("caller region down"), "r2-a", "r2-b", "r2-c")).isGreaterThan(0.9);
        // Recovery brings it home once an active probe passes (within about a second), not when the
        // 30 s ejections expire: home for the last part of the phase.
        JsonNode home = phase("region recovers");
        assertThat(home.get("shiftMillis").isNull()).as("traffic came home within the phase").isFalse();
        assertThat(share(home, "r1-a")).isGreaterThan(0.2);
    }

    /**
     * Issue 16: recovery with the default ejection times (30 s) and breaker waits (10 s), which the
     * drill no longer shortens, within the drill's phases: traffic comes home and stays (no second drop,
     * issue 13). The seconds it took are in report.json ({@code recoveryMillis}) and on the console;
     * the 2 s target is reported there rather than asserted on a shared machine's wall clock.
     */
    @Test
    void trafficComesHomeToStayAfterEveryHealWithTheDefaultEjectionTimes() {
        for (String recovery : List.of("caller zone recovers", "caller zone recovers again", "region recovers")) {
            JsonNode p = phase(recovery);
            assertThat(p.get("recoveryMillis").isNull()).as("'%s' came home to stay", recovery).isFalse();
            assertThat(p.get("recoveryMillis").asLong()).isLessThan(5_000L);
            assertThat(console).contains("'" + recovery + "': traffic home");
        }
        assertThat(phase("steady").has("recoveryMillis")).isFalse();
        assertThat(phase("all healthy").has("recoveryMillis")).as("registry back: nothing healed").isFalse();
    }

    @Test
    void routingContinuesFromTheCachedViewWhileTheRegistryIsDown() {
        JsonNode p = phase("registry unreachable");

        assertThat(p.get("failed").asLong()).isZero();
        assertThat(p.get("requests").asLong()).isPositive();
        assertThat(share(p, "r1-a")).isGreaterThanOrEqualTo(0.99);
    }

    /**
     * Issue 13's drill ({@code scenarios/three-regions-two-lost.yaml}): a caller in one of three
     * regions, no region order, zones of different sizes, and two regions lost for longer than
     * their endpoints' ejections, so that they are probed while the loss lasts.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ThreeRegionsTwoLost {

        private final Path out = Path.of("target", "failover-drill-three-regions");
        private JsonNode drill;

        @BeforeAll
        void runIt() throws IOException {
            drill = DemoRun.of(out, "--scenario=scenarios/three-regions-two-lost.yaml").report();
        }

        @Test
        void noRequestFailsWhileTheThirdRegionCanServeAndItsNeighboursAreProbed() {
            for (JsonNode p : drill.get("phases")) {
                assertThat(p.get("failed").asLong()).as("failed requests in '%s': %s", p.get("name").asString(),
                        p.get("errors")).isZero();
            }
            JsonNode lost = phase(drill, "two regions lost");
            assertThat(lost.get("probeAttempts").asLong()).as("endpoints of the lost regions were probed")
                    .isPositive();
            assertThat(lost.get("retriedCalls").asLong()).isPositive();
            assertThat(share(lost, "r3-a", "r3-b")).isGreaterThan(0.9);
        }

        @Test
        void everyZoneHasItsOwnSize() {
            assertThat(drill.get("scenario").get("instancesPerZone").get("r3-b").asInt()).isEqualTo(4);
            assertThat(drill.get("scenario").get("zones")).hasSize(6);
        }
    }

    /**
     * Issue 14 §4's overload drill ({@code scenarios/overload.yaml}): every instance serves at most two
     * requests at once, each taking 100 ms, under 200 requests per second. What the caller does about
     * it is the report's to show; this checks the drill overloads and reports it.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Overload {

        private final Path out = Path.of("target", "failover-drill-overload");
        private JsonNode drill;

        @BeforeAll
        void runIt() throws IOException {
            drill = DemoRun.of(out, "--scenario=scenarios/overload.yaml", "--phase-duration=4s").report();
        }

        @Test
        void servedCallsWaitForCapacityAndFailuresAreClassifiedWithTheirLatency() {
            JsonNode load = phase(drill, "overload").get("load");

            // Every call served in the phase took the cut's 100 ms at least.
            assertThat(load.get("okP99Ms").asLong()).isGreaterThanOrEqualTo(100L);
            assertThat(load.get("inFlightMax").asLong()).isPositive();
            for (JsonNode f : load.get("failures")) {
                assertThat(f.get("kind").asString()).isIn("rejection", "timeout", "not-sent", "error");
                assertThat(f.get("p50Ms").asLong()).isLessThanOrEqualTo(f.get("maxMs").asLong());
            }
            assertThat(phase(drill, "overload").get("targetZones")).as("a cut instance is not healthy").isEmpty();
        }
    }

    @Test
    void reportRendersInHeadlessChromium() throws Exception {
        String chromium = findChromium();
        Path html = OUT.resolve("report.html").toAbsolutePath();
        Path png = OUT.resolve("report.png").toAbsolutePath();
        Files.deleteIfExists(png);

        String dom = runChromium(chromium, "--dump-dom", html.toUri().toString());
        assertThat(dom).contains("id=\"share-chart\"", "id=\"error-chart\"", "id=\"latency-chart\"",
                "id=\"phases\"", "Every expectation met.");
        runChromium(chromium, "--screenshot=" + png, "--window-size=1100,1400", "--force-device-scale-factor=1",
                html.toUri().toString());

        BufferedImage shot = ImageIO.read(png.toFile());
        assertThat(shot).as("screenshot %s", png).isNotNull();
        // The stacked share chart is drawn: the caller's zone, its region's other zones while it failed,
        // and the other region while the whole region was down (legend swatches are 144 pixels each).
        assertThat(pixels(shot, HtmlReport.COLORS[0])).as("r1-a area").isGreaterThan(20_000);
        assertThat(pixels(shot, HtmlReport.COLORS[1])).as("r1-b area").isGreaterThan(5_000);
        assertThat(pixels(shot, HtmlReport.COLORS[3]) + pixels(shot, HtmlReport.COLORS[4])
                + pixels(shot, HtmlReport.COLORS[5])).as("r2 areas").isGreaterThan(2_000);
    }

    private static long pixels(BufferedImage image, String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    private static String findChromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        String why = "no chromium, chromium-browser or google-chrome on the PATH (Debian: apt-get install chromium)";
        if (Boolean.getBoolean("demo.requireChromium")) {
            fail(why);
        }
        Assumptions.abort("report rendering not checked: " + why);
        return null;
    }

    private static String runChromium(String chromium, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--no-first-run", "--user-data-dir=" + OUT.resolve("chromium-profile").toAbsolutePath()));
        command.addAll(List.of(args));
        Path log = OUT.resolve("chromium.log");
        Path stdout = OUT.resolve("chromium.out");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).redirectOutput(stdout.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("chromium did not finish within 60 s: " + command);
        }
        assertThat(process.exitValue()).as("chromium exit code; see %s", log).isZero();
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }
}
