package dev.meshless.balancer;

import static dev.meshless.testing.TestEndpoints.balancer;
import static dev.meshless.testing.TestEndpoints.concat;
import static dev.meshless.testing.TestEndpoints.endpointFractions;
import static dev.meshless.testing.TestEndpoints.zone;
import static dev.meshless.testing.TestEndpoints.zoneFractions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.meshless.topology.Endpoint;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Retries: previous hosts and previous priorities. */
class RetryExclusionsTest {

    @RepeatedTest(20)
    void neverPicksATriedEndpointWhileAnotherRemains() {
        LocalityLoadBalancer lb = balancer(concat(zone("r1", "r1-a", 3, 0), zone("r1", "r1-b", 2, 0),
                zone("r2", "r2-a", 2, 0)));
        Exclusions tried = Exclusions.none();
        Set<String> seen = new HashSet<>();

        for (int attempt = 0; attempt < 7; attempt++) {
            Pick pick = lb.pick(tried);
            assertThat(seen.add(pick.endpoint().id())).as("attempt %d picked %s again", attempt, pick).isTrue();
            tried = tried.withEndpoint(pick.endpoint());
        }

        Exclusions all = tried;
        assertThatThrownBy(() -> lb.pick(all)).isInstanceOfSatisfying(NoEndpointAvailableException.class, e -> {
            assertThat(e.reason()).isEqualTo(NoEndpointAvailableException.Reason.ALL_EXCLUDED);
            assertThat(e.excludedEndpoints()).hasSize(7).containsExactlyInAnyOrderElementsOf(seen);
            assertThat(e).hasMessageContaining("every routable endpoint was already tried");
        });
    }

    @Test
    void retriesStayInTheTierWhileItHasUntriedEndpoints() {
        LocalityLoadBalancer lb = balancer(concat(zone("r1", "r1-a", 3, 0), zone("r1", "r1-b", 3, 0)));
        Pick first = lb.pick();

        for (int i = 0; i < 1_000; i++) {
            Pick retry = lb.pick(Exclusions.none().withEndpoint(first.endpoint()));
            assertThat(retry.tier()).isZero();
            assertThat(retry.endpoint()).isNotEqualTo(first.endpoint());
        }
    }

    @Test
    void exhaustedLocalZoneMovesRetriesToTheNextTier() {
        LocalityLoadBalancer lb = balancer(concat(zone("r1", "r1-a", 1, 0), zone("r1", "r1-b", 1, 0)));
        Pick first = lb.pick();
        assertThat(first.tier()).isZero();

        Pick retry = lb.pick(Exclusions.none().withEndpoint(first.endpoint()));

        assertThat(retry.endpoint().id()).isEqualTo("r1-b-0");
    }

    @Test
    void excludingATierRecomputesTheSpillOverTheRest() {
        // Tier 1 is 50 % healthy (0.7), tier 2 healthy: without tier 0 they split 70 / 30.
        LocalityLoadBalancer lb = balancer(concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 1, 1),
                zone("r2", "r2-a", 2, 0)));
        Exclusions noTier0 = Exclusions.none().withTier(0);

        Map<String, Double> byZone = zoneFractions(() -> lb.pick(noTier0), 100_000);

        assertThat(byZone).doesNotContainKey("r1-a");
        assertThat(byZone.get("r1-b")).isCloseTo(0.7, within(0.01));
        assertThat(byZone.get("r2-a")).isCloseTo(0.3, within(0.01));
    }

    @Test
    void aRetryWithATierExcludedSplitsAsThePlanOfTheTiersLeftWouldPanicIncluded() {
        // Without tier 0, tiers 1 and 2 are each a quarter healthy: total health 0.7 < 1, so both
        // panic and split 50 / 50 over all their endpoints, as a plan without tier 0 says.
        List<Endpoint> rest = concat(zone("r1", "r1-b", 1, 3), zone("r2", "r2-a", 1, 3));
        LocalityLoadBalancer lb = balancer(concat(zone("r1", "r1-a", 2, 0), rest));
        RoutingPlan withoutTier0 = balancer(rest).plan();

        Map<String, Double> retries = zoneFractions(() -> lb.pick(Exclusions.none().withTier(0)), 100_000);
        Map<String, Double> endpoints = endpointFractions(() -> lb.pick(Exclusions.none().withTier(0)), 100_000);

        assertThat(withoutTier0.panicTiers()).containsExactly(1, 2);
        assertThat(retries.get("r1-b")).isCloseTo(withoutTier0.tierShare(1), within(0.01));
        assertThat(retries.get("r2-a")).isCloseTo(withoutTier0.tierShare(2), within(0.01));
        assertThat(endpoints.get("r1-b-3")).as("an unhealthy endpoint of a tier in panic")
                .isCloseTo(withoutTier0.shareByEndpoint().get("r1-b-3"), within(0.01));
    }

    @Test
    void excludingEveryTierFailsWithAllExcluded() {
        LocalityLoadBalancer lb = balancer(concat(zone("r1", "r1-a", 1, 0), zone("r1", "r1-b", 1, 0)));

        assertThatThrownBy(() -> lb.pick(Exclusions.none().withTier(0).withTier(1)))
                .isInstanceOfSatisfying(NoEndpointAvailableException.class, e -> {
                    assertThat(e.reason()).isEqualTo(NoEndpointAvailableException.Reason.ALL_EXCLUDED);
                    assertThat(e.excludedTiers()).containsExactly(0, 1);
                    assertThat(e).hasMessageContaining("excluded tiers [0, 1]");
                });
    }

    @Test
    void retriesNeverReachUnhealthyEndpointsOutsidePanic() {
        LocalityLoadBalancer lb = balancer(concat(zone("r1", "r1-a", 2, 2), zone("r1", "r1-b", 1, 3)));
        Exclusions tried = Exclusions.none().withEndpointId("r1-a-0").withEndpointId("r1-a-1");

        for (int i = 0; i < 1_000; i++) {
            assertThat(lb.pick(tried).endpoint().id()).isEqualTo("r1-b-0");
        }
        assertThatThrownBy(() -> lb.pick(tried.withEndpointId("r1-b-0")))
                .isInstanceOf(NoEndpointAvailableException.class);
    }

    @Test
    void retryAfterTheOnlyHealthyTierFailsPanicsInTheNextTier() {
        // Tier 0 healthy; tier 1 entirely critical. Excluding tier 0 leaves no health at all: the
        // remaining tier is used in panic, as Envoy does when nothing healthy is left.
        LocalityLoadBalancer lb = balancer(concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 0, 2)));

        Pick retry = lb.pick(Exclusions.none().withTier(0));

        assertThat(retry.endpoint().locality().zone()).isEqualTo("r1-b");
    }

    @Test
    void retryWithPanicDisabledAndNothingHealthyLeftFails() {
        LocalityLoadBalancer lb = balancer(concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 0, 2)),
                LoadBalancingPolicy.builder().panicThresholdPercent(0).build());

        assertThatThrownBy(() -> lb.pick(Exclusions.none().withTier(0)))
                .isInstanceOfSatisfying(NoEndpointAvailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(NoEndpointAvailableException.Reason.ALL_UNHEALTHY));
    }

    @Test
    void excludedZonesAreAvoidedAndTheirShareGoesToTheOthers() {
        LocalityLoadBalancer lb = balancer(concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 2, 0),
                zone("r1", "r1-c", 2, 0)));
        Exclusions noLocalZone = Exclusions.none().withZone(dev.meshless.topology.Locality.of("r1", "r1-a", "rack"));

        Map<String, Double> byZone = zoneFractions(() -> lb.pick(noLocalZone), 20_000);

        assertThat(byZone).containsOnlyKeys("r1-b", "r1-c");
        assertThat(byZone.get("r1-b")).isCloseTo(0.5, within(0.02));
        Exclusions everyZone = noLocalZone.withZone(dev.meshless.topology.Locality.of("r1", "r1-b"))
                .withZone(dev.meshless.topology.Locality.of("r1", "r1-c"));
        assertThatThrownBy(() -> lb.pick(everyZone)).isInstanceOfSatisfying(NoEndpointAvailableException.class,
                e -> assertThat(e).hasMessageContaining("excluded zones [r1/r1-a, r1/r1-b, r1/r1-c]"));
    }

    @Test
    void exclusionsAreImmutableValues() {
        Exclusions none = Exclusions.none();
        Exclusions one = none.withEndpointId("a");

        assertThat(none.isEmpty()).isTrue();
        assertThat(one.endpointIds()).containsExactly("a");
        assertThat(one.withEndpointId("a")).isSameAs(one);
        assertThat(one.withTier(3).tiers()).containsExactly(3);
        assertThat(one.tiers()).isEmpty();
        assertThatThrownBy(() -> none.withTier(64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tier must be between 0 and 63, but was 64");
    }
}
