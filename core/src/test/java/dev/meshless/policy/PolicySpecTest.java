package dev.meshless.policy;

import static dev.meshless.testing.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.balancer.EndpointStrategy;
import dev.meshless.breaker.Breakers;
import dev.meshless.call.CallPolicy;
import dev.meshless.config.Paths;
import dev.meshless.config.Percent;
import dev.meshless.config.Spec;
import dev.meshless.config.Specs;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicySpecTest {

    @Test
    void anEmptySpecificationGivesEveryBuilderDefault() {
        ServicePolicies p = new PolicySpec().toPolicies("inventory");
        assertThat(p.balancing()).isEqualTo(dev.meshless.balancer.LoadBalancingPolicy.defaults());
        assertSameCallPolicy(p.call(), CallPolicy.defaults());
        assertThat(p.outboundRateLimit()).isNull();
    }

    @Test
    void theBuiltInSpecificationStatesEveryDefaultAndMapsOntoTheDefaults() {
        PolicySpec builtIn = PolicySpec.builtIn();
        ServicePolicies p = builtIn.toPolicies("inventory");
        assertThat(p.balancing()).isEqualTo(dev.meshless.balancer.LoadBalancingPolicy.defaults());
        assertSameCallPolicy(p.call(), CallPolicy.defaults());
        // Every setting has a stated default except those whose absence is the default.
        for (String path : leaves(PolicySpec.class, "")) {
            if (!Set.of("timeouts.perTry", "outboundRateLimit.limitForPeriod", "outboundRateLimit.burst", "healthCheck.port",
                    "loadBalancing.regionOrder").contains(path)) {
                assertThat(Specs.get(builtIn, path)).as(path).isNotNull();
            }
        }
        assertThat(builtIn.getZoneBreaker().getSlidingWindowSize()).isEqualTo(20);
        assertThat(builtIn.getServiceBreaker().getSlidingWindowSize()).isEqualTo(100);
    }

    @Test
    void aServiceSectionLayersOverTheDefaultsSettingBySetting() {
        PolicySpec defaults = new PolicySpec();
        defaults.getRetry().setMaxAttempts(2);
        defaults.getTimeouts().setDeadline(Duration.ofSeconds(5));
        PolicySpec inventory = new PolicySpec();
        inventory.getTimeouts().setPerTry(Duration.ofMillis(300));
        inventory.getLoadBalancing().setRegionOrder(List.of("eu-central-1"));

        CallPolicy call = Specs.merge(inventory, defaults).toPolicies("inventory").call();

        assertThat(call.maxAttempts()).isEqualTo(2);
        assertThat(call.deadline()).isEqualTo(Duration.ofSeconds(5));
        assertThat(call.perTryTimeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(defaults.getTimeouts().getPerTry()).as("inputs unchanged").isNull();
    }

    @Test
    void aBadValueIsNamedByItsPathFromThePolicySpecification() {
        PolicySpec spec = new PolicySpec();
        spec.getOutlierDetection().setMaxEjectionTime(Duration.ofSeconds(5));
        assertInvalid(() -> spec.toPolicies("inventory"), "outlierDetection.maxEjectionTime", Duration.ofSeconds(5),
                "must be at least the base ejection time (30s)");

        PolicySpec lb = new PolicySpec();
        lb.getLoadBalancing().setRegionOrder(List.of("r2", "r2"));
        assertInvalid(() -> lb.toPolicies("inventory"), "loadBalancing.regionOrder[1]", "r2",
                "repeats a region listed before it");

        PolicySpec limit = new PolicySpec();
        limit.getOutboundRateLimit().setLimitForPeriod(10);
        limit.getOutboundRateLimit().setBurst(20);
        assertInvalid(() -> limit.toPolicies("inventory"), "outboundRateLimit.burst", 20,
                "must be between 1 and the limit for period (10)");

        PolicySpec methods = new PolicySpec();
        methods.getRetry().setRetryableMethods(List.of("GET", "GET", "P O"));
        assertInvalid(() -> methods.toPolicies("inventory"), "retry.retryableMethods[2]", "P O",
                "must be an HTTP method name");

        PolicySpec breaker = new PolicySpec();
        breaker.getZoneBreaker().setFailureRateThreshold(Percent.of(0));
        assertInvalid(() -> breaker.toPolicies("inventory"), "zoneBreaker.failureRateThreshold", "0%",
                "must be above 0% and at most 100%");
    }

    @Test
    void breakersTakeTheirOwnDefaultsAndCanBeTurnedOff() {
        PolicySpec spec = new PolicySpec();
        spec.getZoneBreaker().setSlidingWindowSize(5);
        spec.getServiceBreaker().setEnabled(false);
        CallPolicy call = spec.toPolicies("inventory").call();
        CircuitBreakerConfig zone = call.zoneBreaker();
        assertThat(zone.getSlidingWindowSize()).isEqualTo(5);
        assertThat(zone.getMinimumNumberOfCalls()).as("capped at the window, as Resilience4j does").isEqualTo(5);
        assertThat(zone.getSlowCallDurationThreshold()).isEqualTo(Breakers.zoneDefaults().getSlowCallDurationThreshold());
        assertThat(call.serviceBreaker()).isNull();
    }

    @Test
    void anOutboundLimitIsNamedAfterItsServiceAndPercentagesNeedNoConversion() {
        PolicySpec spec = new PolicySpec();
        spec.getOutboundRateLimit().setLimitForPeriod(50);
        spec.getRetry().setBudgetRatio(Percent.valueOf("35%"));
        spec.getLoadBalancing().setPanicThreshold(Percent.valueOf("20"));
        spec.getLoadBalancing().setEndpointStrategy(EndpointStrategy.RANDOM);
        ServicePolicies p = spec.toPolicies("pricing");
        assertThat(p.outboundRateLimit().name()).isEqualTo("pricing-outbound");
        assertThat(p.call().retryBudgetPercent()).isEqualTo(35.0);
        assertThat(p.balancing().panicThresholdPercent()).isEqualTo(20.0);
    }

    @Test
    void changesAreListedByPath() {
        PolicySpec before = new PolicySpec();
        PolicySpec after = new PolicySpec();
        after.getRetry().setMaxAttempts(4);
        after.getZoneBreaker().setEnabled(false);
        assertThat(Specs.changes(before, after)).containsExactly("retry.maxAttempts", "zoneBreaker.enabled");
        assertThat(Specs.changes(before, new PolicySpec())).isEmpty();
    }

    @Test
    void pathsReachIntoMapsAndLists() {
        Holder h = new Holder();
        PolicySpec inventory = new PolicySpec();
        inventory.getLoadBalancing().setRegionOrder(List.of("r2", "r3"));
        h.services = Map.of("inventory", inventory);
        assertThat(Specs.get(h, "services[inventory].loadBalancing.regionOrder[1]")).isEqualTo("r3");
        assertThat(Specs.isSet(h, "services[pricing].retry.maxAttempts")).isFalse();
        assertThat(Paths.segments("services[a.b].retry")).containsExactly("services", "[a.b]", "retry");
    }

    /** A specification holding a map of specifications, as Spring Boot's properties do. */
    public static class Holder implements Spec {
        Map<String, PolicySpec> services;

        public Holder() {
        }
    }

    private static void assertSameCallPolicy(CallPolicy actual, CallPolicy expected) {
        assertThat(actual).usingRecursiveComparison().ignoringFields("outlierDetection", "zoneBreaker",
                "serviceBreaker").isEqualTo(expected);
        assertThat(actual.outlierDetection()).usingRecursiveComparison().isEqualTo(expected.outlierDetection());
        assertThat(BreakerSpec(actual.zoneBreaker())).usingRecursiveComparison()
                .isEqualTo(BreakerSpec(expected.zoneBreaker()));
        assertThat(BreakerSpec(actual.serviceBreaker())).usingRecursiveComparison()
                .isEqualTo(BreakerSpec(expected.serviceBreaker()));
    }

    private static dev.meshless.breaker.BreakerSpec BreakerSpec(CircuitBreakerConfig config) {
        return dev.meshless.breaker.BreakerSpec.of(config);
    }

    private static List<String> leaves(Class<? extends Spec> type, String prefix) {
        List<String> paths = new java.util.ArrayList<>();
        Specs.settings(type).forEach((name, t) -> {
            String path = Paths.join(prefix, name);
            if (Spec.class.isAssignableFrom(t)) {
                @SuppressWarnings("unchecked") Class<? extends Spec> nested = (Class<? extends Spec>) t;
                paths.addAll(leaves(nested, path));
            } else {
                paths.add(path);
            }
        });
        return paths;
    }
}
