package dev.meshless.spring.boot.resilience4j;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static dev.meshless.spring.boot.http.ZoneBackends.ZONE_A;
import static dev.meshless.spring.boot.http.ZoneBackends.ZONE_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.call.ServiceCallException;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.ZoneAware;
import dev.meshless.spring.boot.http.AttemptLog;
import dev.meshless.spring.boot.http.HttpClientContexts;
import dev.meshless.spring.boot.http.ZoneBackends;
import dev.meshless.topology.Locality;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.EventProcessor;
import io.github.resilience4j.retry.annotation.Retry;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerMetricsAutoConfiguration;
import io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.client.RestClient;

/**
 * Meshless next to Resilience4j's own Spring Boot module ({@code resilience4j-spring-boot4}), as
 * docs/spring-boot.md describes it: Meshless's breakers live in the module's registry, where
 * {@code resilience4j.circuitbreaker.instances.<name>} configures them by name and
 * {@code configs.default} does not; the module's meters and event consumers reach them too; and a
 * {@code @CircuitBreaker} or {@code @Retry} on a {@code @ZoneAware} method wraps the whole Meshless
 * call. Runs in its own surefire execution, with the module on the class path (tag).
 */
@Tag("resilience4j-spring-boot")
@ExtendWith(OutputCaptureExtension.class)
class Resilience4jSpringBootTest {

    /** Meshless's breaker of the caller's zone, by the name docs/spring-boot.md gives it. */
    private static final String ZONE_A_BREAKER = "ledger-zone-r1-" + ZONE_A;
    private static final String ZONE_B_BREAKER = "ledger-zone-r1-" + ZONE_B;

    /** Started for each test (JUnit makes an instance per test). */
    private final ZoneBackends ledger = ZoneBackends.answering("ledger",
            get("/balance").willReturn(aResponse().withBody("100")));

    @AfterEach
    void stopBackends() {
        ledger.close();
    }

    /**
     * Meshless with Resilience4j's breaker and retry auto-configuration; outlier detection off, so
     * that only breakers keep a failing zone out.
     */
    private ApplicationContextRunner runner() {
        return HttpClientContexts.runner(ledger)
                .withConfiguration(AutoConfigurations.of(CircuitBreakerAutoConfiguration.class,
                        CircuitBreakerMetricsAutoConfiguration.class, RetryAutoConfiguration.class))
                .withPropertyValues("meshless.services.ledger.outlier-detection.enabled=false")
                .withBean(GuardedLedger.class);
    }

    @Test
    void instancesConfigureMeshlessBreakersByNameAndConfigsDefaultDoesNot() {
        ledger.stopZone(ZONE_A);
        runner().withPropertyValues(
                "resilience4j.circuitbreaker.configs.default.sliding-window-size=3",
                "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=3",
                "resilience4j.circuitbreaker.configs.strict.sliding-window-size=2",
                "resilience4j.circuitbreaker.configs.strict.minimum-number-of-calls=2",
                "resilience4j.circuitbreaker.instances." + ZONE_A_BREAKER + ".base-config=strict").run(context -> {
                    CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
                    GuardedLedger bean = context.getBean(GuardedLedger.class);

                    bean.plain();
                    bean.plain();
                    assertThat(breakers.circuitBreaker(ZONE_A_BREAKER).getState())
                            .as("the instance's window of 2 judged the zone after two failed attempts")
                            .isEqualTo(CircuitBreaker.State.OPEN);
                    bean.plain();
                    assertThat(bean.zones()).containsExactly(ZONE_A, ZONE_B, ZONE_A, ZONE_B, ZONE_B);

                    MeshlessClients clients = context.getBean(MeshlessClients.class);
                    assertThat(clients.client("ledger").zoneBreakers().breaker(Locality.of("r1", ZONE_A)))
                            .as("Meshless uses the breaker Resilience4j made from its instance")
                            .isSameAs(breakers.circuitBreaker(ZONE_A_BREAKER));
                    assertThat(breakers.find(ZONE_B_BREAKER)).get()
                            .extracting(cb -> cb.getCircuitBreakerConfig().getSlidingWindowSize())
                            .as("a breaker without an instance keeps Meshless's settings, not configs.default")
                            .isEqualTo(20);
                    assertThat(breakers.find("ledger")).get()
                            .extracting(cb -> cb.getCircuitBreakerConfig().getSlidingWindowSize())
                            .as("the service breaker too").isEqualTo(100);
                });
    }

    @Test
    void theModulesMetersAndEventConsumersReachMeshlessBreakersWhichKeepTheirGauges() {
        runner().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            context.getBean(GuardedLedger.class).plain();

            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.find("resilience4j.circuitbreaker.calls").tag("name", ZONE_A_BREAKER).timers())
                    .as("the module binds its per-call timers to every breaker of its registry").isNotEmpty();
            assertThat(meters.get("meshless.zone.breaker.state").tags("zone", ZONE_A, "state", "closed").gauge()
                    .value()).isEqualTo(1);
        });
        runner().withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("resilience4j.circuitbreaker.metrics.enabled=false").run(context -> {
                    context.getBean(GuardedLedger.class).plain();

                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.find("resilience4j.circuitbreaker.calls").timers()).isEmpty();
                    assertThat(meters.find("meshless.zone.breaker.state").tag("zone", ZONE_A).gauges()).isNotEmpty();
                    CircuitBreaker zone = context.getBean(CircuitBreakerRegistry.class).circuitBreaker(ZONE_A_BREAKER);
                    assertThat(((EventProcessor<?>) zone.getEventPublisher()).hasConsumers())
                            .as("the module's event buffer (actuator circuitbreakerevents) still subscribes")
                            .isTrue();
                });
    }

    @Test
    void aCircuitBreakerAnnotationSeesOneCallPerMethodCallWhateverMeshlessRetried() {
        ledger.stopZone(ZONE_A);
        runner().withPropertyValues(
                "resilience4j.circuitbreaker.instances.ledger-guard.sliding-window-size=2",
                "resilience4j.circuitbreaker.instances.ledger-guard.minimum-number-of-calls=2").run(context -> {
                    GuardedLedger bean = context.getBean(GuardedLedger.class);
                    CircuitBreaker guard = context.getBean(CircuitBreakerRegistry.class).circuitBreaker("ledger-guard");

                    assertThat(bean.guarded()).isEqualTo("100");
                    assertThat(bean.zones()).as("Meshless failed over inside the guarded call")
                            .containsExactly(ZONE_A, ZONE_B);
                    assertThat(guard.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
                    assertThat(guard.getMetrics().getNumberOfFailedCalls()).isZero();

                    ledger.stopZone(ZONE_B);
                    bean.zones().clear();
                    assertThatThrownBy(bean::guarded).isInstanceOf(ServiceCallException.class);
                    assertThat(bean.zones()).as("one guarded call, Meshless's three attempts").hasSize(3);
                    assertThat(guard.getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
                    assertThat(guard.getState()).as("one failed call of two, 50 %: the guard opens")
                            .isEqualTo(CircuitBreaker.State.OPEN);

                    bean.zones().clear();
                    assertThatThrownBy(bean::guarded).isInstanceOf(CallNotPermittedException.class);
                    assertThat(bean.zones()).as("an open guard stops the call before Meshless picks").isEmpty();
                });
    }

    @Test
    void aCircuitBreakerAnnotationNamedAfterTheServiceSharesMeshlessServiceBreakerAndCountsTwice(
            CapturedOutput output) {
        runner().run(context -> {
            assertThat(output).containsOnlyOnce("GuardedLedger.namedAfterTheService is @ZoneAware(\"ledger\") and"
                    + " @CircuitBreaker(name = \"ledger\")").doesNotContain("GuardedLedger.guarded is");
            context.getBean(GuardedLedger.class).namedAfterTheService();

            CircuitBreaker service = context.getBean(MeshlessClients.class).client("ledger").serviceBreaker();
            assertThat(context.getBean(CircuitBreakerRegistry.class).circuitBreaker("ledger")).isSameAs(service);
            assertThat(service.getMetrics().getNumberOfSuccessfulCalls())
                    .as("one call, recorded by the annotation and by Meshless").isEqualTo(2);
        });
    }

    @Test
    void aRetryAnnotationRepeatsTheWholeMeshlessCall() {
        ledger.stopZone(ZONE_A);
        ledger.stopZone(ZONE_B);
        runner().withPropertyValues("resilience4j.retry.instances.ledger-retry.max-attempts=2",
                "resilience4j.retry.instances.ledger-retry.wait-duration=10ms").run(context -> {
                    GuardedLedger bean = context.getBean(GuardedLedger.class);

                    assertThatThrownBy(bean::retried).isInstanceOf(ServiceCallException.class);
                    assertThat(bean.zones()).as("2 Resilience4j attempts × 3 Meshless attempts").hasSize(6);
                });
    }

    /** A bean whose Meshless calls Resilience4j's annotations wrap, as an application writes them. */
    static class GuardedLedger {
        private final AttemptLog attempts = new AttemptLog();
        private final RestClient http = RestClient.create();

        @ZoneAware("ledger")
        public String plain() {
            return http.get().uri(url()).retrieve().body(String.class);
        }

        @io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker(name = "ledger-guard")
        @ZoneAware("ledger")
        public String guarded() {
            return http.get().uri(url()).retrieve().body(String.class);
        }

        /** A mistake start-up warns about: the annotation's breaker is Meshless's service breaker. */
        @io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker(name = "ledger")
        @ZoneAware("ledger")
        public String namedAfterTheService() {
            return http.get().uri(url()).retrieve().body(String.class);
        }

        @Retry(name = "ledger-retry")
        @ZoneAware("ledger")
        public String retried() {
            return http.get().uri(url()).retrieve().body(String.class);
        }

        /** @return the zones the attempts went to, in order (a method: the bean is a proxy) */
        public List<String> zones() {
            return attempts.zones();
        }

        private String url() {
            return attempts.url("/balance");
        }
    }
}
