package dev.meshless.balancer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The measured proximity order of regions, and its hysteresis. */
class RegionLatenciesTest {

    private static final long MS = 1_000_000L;

    private final RegionLatencies latencies = new RegionLatencies();

    private void settle(String region, long millis) {
        for (int i = 0; i < 50; i++) {
            latencies.record(region, millis * MS);
        }
    }

    @Test
    void regionsMeasuredForTheFirstTimeAreOrderedByLatencyThenName() {
        settle("r3", 40);
        settle("r2", 20);
        settle("r4", 20);
        latencies.record("r5", 0); // measured once, at 0
        assertThat(latencies.nearestFirst()).containsExactly("r5", "r2", "r4", "r3");
    }

    @Test
    void twoRegionsAtAboutTheSameDistanceKeepTheirOrder() {
        settle("r2", 20);
        settle("r3", 22);
        assertThat(latencies.nearestFirst()).containsExactly("r2", "r3");

        settle("r3", 18); // now nearer, but by 10 %: not clearly
        assertThat(latencies.averageNanos("r3")).isLessThan(latencies.averageNanos("r2"));
        assertThat(latencies.nearestFirst()).containsExactly("r2", "r3");

        settle("r3", 12); // 40 % and 8 ms nearer: it moves ahead
        assertThat(latencies.nearestFirst()).containsExactly("r3", "r2");
    }

    @Test
    void aChainOfSmallGapsDoesNotKeepARegionBehindOneItIsClearlyNearerThan() {
        settle("c", 5);
        settle("b", 6);
        settle("a", 7);
        assertThat(latencies.nearestFirst()).containsExactly("c", "b", "a");

        settle("c", 12);
        settle("b", 11);
        settle("a", 9); // 25 % and 3 ms nearer than c; within the band of b

        assertThat(latencies.nearestFirst()).containsExactly("a", "c", "b");
    }

    @Test
    void subMillisecondDifferencesNeverReorder() {
        latencies.record("r2", 600_000);
        latencies.record("r3", 900_000);
        assertThat(latencies.nearestFirst()).containsExactly("r2", "r3");

        for (int i = 0; i < 50; i++) {
            latencies.record("r3", 200_000); // r3 now a third of r2's latency, but 0.4 ms apart: noise
        }

        assertThat(latencies.nearestFirst()).containsExactly("r2", "r3");
    }

    @Test
    void aRegionNoLongerInUseLeavesTheOrder() {
        settle("r2", 20);
        settle("r3", 30);
        latencies.nearestFirst();

        latencies.retain(Set.of("r3"));

        assertThat(latencies.nearestFirst()).containsExactly("r3");
    }
}
