package dev.meshless.adaptive;

import static dev.meshless.testing.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.policy.PolicySpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdaptiveConcurrencyPolicyTest {

    @Test
    void isOffByDefaultWithEnvoysFloorAndNetflixsStartAndCeiling() {
        AdaptiveConcurrencyPolicy p = AdaptiveConcurrencyPolicy.disabled();
        assertThat(p.enabled()).isFalse();
        assertThat(p.algorithm()).isEqualTo(AdaptiveConcurrencyPolicy.Algorithm.GRADIENT2);
        assertThat(p.initialLimit()).isEqualTo(20);
        assertThat(p.minLimit()).isEqualTo(3);
        assertThat(p.maxLimit()).isEqualTo(200);
        assertThat(p.maxWait()).isZero();
        assertThat(new PolicySpec().toPolicies("inventory").call().adaptiveConcurrency()).isEqualTo(p);
    }

    @Test
    void limitsLeftOutFollowTheOnesSet() {
        AdaptiveConcurrencyPolicy small = AdaptiveConcurrencyPolicy.builder().maxLimit(2).build();
        assertThat(small.minLimit()).isEqualTo(2);
        assertThat(small.initialLimit()).isEqualTo(2);
        AdaptiveConcurrencyPolicy high = AdaptiveConcurrencyPolicy.builder().minLimit(50).build();
        assertThat(high.initialLimit()).isEqualTo(50);
    }

    @Test
    void badValuesAreNamedByTheirPathInTheSpecification() {
        PolicySpec spec = new PolicySpec();
        spec.getAdaptiveConcurrency().setMinLimit(0);
        assertInvalid(() -> spec.toPolicies("inventory"), "adaptiveConcurrency.minLimit", 0, "must be at least 1");

        PolicySpec order = new PolicySpec();
        order.getAdaptiveConcurrency().setMinLimit(10);
        order.getAdaptiveConcurrency().setMaxLimit(5);
        assertInvalid(() -> order.toPolicies("inventory"), "adaptiveConcurrency.minLimit", 10,
                "must be at most the max limit (5)");

        PolicySpec initial = new PolicySpec();
        initial.getAdaptiveConcurrency().setInitialLimit(500);
        assertInvalid(() -> initial.toPolicies("inventory"), "adaptiveConcurrency.initialLimit", 500,
                "must be between the min limit (3) and the max limit (200)");

        PolicySpec wait = new PolicySpec();
        wait.getAdaptiveConcurrency().setMaxWait(Duration.ofMillis(-1));
        assertInvalid(() -> wait.toPolicies("inventory"), "adaptiveConcurrency.maxWait", Duration.ofMillis(-1),
                "must be between 0s and 1m");
    }

    @Test
    void theSpecificationMapsEverySetting() {
        PolicySpec spec = new PolicySpec();
        AdaptiveConcurrencySpec a = spec.getAdaptiveConcurrency();
        a.setEnabled(true);
        a.setAlgorithm(AdaptiveConcurrencyPolicy.Algorithm.VEGAS);
        a.setInitialLimit(8);
        a.setMinLimit(2);
        a.setMaxLimit(40);
        a.setMaxWait(Duration.ofMillis(50));

        assertThat(spec.toPolicies("inventory").call().adaptiveConcurrency()).isEqualTo(
                AdaptiveConcurrencyPolicy.builder().enabled(true).algorithm(AdaptiveConcurrencyPolicy.Algorithm.VEGAS)
                        .initialLimit(8).minLimit(2).maxLimit(40).maxWait(Duration.ofMillis(50)).build());
        assertThat(PolicySpec.RESTART_REQUIRED).contains("adaptiveConcurrency");
    }
}
