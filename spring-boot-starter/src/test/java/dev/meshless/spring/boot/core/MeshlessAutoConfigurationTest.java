package dev.meshless.spring.boot.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.balancer.EndpointStrategy;
import dev.meshless.call.ServiceClient;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.MeshlessInstance;
import dev.meshless.spring.boot.actuate.MeshlessActuatorAutoConfiguration;
import dev.meshless.spring.boot.actuate.MeshlessEndpoint;
import dev.meshless.spring.boot.actuate.MeshlessHealthIndicator;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.topology.Locality;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.EventProcessor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.ClassUtils;

/** The starter's core: locality, registry, policies and clients from application properties. */
class MeshlessAutoConfigurationTest {

    private static final String[] TOPOLOGY = {
        "spring.application.name=checkout",
        "meshless.locality.region=r1", "meshless.locality.zone=r1-a",
        "meshless.registry.endpoints.inventory[0].host=10.0.0.1", "meshless.registry.endpoints.inventory[0].port=8080",
        "meshless.registry.endpoints.inventory[0].region=r1", "meshless.registry.endpoints.inventory[0].zone=r1-a",
        "meshless.registry.endpoints.inventory[1].host=10.0.0.2", "meshless.registry.endpoints.inventory[1].port=8080",
        "meshless.registry.endpoints.inventory[1].region=r1", "meshless.registry.endpoints.inventory[1].zone=r1-b",
    };

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MeshlessAutoConfiguration.class,
                    MeshlessActuatorAutoConfiguration.class));

    @Test
    void staticEndpointsLocalityAndPoliciesMakeAWorkingClient() {
        runner.withPropertyValues(TOPOLOGY)
                .withPropertyValues("meshless.defaults.retry.max-attempts=2",
                        "meshless.defaults.load-balancing.panic-threshold=30%",
                        "meshless.services.inventory.retry.max-attempts=4",
                        "meshless.services.inventory.load-balancing.endpoint-strategy=weighted-round-robin",
                        "meshless.services.inventory.timeouts.per-try=250ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    MeshlessInstance instance = context.getBean(MeshlessInstance.class);
                    assertThat(instance.locality()).isEqualTo(Locality.of("r1", "r1-a"));
                    assertThat(instance.service()).isEqualTo("checkout");
                    ServiceClient inventory = context.getBean(MeshlessClients.class).client("inventory");
                    assertThat(inventory.policy().maxAttempts()).isEqualTo(4);
                    assertThat(inventory.policy().perTryTimeout()).isEqualTo(Duration.ofMillis(250));
                    assertThat(inventory.balancer().policy().panicThresholdPercent()).isEqualTo(30.0);
                    assertThat(inventory.balancer().policy().endpointStrategy())
                            .isEqualTo(EndpointStrategy.WEIGHTED_ROUND_ROBIN);
                    String host = inventory.call(a -> a.endpoint().host());
                    assertThat(host).isEqualTo("10.0.0.1");
                    assertThat(context.getBean(MeshlessClients.class).client("billing").policy().maxAttempts())
                            .as("defaults apply to services without overrides").isEqualTo(2);
                    assertThat(context.getBean(MeshlessClients.class).routes("inventory")).isTrue();
                    assertThat(context.getBean(MeshlessClients.class).routes("example.com")).isFalse();
                });
    }

    @Test
    @SuppressWarnings("unchecked")
    void theActuatorPlanShowsWhatActiveHealthChecksProbeAndTheSlowStartSettingsBind() {
        runner.withPropertyValues(TOPOLOGY)
                .withPropertyValues("management.endpoints.web.exposure.include=meshless",
                        "meshless.services.inventory.health-check.path=/ready",
                        "meshless.services.inventory.slow-start.window=20s",
                        "meshless.services.inventory.slow-start.min-weight-percent=25%")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ServiceClient inventory = context.getBean(MeshlessClients.class).client("inventory");
                    assertThat(inventory.balancer().slowStart().window()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(inventory.balancer().slowStart().minWeightPercent()).isEqualTo(25.0);
                    dev.meshless.balancer.Pick pick = inventory.balancer().picker().pickOf("10.0.0.1:8080");
                    for (int i = 0; i < 5; i++) {
                        inventory.begin(pick).complete(null, new java.net.ConnectException("refused"));
                    }

                    Map<String, Object> plan = context.getBean(MeshlessEndpoint.class).service("inventory");

                    assertThat(plan.get("probing")).isEqualTo(List.of("10.0.0.1:8080"));
                    assertThat((String) plan.get("healthCheck")).contains("GET /ready");
                    Map<String, Object> tier0 = ((List<Map<String, Object>>) plan.get("tiers")).get(0);
                    Map<String, Object> zone = ((List<Map<String, Object>>) tier0.get("zones")).get(0);
                    Map<String, Object> endpoint = ((List<Map<String, Object>>) zone.get("endpoints")).get(0);
                    assertThat((Map<String, Object>) endpoint.get("probe")).containsEntry("reason", "ejected")
                            .containsKeys("consecutivePasses", "consecutiveFailures", "lastResult", "lastAt");
                });
    }

    @Test
    void everyBeanBacksOffForTheApplicationsOwn() {
        StaticRegistry own = StaticRegistry.builder().build();
        runner.withPropertyValues(TOPOLOGY)
                .withBean(EndpointRegistry.class, () -> own)
                .withBean(MeshlessInstance.class, () -> new MeshlessInstance("x", null, Locality.of("r9", "z9")))
                .run(context -> {
                    assertThat(context.getBean(EndpointRegistry.class)).isSameAs(own);
                    assertThat(context.getBean(MeshlessInstance.class).service()).isEqualTo("x");
                });
    }

    @Test
    void anApplicationsResilience4jRegistryHoldsTheBreakers() {
        CircuitBreakerRegistry shared = CircuitBreakerRegistry.ofDefaults();
        runner.withPropertyValues(TOPOLOGY).withBean(CircuitBreakerRegistry.class, () -> shared)
                .run(context -> assertThat(shared.find("inventory")).isPresent());
    }

    @Test
    void metersAreBoundWhenThereIsAMeterRegistry() {
        assertThat(ClassUtils.isPresent("io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics", null))
                .as("resilience4j-micrometer on the class path, as in applications that have it").isTrue();
        runner.withPropertyValues(TOPOLOGY).withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    context.getBean(MeshlessClients.class).client("inventory").call(a -> "ok");
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.find("meshless.client.requests").tag("service", "inventory").timers())
                            .isNotEmpty();
                    assertThat(meters.find("meshless.locality.share").gauges()).isNotEmpty();
                    assertThat(meters.get("meshless.zone.breaker.state").tags("service", "inventory", "zone", "r1-a",
                            "state", "closed").gauge().value()).isEqualTo(1);
                    assertThat(meters.get("meshless.service.breaker.state").tags("service", "inventory",
                            "state", "closed").gauge().value()).isEqualTo(1);
                    assertThat(meters.find("resilience4j.circuitbreaker.calls").meters())
                            .as("no per-call timer for Meshless's breakers").isEmpty();
                    assertThat(meters.find("resilience4j.circuitbreaker.state").meters())
                            .as("nor Resilience4j's own gauges, which would repeat Meshless's").isEmpty();
                });
    }

    @Test
    void breakersInTheApplicationsRegistryAreMeasuredAsTheApplicationConfiguredThem() {
        CircuitBreakerRegistry shared = CircuitBreakerRegistry.ofDefaults();
        CircuitBreaker own = shared.circuitBreaker("payments");
        runner.withPropertyValues(TOPOLOGY).withBean(CircuitBreakerRegistry.class, () -> shared)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    context.getBean(MeshlessClients.class).client("inventory").call(a -> "ok");
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.find("meshless.zone.breaker.state").tag("zone", "r1-a").gauges())
                            .as("Meshless's breakers in the shared registry get Meshless's gauges").isNotEmpty();
                    assertThat(meters.find("meshless.service.breaker.state").tag("service", "payments").gauges())
                            .as("the application's own breaker is not Meshless's to measure").isEmpty();
                    assertThat(meters.find("resilience4j.circuitbreaker.state").gauges())
                            .as("Resilience4j's meters are bound only by whoever owns the registry").isEmpty();
                    assertThat(((EventProcessor<?>) own.getEventPublisher()).hasConsumers()).isFalse();
                });
    }

    @Test
    void withoutMicrometerEverythingStillWorks() {
        runner.withPropertyValues(TOPOLOGY).withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> {
                    Integer answer = context.getBean(MeshlessClients.class).client("inventory").call(a -> 1);
                    assertThat(answer).isEqualTo(1);
                });
    }

    @Test
    void meshlessCanBeTurnedOff() {
        runner.withPropertyValues(TOPOLOGY).withPropertyValues("meshless.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(MeshlessClients.class));
    }

    @Test
    void aMissingLocalityTurnsLocalityRoutingOffWithAWarning() {
        runner.withPropertyValues("meshless.registry.endpoints.inventory[0].host=h",
                        "meshless.registry.endpoints.inventory[0].port=1", "meshless.registry.endpoints.inventory[0].region=r1",
                        "meshless.registry.endpoints.inventory[0].zone=a",
                        "meshless.locality.region-variables=NO_SUCH_VARIABLE_1",
                        "meshless.locality.zone-variables=NO_SUCH_VARIABLE_2")
                .run(context -> {
                    assertThat(context.getBean(MeshlessInstance.class).locality()).isNull();
                    assertThat(context.getBean(MeshlessClients.class).client("inventory").balancer().plan().tiers())
                            .singleElement().satisfies(t -> assertThat(t.kind().tag()).isEqualTo("any"));
                });
    }

    @Test
    void badValuesStopStartupNamingThePropertyTheValueAndTheRule() {
        assertFails(new String[] {"meshless.defaults.load-balancing.overprovisioning-factor=0.5"},
                "meshless.defaults.load-balancing.overprovisioning-factor", "0.5", "must be a finite number of at least 1.0");
        assertFails(new String[] {"meshless.services.inventory.retry.max-attempts=0"},
                "meshless.services.inventory.retry.max-attempts", "0", "must be between 1 and 10");
        assertFails(new String[] {"meshless.defaults.timeouts.deadline=1s", "meshless.services.inventory.timeouts.per-try=2s"},
                "meshless.services.inventory.timeouts.per-try", "2s", "must not exceed the deadline (1s)");
        assertFails(new String[] {"meshless.registry.endpoints.inventory[1].port=70000"},
                "meshless.registry.endpoints.inventory[1].port", "70000", "must be between 1 and 65535");
        assertFails(new String[] {"meshless.registry.endpoints.inventory[1].id=10.0.0.1:8080"},
                "meshless.registry.endpoints.inventory[1].id", "10.0.0.1:8080", "must be unique within service 'inventory'");
        assertFails(new String[] {"meshless.services.inventory.outbound-rate-limit.limit-for-period=10",
                        "meshless.services.inventory.outbound-rate-limit.burst=11"},
                "meshless.services.inventory.outbound-rate-limit.burst", "11", "must be between 1 and the limit for period (10)");
        assertFails(new String[] {"meshless.defaults.zone-breaker.failure-rate-threshold=0%"},
                "meshless.defaults.zone-breaker.failure-rate-threshold", "0%", "must be above 0%");
        assertFails(new String[] {"meshless.locality.zone= "}, "meshless.locality.zone", "''",
                "must be a non-blank name");
        // The window comes from the defaults, the bad minimum from the service: the service's key is named.
        assertFails(new String[] {"meshless.defaults.zone-breaker.sliding-window-size=5",
                        "meshless.services.inventory.zone-breaker.minimum-number-of-calls=0"},
                "meshless.services.inventory.zone-breaker.minimum-number-of-calls", "0", "must be at least 1");
        // The floor from the defaults, the ceiling from the service: the one that breaks the order is named.
        assertFails(new String[] {"meshless.defaults.adaptive-concurrency.min-limit=10",
                        "meshless.services.inventory.adaptive-concurrency.max-limit=5"},
                "meshless.defaults.adaptive-concurrency.min-limit", "10", "must be at most the max limit (5)");
        assertFails(new String[] {"meshless.services.inventory.adaptive-concurrency.max-wait=2m"},
                "meshless.services.inventory.adaptive-concurrency.max-wait", "2m", "must be between 0s and 1m");
    }

    @Test
    void adaptiveConcurrencyIsOffUnlessTurnedOnAndBindsFromTheDefaultsAndTheService() {
        runner.withPropertyValues(TOPOLOGY).withPropertyValues(
                        "meshless.defaults.adaptive-concurrency.algorithm=vegas",
                        "meshless.defaults.adaptive-concurrency.max-wait=50ms",
                        "meshless.services.inventory.adaptive-concurrency.enabled=true",
                        "meshless.services.inventory.adaptive-concurrency.max-limit=40")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    dev.meshless.adaptive.AdaptiveConcurrencyLimiter limiter = context.getBean(MeshlessClients.class)
                            .client("inventory").concurrencyLimiter();
                    assertThat(limiter.policy()).isEqualTo(dev.meshless.adaptive.AdaptiveConcurrencyPolicy.builder()
                            .enabled(true).algorithm(dev.meshless.adaptive.AdaptiveConcurrencyPolicy.Algorithm.VEGAS)
                            .maxLimit(40).maxWait(Duration.ofMillis(50)).build());
                });
        runner.withPropertyValues(TOPOLOGY).run(context -> assertThat(context.getBean(MeshlessClients.class)
                .client("inventory").concurrencyLimiter()).as("off by default").isNull());
    }

    private void assertFails(String[] properties, String property, String value, String rule) {
        runner.withPropertyValues(TOPOLOGY).withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            Throwable root = context.getStartupFailure();
            while (root != null && !(root instanceof InvalidMeshlessConfigurationException)) {
                root = root.getCause();
            }
            assertThat(root).as("failure for %s", property).isInstanceOfSatisfying(
                    InvalidMeshlessConfigurationException.class, e -> {
                        assertThat(e.property()).isEqualTo(property);
                        assertThat(e.getMessage()).contains(value).contains(rule);
                    });
        });
    }

    @Test
    void theActuatorEndpointShowsPlansEndpointsAndEvents() {
        runner.withPropertyValues(TOPOLOGY).withPropertyValues("management.endpoints.web.exposure.include=meshless")
                .run(context -> {
            MeshlessClients clients = context.getBean(MeshlessClients.class);
            ServiceClient inventory = clients.client("inventory");
            inventory.balancer().setZoneAvailable(Locality.of("r1", "r1-a"), false);
            @SuppressWarnings("unchecked")
            Map<String, Object> report = (Map<String, Object>) ((Map<String, Object>) context.getBean(
                    MeshlessEndpoint.class).report().get("services")).get("inventory");

            assertThat(report.get("routable")).isEqualTo(true);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> tiers = (List<Map<String, Object>>) report.get("tiers");
            assertThat(tiers).extracting(t -> t.get("share")).containsExactly(0.0, 1.0);
            assertThat(tiers).extracting(t -> t.get("regions")).containsExactly(List.of("r1"), List.of("r1"));
            assertThat(report).containsEntry("regionOrder", List.of()).containsEntry("probeShare", 0.0);
            assertThat(context.getBean(MeshlessEndpoint.class).report().get("loadShedding"))
                    .as("load shedding is off").isEqualTo(Map.of("enabled", false));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> events = (List<Map<String, Object>>) report.get("events");
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.get("type")).isEqualTo("failover");
                assertThat((String) e.get("detail")).isEqualTo("traffic now r1-b 100.0%");
            });
            assertThat(report.toString()).doesNotContain("metadata");
        });
    }

    @Test
    void healthStaysUpAndNamesServicesWithoutEndpoints() {
        runner.withPropertyValues(TOPOLOGY).run(context -> {
            context.getBean(MeshlessClients.class).client("ghost");
            Health health = context.getBean(MeshlessHealthIndicator.class).health();

            assertThat(health.getStatus().getCode()).isEqualTo("UP");
            assertThat(health.getDetails()).containsEntry("degraded", true);
            assertThat(health.getDetails().get("servicesWithoutEndpoints").toString()).contains("ghost");
        });
    }
}
