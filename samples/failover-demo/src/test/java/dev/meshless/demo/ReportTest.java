package dev.meshless.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report of a comparison: the verdict is the Meshless caller's alone, and every caller's phases and
 * settings are in {@code report.json}. Built from recorded requests and attempts, without running a drill.
 */
class ReportTest {

    private final Scenario scenario = new Scenario("r1", "r1-a", List.of("r1"), Map.of("r1-a", 2, "r1-b", 2), 10, 4,
            List.of(new Scenario.Phase("steady", Duration.ofSeconds(1), List.of())));
    private final List<PhaseRecord> ran = List.of(new PhaseRecord(scenario.phases().get(0), 0, 1_000,
            List.of("r1-a"), 0, 0));

    /** Ten requests in the phase, the failed ones first; each request's one attempt in {@code zone}. */
    private static Recorder recorded(int failed, String zone) {
        Recorder r = new Recorder();
        for (int i = 0; i < 10; i++) {
            r.request(new Recorder.Request(i * 100L, 5, i < failed ? "IOException: refused" : null));
            r.attempts(i, zone, 1);
        }
        return r;
    }

    @Test
    void theVerdictIsTheMeshlessCallersWhateverTheOthersDid() {
        Report meshless = Report.of(scenario, ran, recorded(0, "r1-a"));
        Report peer = Report.of(scenario, ran, recorded(4, "r1-b")).forCaller("spring-cloud", List.of());
        assertThat(peer.violations()).as("the same checks would fail the peer").hasSize(2);

        Report both = meshless.withPeers(List.of(peer));

        assertThat(both.violations()).isEmpty();
        assertThat(both.callers()).extracting(Report::caller).containsExactly("meshless", "spring-cloud");
        assertThat(Report.of(scenario, ran, recorded(4, "r1-b")).withPeers(List.of(meshless)).violations())
                .as("and a failing Meshless caller fails the drill with a peer beside it").hasSize(2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void reportJsonListsEveryCallerWithItsSettingsAndPhases() {
        CallerSetting setting = new CallerSetting("spring.cloud.loadbalancer.zone", "r1-a", "the caller's zone",
                "https://docs.spring.io/");
        Report both = Report.of(scenario, ran, recorded(0, "r1-a"))
                .withPeers(List.of(Report.of(scenario, ran, recorded(4, "r1-b")).forCaller("spring-cloud", List.of(setting))));

        Map<String, Object> json = both.toJson();

        List<Map<String, Object>> callers = (List<Map<String, Object>>) json.get("callers");
        assertThat(callers).extracting(c -> c.get("name")).containsExactly("meshless", "spring-cloud");
        assertThat((List<Map<String, Object>>) callers.get(1).get("settings")).containsExactly(Map.of("key",
                "spring.cloud.loadbalancer.zone", "value", "r1-a", "reason", "the caller's zone", "link",
                "https://docs.spring.io/"));
        Map<String, Object> peerPhase = ((List<Map<String, Object>>) callers.get(1).get("phases")).get(0);
        assertThat(peerPhase).containsEntry("failed", 4L).doesNotContainKeys("probeAttempts", "retriedCalls");
        assertThat(json.get("phases")).as("the top level stays the Meshless caller's")
                .isEqualTo(callers.get(0).get("phases"));
        assertThat(ComparisonTable.lines(both)).hasSize(3).last().asString().startsWith("1. steady")
                .contains("0.0%", "100.0%");
    }
}
