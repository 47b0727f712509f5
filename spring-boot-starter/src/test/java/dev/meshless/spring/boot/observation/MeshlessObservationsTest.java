package dev.meshless.spring.boot.observation;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.meshless.spring.boot.http.ZoneBackends.ZONE_A;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.call.CallObserver;
import dev.meshless.micrometer.observation.CallObservationContext;
import dev.meshless.micrometer.observation.CallObservationConvention;
import dev.meshless.micrometer.observation.DefaultCallObservationConvention;
import dev.meshless.micrometer.observation.ObservationCallObserver;
import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.http.HttpClientContexts;
import dev.meshless.spring.boot.http.ZoneBackends;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Calls and attempts as observations in a Spring Boot application with the actuator's observation
 * and metrics auto-configuration: with the HTTP clients the application builds from Boot's
 * builders, a call that fails over from the caller's zone is one {@code meshless.client.call} under
 * the client's own {@code http.client.requests}, with one {@code meshless.client.attempt} per zone
 * tried; Boot's {@code management.observations.*} properties apply, and a convention bean replaces
 * the default one.
 */
class MeshlessObservationsTest {

    private static final String CALL = DefaultCallObservationConvention.NAME;
    private static final String ATTEMPT = "meshless.client.attempt";
    private static final String HTTP = "http.client.requests";

    private ZoneBackends inventory;
    /** Every observation stopped, in the order they stopped. */
    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startBackends() {
        inventory = ZoneBackends.start("inventory");
        inventory.stubAll(get(urlPathEqualTo("/stock/42")).willReturn(ok("7")));
        inventory.stopZone(ZONE_A); // the caller's zone refuses connections: every call fails over
    }

    @AfterEach
    void stopBackends() {
        inventory.close();
    }

    /** Meshless, Boot's HTTP clients, observation and metrics auto-configuration, and a handler that records. */
    private ApplicationContextRunner runner() {
        return HttpClientContexts.runner(inventory)
                .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
                        MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, RestClientObservationAutoConfiguration.class,
                        WebClientObservationAutoConfiguration.class))
                .withBean("recordingHandler", ObservationHandler.class, () -> new ObservationHandler<>() {
                    @Override
                    public boolean supportsContext(Observation.Context context) {
                        return true;
                    }

                    @Override
                    public void onStop(Observation.Context context) {
                        stopped.add(context);
                    }
                });
    }

    @Test
    void aRestClientCallThatFailsOverIsACallWithAnAttemptPerZoneUnderTheClientsObservation() {
        runner().run(context -> {
            RestClient rest = context.getBean(RestClient.Builder.class).build();

            assertThat(rest.get().uri("http://inventory/stock/42").retrieve().body(String.class)).isEqualTo("7");

            assertFailedOverUnderTheHttpClient();
        });
    }

    @Test
    void aWebClientCallIsTheChildOfWebClientsObservationToo() {
        runner().run(context -> {
            WebClient web = context.getBean(WebClient.Builder.class).build();

            assertThat(web.get().uri("http://inventory/stock/42").retrieve().bodyToMono(String.class).block())
                    .isEqualTo("7");

            assertFailedOverUnderTheHttpClient();
        });
    }

    /** call (tier 1, r1-b) under the HTTP client's observation; attempt 1 in r1-a failed, attempt 2 in r1-b answered. */
    private void assertFailedOverUnderTheHttpClient() {
        Observation.Context call = only(CALL);
        assertThat(call.getParentObservation().getContextView()).isSameAs(only(HTTP));
        assertThat(call.getLowCardinalityKeyValues()).isEqualTo(KeyValues.of("service", "inventory",
                "outcome", "success", "tier", "1", "zone", "r1-b", "region", "r1"));
        List<Observation.Context> attempts = named(ATTEMPT);
        assertThat(attempts).hasSize(2).allSatisfy(a ->
                assertThat(a.getParentObservation().getContextView()).isSameAs(call));
        assertThat(attempts).extracting(a -> a.getLowCardinalityKeyValue("zone").getValue() + " tier "
                + a.getLowCardinalityKeyValue("tier").getValue() + " " + a.getLowCardinalityKeyValue("outcome")
                .getValue()).containsExactly("r1-a tier 0 endpoint_failure", "r1-b tier 1 success");
    }

    @Test
    void bootRecordsEachAsATimerAndItsManagementPropertiesApply() {
        runner().withPropertyValues("management.observations.enable.meshless.client.attempt=false",
                "management.observations.key-values.team=checkout").run(context -> {
            context.getBean(RestClient.Builder.class).build().get().uri("http://inventory/stock/42").retrieve()
                    .body(String.class);

            Timer calls = context.getBean(MeterRegistry.class).get(CALL).tags("service", "inventory",
                    "outcome", "success", "tier", "1", "zone", "r1-b", "region", "r1", "team", "checkout").timer();
            assertThat(calls.count()).isEqualTo(1);
            assertThat(named(ATTEMPT)).as("switched off by management.observations.enable").isEmpty();
            assertThat(context.getBean(MeterRegistry.class).find(ATTEMPT).timers()).isEmpty();
        });
    }

    @Test
    void aConventionBeanReplacesTheDefaultOne() {
        runner().withBean(CallObservationConvention.class, TeamConvention::new).run(context -> {
            context.getBean(RestClient.Builder.class).build().get().uri("http://inventory/stock/42").retrieve()
                    .body(String.class);

            assertThat(only(CALL).getLowCardinalityKeyValue("team").getValue()).isEqualTo("checkout");
        });
    }

    @Test
    void withoutAnObservationRegistryNothingIsObserved() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MeshlessAutoConfiguration.class))
                .withPropertyValues(inventory.properties()).run(context -> {
                    assertThat(context.getBean(CallObserver.class)).isSameAs(CallObserver.NOOP);
                    String answer = context.getBean(MeshlessClients.class).client("inventory").call(a -> "ok");
                    assertThat(answer).isEqualTo("ok");
                });
        runner().run(context -> {
            CallObserver observer = context.getBean(CallObserver.class);
            assertThat(observer).isInstanceOf(ObservationCallObserver.class);
        });
    }

    private List<Observation.Context> named(String name) {
        return stopped.stream().filter(c -> name.equals(c.getName())).toList();
    }

    private Observation.Context only(String name) {
        List<Observation.Context> found = named(name);
        assertThat(found).as(name).hasSize(1);
        return found.get(0);
    }

    /** An application's convention: Meshless's keys and the team that owns the caller. */
    static final class TeamConvention extends DefaultCallObservationConvention {
        @Override
        public KeyValues getLowCardinalityKeyValues(CallObservationContext context) {
            return super.getLowCardinalityKeyValues(context).and("team", "checkout");
        }
    }
}
