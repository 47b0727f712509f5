package dev.meshless.balancer;

import dev.meshless.config.Percent;
import static dev.meshless.testing.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Policies are checked when built, with the property and the value named. */
class PolicyValidationTest {

    @Test
    void defaultsAreEnvoys() {
        LoadBalancingPolicy p = LoadBalancingPolicy.defaults();

        assertThat(p.overprovisioningFactor()).isEqualTo(1.4);
        assertThat(p.panicThresholdPercent()).isEqualTo(50.0);
        assertThat(p.minClusterSize()).isEqualTo(6);
        assertThat(p.zoneAware()).isTrue();
        assertThat(p.endpointStrategy()).isEqualTo(EndpointStrategy.LEAST_REQUEST);
        assertThat(p.regionOrder()).isEmpty();
        assertThat(p.excludeUnlistedRegions()).isFalse();
        assertThat(p.warningIsHealthy()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.99, 0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY})
    void overprovisioningFactorBelowOneIsRejected(double factor) {
        assertInvalid(() -> LoadBalancingPolicy.builder().overprovisioningFactor(factor), "overprovisioningFactor",
                factor, "must be a finite number of at least 1.0");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 100.1, Double.NaN})
    void panicThresholdOutsideZeroToHundredIsRejected(double percent) {
        assertInvalid(() -> LoadBalancingPolicy.builder().panicThresholdPercent(percent), "panicThreshold",
                Percent.format(percent), "must be between 0% and 100%");
    }

    @Test
    void regionOrderRejectsBlankAndRepeatedNames() {
        assertInvalid(() -> LoadBalancingPolicy.builder().regionOrder("r1", " "), "regionOrder[1]", " ",
                "must be a non-blank region name");
        assertThatThrownBy(() -> LoadBalancingPolicy.builder().regionOrder("r1", " "))
                .hasMessage("regionOrder[1] must be a non-blank region name, but was ' '");
        assertInvalid(() -> LoadBalancingPolicy.builder().regionOrder(Arrays.asList("r1", null)), "regionOrder[1]",
                null, "must be a non-blank region name");
        assertInvalid(() -> LoadBalancingPolicy.builder().regionOrder("r1", "r2", "r1"), "regionOrder[2]", "r1",
                "repeats a region listed before it");
        assertInvalid(() -> LoadBalancingPolicy.builder().regionOrder((java.util.List<String>) null), "regionOrder",
                null, "must be set");
    }

    @Test
    void minClusterSizeAndStrategyAreChecked() {
        assertInvalid(() -> LoadBalancingPolicy.builder().minClusterSize(0), "minClusterSize", 0, "must be at least 1");
        assertInvalid(() -> LoadBalancingPolicy.builder().endpointStrategy(null), "endpointStrategy", null,
                "must be set");
    }

    @Test
    void builtPoliciesAreImmutableCopies() {
        LoadBalancingPolicy.Builder builder = LoadBalancingPolicy.builder().regionOrder("r2");
        LoadBalancingPolicy first = builder.build();
        builder.regionOrder("r3");

        assertThat(first.regionOrder()).containsExactly("r2");
        assertThat(first.toBuilder().build()).isEqualTo(first).hasSameHashCodeAs(first);
        assertThat(builder.build()).isNotEqualTo(first);
    }

    @Test
    void builderRejectsABlankService() {
        assertThatThrownBy(() -> LocalityLoadBalancer.builder(" "))
                .hasMessage("service must be a non-blank name, but was ' '");
        assertThatThrownBy(() -> LocalityLoadBalancer.builder("inventory").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("registry must be set for service 'inventory'");
        assertThatThrownBy(() -> LocalityLoadBalancer.builder("inventory").callerService(""))
                .hasMessage("callerService must be null or a non-blank name, but was ''");
    }
}
