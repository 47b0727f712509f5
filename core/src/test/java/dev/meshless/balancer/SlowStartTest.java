package dev.meshless.balancer;

import static dev.meshless.testing.Invalid.assertInvalid;
import static dev.meshless.testing.TestEndpoints.zone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Envoy's slow-start formula, and zones and endpoints that come back ramping up on a fake clock. */
class SlowStartTest {

    private static final Locality R1A = Locality.of("r1", "r1-a");
    private static final long SECOND = 1_000_000_000L;

    private final FakeTime time = new FakeTime();
    private LocalityLoadBalancer lb;

    private LocalityLoadBalancer balancer(SlowStartPolicy slowStart) {
        List<Endpoint> endpoints = new ArrayList<>(zone("r1", "r1-a", 2, 0));
        endpoints.addAll(zone("r1", "r1-b", 2, 0));
        lb = LocalityLoadBalancer.builder(TestEndpoints.SERVICE).registry(StaticRegistry.of(endpoints))
                .caller(TestEndpoints.CALLER).slowStart(slowStart, time).build();
        return lb;
    }

    @AfterEach
    void close() {
        if (lb != null) {
            lb.close();
        }
    }

    private double local() {
        return lb.plan().shareByZone().getOrDefault(R1A, 0.0);
    }

    @Test
    void theFactorFollowsEnvoysFormula() {
        SlowStartPolicy linear = SlowStartPolicy.of(Duration.ofSeconds(10), 1.0, 10);
        assertThat(linear.factor(0)).isEqualTo(0.1);
        assertThat(linear.factor(5 * SECOND)).isEqualTo(0.5);
        assertThat(linear.factor(10 * SECOND)).isEqualTo(1.0);
        SlowStartPolicy aggressive = SlowStartPolicy.of(Duration.ofSeconds(10), 2.0, 0);
        assertThat(aggressive.factor(SECOND)).isCloseTo(Math.sqrt(0.1), within(1e-12));
        assertThat(aggressive.factor(0)).as("at least 1 ms counts").isCloseTo(Math.sqrt(0.0001), within(1e-12));
        assertThat(SlowStartPolicy.disabled().factor(0)).isEqualTo(1.0);
    }

    @Test
    void aHealedZoneTakesItsTrafficBackOverTheWindow() {
        balancer(SlowStartPolicy.of(Duration.ofSeconds(10), 1.0, 10));
        assertThat(local()).as("present from the start: no ramp").isEqualTo(1.0);
        lb.setZoneAvailable(R1A, false);
        assertThat(local()).isZero();

        lb.setZoneAvailable(R1A, true);

        assertThat(local()).as("10 %% of its weight x 1.4").isCloseTo(0.14, within(1e-9));
        time.advance(Duration.ofSeconds(5));
        assertThat(local()).isCloseTo(0.7, within(1e-9));
        time.advance(Duration.ofMillis(2_500)); // 75 % x 1.4 > 1
        assertThat(local()).isEqualTo(1.0);
        time.advance(Duration.ofSeconds(3));
        assertThat(lb.plan().shareByEndpoint().get("r1-a-0")).isEqualTo(0.5);
        assertThat(time.pendingTimers()).as("the ramp's timer stops with the window").isZero();
    }

    @Test
    void aReturningEndpointTakesLessOfItsZoneUntilItsWindowEnds() {
        balancer(SlowStartPolicy.of(Duration.ofSeconds(10), 1.0, 10));
        lb.setEjected("r1-a-0", true);

        lb.setEjected("r1-a-0", false);

        // the tier's health is (1 + 0.1) / 2 x 1.4 = 77 %, and r1-a-0 has 0.1 / 1.1 of the zone's share
        assertThat(local()).isCloseTo(0.77, within(1e-9));
        assertThat(lb.plan().shareByEndpoint().get("r1-a-0")).isCloseTo(0.77 * 0.1 / 1.1, within(1e-9));
        time.advance(Duration.ofSeconds(10));
        assertThat(local()).isEqualTo(1.0);
    }

    @Test
    void leavingAgainStopsTheRamp() {
        balancer(SlowStartPolicy.of(Duration.ofSeconds(10), 1.0, 10));
        lb.setZoneAvailable(R1A, false);
        lb.setZoneAvailable(R1A, true);
        time.advance(Duration.ofSeconds(5));

        lb.setZoneAvailable(R1A, false);
        lb.setZoneAvailable(R1A, true);

        assertThat(local()).as("the ramp starts again from its minimum").isCloseTo(0.14, within(1e-9));
    }

    @Test
    void aServiceThatComesBackWholeRampsWithoutPanic() {
        // Envoy's slow start changes endpoint weights, not priority health: a tier whose every
        // endpoint is available is not below the panic threshold because they all ramp.
        lb = LocalityLoadBalancer.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(zone("r1", "r1-a", 2, 0))).caller(TestEndpoints.CALLER)
                .slowStart(SlowStartPolicy.of(Duration.ofSeconds(10), 1.0, 10), time).build();
        lb.setZoneAvailable(R1A, false);

        lb.setZoneAvailable(R1A, true);

        assertThat(lb.plan().panic()).isFalse();
        assertThat(lb.plan().tiers().get(0).healthyFraction()).as("healthyWeight / totalWeight").isEqualTo(1.0);
        assertThat(local()).isEqualTo(1.0);
    }

    @Test
    void offByDefaultAReturningZoneTakesItsFullShareAtOnce() {
        balancer(SlowStartPolicy.disabled());
        lb.setZoneAvailable(R1A, false);

        lb.setZoneAvailable(R1A, true);

        assertThat(local()).isEqualTo(1.0);
        assertThat(time.pendingTimers()).isZero();
    }

    @Test
    void badSettingsNameTheProperty() {
        assertInvalid(() -> SlowStartPolicy.of(Duration.ofSeconds(-1), 1, 10), "window", Duration.ofSeconds(-1),
                "must be zero or positive");
        assertInvalid(() -> SlowStartPolicy.of(Duration.ofSeconds(1), 0, 10), "aggression", 0.0,
                "must be a number above 0");
        assertInvalid(() -> SlowStartPolicy.of(Duration.ofSeconds(1), 1, 101), "minWeightPercent", "101%",
                "must be between 0% and 100%");
    }
}
