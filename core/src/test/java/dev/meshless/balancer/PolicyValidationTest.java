package dev.meshless.balancer;

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
        assertThatThrownBy(() -> LoadBalancingPolicy.builder().overprovisioningFactor(factor))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("overprovisioningFactor must be a finite number of at least 1.0, but was " + factor);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 100.1, Double.NaN})
    void panicThresholdOutsideZeroToHundredIsRejected(double percent) {
        assertThatThrownBy(() -> LoadBalancingPolicy.builder().panicThresholdPercent(percent))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("panicThresholdPercent must be between 0 and 100, but was " + percent);
    }

    @Test
    void regionOrderRejectsBlankAndRepeatedNames() {
        assertThatThrownBy(() -> LoadBalancingPolicy.builder().regionOrder("r1", " "))
                .hasMessage("regionOrder[1] must be a non-blank region name, but was ' '");
        assertThatThrownBy(() -> LoadBalancingPolicy.builder().regionOrder(Arrays.asList("r1", null)))
                .hasMessage("regionOrder[1] must be a non-blank region name, but was null");
        assertThatThrownBy(() -> LoadBalancingPolicy.builder().regionOrder("r1", "r2", "r1"))
                .hasMessage("regionOrder[2] repeats region 'r1'");
        assertThatThrownBy(() -> LoadBalancingPolicy.builder().regionOrder((java.util.List<String>) null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("regionOrder must be a list of region names, but was null");
    }

    @Test
    void minClusterSizeAndStrategyAreChecked() {
        assertThatThrownBy(() -> LoadBalancingPolicy.builder().minClusterSize(0))
                .hasMessage("minClusterSize must be at least 1, but was 0");
        assertThatThrownBy(() -> LoadBalancingPolicy.builder().endpointStrategy(null))
                .hasMessage("endpointStrategy must be set, but was null");
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
