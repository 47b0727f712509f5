package dev.meshless.ratelimit;

import static dev.meshless.testing.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A global limit split between the instances of a service, following the registry. */
class GlobalRateLimiterTest {

    private final FakeTime time = new FakeTime();
    private final RateLimit global = RateLimit.builder("orders-global").limitForPeriod(300).burst(30).build();

    private static Endpoint instance(String id, int weight) {
        return Endpoint.builder("orders", id).address("10.0.0.1", 8000 + id.hashCode() % 1000 + 1000)
                .locality("r1", "r1-a").weight(weight).build();
    }

    private GlobalRateLimiter instance(StaticRegistry registry, String id, GlobalRateLimiter.ShareMode mode) {
        return GlobalRateLimiter.start(LocalRateLimiter.create(global, null, time, RateLimitMetrics.NOOP), registry,
                "orders", id, mode, 1);
    }

    /** Permits granted to all instances together over ten seconds at 3× the global limit, spread evenly. */
    private int offerEvenly(List<GlobalRateLimiter> instances) {
        int permitted = 0;
        for (int step = 0; step < 9_000; step++) {               // 900 per second for 10 s
            permitted += instances.get(step % instances.size()).tryAcquire() ? 1 : 0;
            time.advance(Duration.ofNanos(1_111_111));
        }
        return permitted;
    }

    @Test
    void threeInstancesShareTheLimitAndTheRemainingTwoTakeUpALeaversShare() {
        StaticRegistry registry = StaticRegistry.of(List.of(instance("o-1", 1), instance("o-2", 1), instance("o-3", 1)));
        List<GlobalRateLimiter> instances = new ArrayList<>(List.of(
                instance(registry, "o-1", GlobalRateLimiter.ShareMode.EVEN),
                instance(registry, "o-2", GlobalRateLimiter.ShareMode.EVEN),
                instance(registry, "o-3", GlobalRateLimiter.ShareMode.EVEN)));
        assertThat(instances).allSatisfy(i -> assertThat(i.share()).isEqualTo(1.0 / 3));
        assertThat(offerEvenly(instances)).isBetween(2_850, 3_150);

        registry.replace("orders", List.of(instance("o-1", 1), instance("o-2", 1)));
        instances.remove(2).close();

        assertThat(instances).allSatisfy(i -> assertThat(i.share()).isEqualTo(0.5));
        assertThat(offerEvenly(instances)).isBetween(2_850, 3_150);
    }

    @Test
    void whenTheRegistryGoesQuietOrEmptyTheLastShareHolds() {
        StaticRegistry registry = StaticRegistry.of(List.of(instance("o-1", 1), instance("o-2", 1), instance("o-3", 1)));
        GlobalRateLimiter o1 = instance(registry, "o-1", GlobalRateLimiter.ShareMode.EVEN);

        registry.replace("orders", List.of());                                    // nothing listed
        assertThat(o1.share()).isEqualTo(1.0 / 3);
        registry.replace("orders", List.of(instance("o-1", 1).toBuilder().health(HealthStatus.CRITICAL).build()));
        assertThat(o1.share()).isEqualTo(1.0 / 3);                                // nothing healthy
        o1.close();                                                               // registry unreachable
        registry.replace("orders", List.of(instance("o-1", 1)));
        assertThat(o1.share()).isEqualTo(1.0 / 3);
    }

    @Test
    void weightedSharesFollowTheInstancesWeights() {
        StaticRegistry registry = StaticRegistry.of(List.of(instance("o-1", 3), instance("o-2", 1)));

        GlobalRateLimiter heavy = instance(registry, "o-1", GlobalRateLimiter.ShareMode.WEIGHTED);
        GlobalRateLimiter light = instance(registry, "o-2", GlobalRateLimiter.ShareMode.WEIGHTED);

        assertThat(heavy.share()).isEqualTo(0.75);
        assertThat(light.share()).isEqualTo(0.25);
        assertThat(heavy.limit().limitForPeriod()).isEqualTo(225);
    }

    @Test
    void anInstanceNotYetRegisteredCountsItself() {
        StaticRegistry registry = StaticRegistry.of(List.of(instance("o-1", 1), instance("o-2", 1)));

        GlobalRateLimiter newcomer = instance(registry, "o-3", GlobalRateLimiter.ShareMode.EVEN);

        assertThat(newcomer.share()).isEqualTo(1.0 / 3);
    }

    @Test
    void badSettingsAreNamedByTheirPathsInTheInstanceSpecification() {
        StaticRegistry registry = StaticRegistry.of(List.of(instance("o-1", 1)));
        LocalRateLimiter local = LocalRateLimiter.create(global, null, time, RateLimitMetrics.NOOP);

        assertInvalid(() -> GlobalRateLimiter.start(local, registry, "orders", "o-1", GlobalRateLimiter.ShareMode.EVEN,
                0), "expectedInstances", 0, "must be at least 1");
        assertInvalid(() -> GlobalRateLimiter.start(local, registry, "orders", " ",
                GlobalRateLimiter.ShareMode.WEIGHTED, 1), "id", " ",
                "is required by weighted shares: this instance's endpoint id in the registry");
    }
}
