package dev.meshless.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.call.ServiceClient;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's per-zone traffic: every attempt, retries included, filed by service and by where it went. */
class AttemptTimelineTest {

    private static Endpoint endpoint(String service, String zone) {
        return Endpoint.builder(service, zone + "-0").address("127.0.0.1", 1).locality("r1", zone).build();
    }

    private static ServiceClient client(String service, AttemptTimeline timeline) {
        return ServiceClient.builder(service)
                .registry(StaticRegistry.of(List.of(endpoint(service, "r1-a"), endpoint(service, "r1-b"))))
                .caller(Locality.of("r1", "r1-a"))
                .observer(timeline)
                .build();
    }

    /** The caller's zone refuses: the refused attempt and its retry are both filed, each by its zone. */
    private static String callRefusingCallerZone(ServiceClient client) {
        return client.call(a -> {
            if (a.endpoint().locality().zone().equals("r1-a")) {
                throw new ConnectException("Connection refused");
            }
            return "ok";
        });
    }

    @Test
    void filesEachAttemptOfTheServiceUnderItsZoneOnceStarted() {
        AttemptTimeline timeline = new AttemptTimeline(List.of("upstream", "pricing"));
        Recorder recorder = new Recorder();
        try (ServiceClient upstream = client("upstream", timeline); ServiceClient pricing = client("pricing", timeline);
             ServiceClient other = client("other", timeline)) {
            callRefusingCallerZone(upstream); // before start: the warm-up, not filed
            timeline.start(System.nanoTime(), recorder);
            assertThat(callRefusingCallerZone(upstream)).isEqualTo("ok");
            callRefusingCallerZone(pricing); // filed for pricing only
            callRefusingCallerZone(other); // a service the drill does not watch: not filed
            timeline.stop();
            callRefusingCallerZone(upstream); // after stop: not filed
        }
        Map<String, Long> filed = Recorder.attemptsBetween(recorder.attempts(), 0, Long.MAX_VALUE);
        assertThat(filed).containsExactlyInAnyOrderEntriesOf(Map.of("r1-a", 1L, "r1-b", 1L));
        assertThat(recorder.serviceAttempts()).containsOnlyKeys("upstream", "pricing");
        assertThat(Recorder.attemptsBetween(recorder.serviceAttempts().get("pricing"), 0, Long.MAX_VALUE))
                .containsExactlyInAnyOrderEntriesOf(Map.of("r1-a", 1L, "r1-b", 1L));
    }
}
