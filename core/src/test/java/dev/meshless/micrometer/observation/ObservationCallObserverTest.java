package dev.meshless.micrometer.observation;

import static dev.meshless.testing.TestEndpoints.concat;
import static dev.meshless.testing.TestEndpoints.zone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.call.AsyncAttemptFunction;
import dev.meshless.call.AttemptFunction;
import dev.meshless.call.CallObserver;
import dev.meshless.call.CallOptions;
import dev.meshless.call.ServiceCallException;
import dev.meshless.call.ServiceClient;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Calls and attempts as Micrometer observations: names, keys, and attempts as children of their
 * call for a call that fails over from the caller's zone to the next one, synchronously and
 * asynchronously (the retry starting on the timer's thread).
 */
class ObservationCallObserverTest {

    private static final String CALL = DefaultCallObservationConvention.NAME;
    private static final String ATTEMPT = DefaultAttemptObservationConvention.NAME;

    private final TestObservationRegistry observations = TestObservationRegistry.create();
    private final FakeTime time = new FakeTime();
    /** The observation current on the calling thread while each attempt's function ran. */
    private final List<Observation> currentInAttempts = new ArrayList<>();
    private ServiceClient client;

    /**
     * r1-a (the caller's zone) resets connections; r1-b and r2-a answer with the endpoint's id. (A
     * reset, not a refusal: a refused connection sends the retry out of the region.)
     */
    private final AttemptFunction<String> refusedInR1a = attempt -> {
        currentInAttempts.add(observations.getCurrentObservation());
        if (attempt.endpoint().locality().zone().equals("r1-a")) {
            throw new SocketException("Connection reset");
        }
        return attempt.endpoint().id();
    };

    private ServiceClient client(CallObserver observer) {
        client = ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(concat(zone("r1", "r1-a", 1, 0), zone("r1", "r1-b", 1, 0),
                        zone("r2", "r2-a", 1, 0))))
                .caller(TestEndpoints.CALLER).timeSource(time).jitter(() -> 1.0)
                .observer(observer).build();
        return client;
    }

    private ServiceClient client() {
        return client(new ObservationCallObserver(observations));
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void aCallThatFailsOverIsOneObservationWithAChildPerAttempt() {
        client();
        Observation request = Observation.start("http.server.requests", observations);

        String answer;
        try (Observation.Scope scope = request.openScope()) {
            answer = client.call(refusedInR1a, CallOptions.idempotent());
        }
        request.stop();

        assertThat(answer).isEqualTo("r1-b-0");
        assertThat(observations).hasNumberOfObservationsWithNameEqualTo(CALL, 1)
                .hasNumberOfObservationsWithNameEqualTo(ATTEMPT, 2);
        assertFailedOver(request);
        assertThat(currentInAttempts).as("each attempt's function runs with its attempt current")
                .extracting(o -> o.getContextView().getName()).containsExactly(ATTEMPT, ATTEMPT);
        assertThat(currentInAttempts.get(0)).isNotSameAs(currentInAttempts.get(1));
    }

    @Test
    void anAsynchronousRetryOnTheTimersThreadIsAChildOfItsCallToo() throws Exception {
        client();
        AsyncAttemptFunction<String> async = attempt -> {
            try {
                return CompletableFuture.completedFuture(refusedInR1a.apply(attempt));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        };
        Observation request = Observation.start("http.server.requests", observations);

        CompletableFuture<String> answer;
        try (Observation.Scope scope = request.openScope()) {
            answer = client.callAsync(async, CallOptions.idempotent());
        }
        assertThat(answer).isNotDone(); // the retry waits for its backoff on the timer
        Thread timer = new Thread(() -> time.advance(Duration.ofMillis(25)), "timer");
        timer.start();
        timer.join();
        request.stop();

        assertThat(answer.get(1, TimeUnit.SECONDS)).isEqualTo("r1-b-0");
        assertFailedOver(request);
        assertThat(currentInAttempts.get(1).getContextView().getName())
                .as("on the timer thread too, the attempt is current while its function runs").isEqualTo(ATTEMPT);
    }

    /** Attempt 1 failed in the caller's zone (tier 0), attempt 2 answered from r1-b (tier 1). */
    private void assertFailedOver(Observation request) {
        Observation.ContextView call = contexts(CALL).get(0);
        assertThat(observations).hasObservationWithNameEqualTo(CALL).that()
                .hasContextualNameEqualTo("call inventory")
                .hasLowCardinalityKeyValue("service", "inventory")
                .hasLowCardinalityKeyValue("outcome", "success")
                .hasLowCardinalityKeyValue("tier", "1")
                .hasLowCardinalityKeyValue("zone", "r1-b")
                .hasLowCardinalityKeyValue("region", "r1")
                .hasHighCardinalityKeyValue("endpoint", "r1-b-0")
                .hasHighCardinalityKeyValue("attempts", "2")
                .doesNotHaveError()
                .hasParentObservationEqualTo(request);
        List<Observation.ContextView> attempts = contexts(ATTEMPT);
        assertThat(attempts).allSatisfy(a -> assertThat(a.getParentObservation().getContextView()).isSameAs(call));
        assertThat(attempts.get(0).getLowCardinalityKeyValues()).isEqualTo(KeyValues.of("service", "inventory",
                "zone", "r1-a", "region", "r1", "tier", "0", "outcome", "endpoint_failure"));
        assertThat(attempts.get(0).getHighCardinalityKeyValues()).isEqualTo(KeyValues.of("endpoint", "r1-a-0",
                "attempt", "1"));
        assertThat(attempts.get(0).getError()).isInstanceOf(SocketException.class);
        assertThat(attempts.get(1).getLowCardinalityKeyValues()).isEqualTo(KeyValues.of("service", "inventory",
                "zone", "r1-b", "region", "r1", "tier", "1", "outcome", "success"));
        assertThat(attempts.get(1).getHighCardinalityKeyValues()).isEqualTo(KeyValues.of("endpoint", "r1-b-0",
                "attempt", "2"));
        assertThat(attempts.get(1).getError()).isNull();
        assertThat(attempts.get(1).getContextualName()).isEqualTo("attempt inventory");
    }

    @Test
    void aFailedCallCarriesItsReasonAndItsFailure() {
        client();

        assertThatThrownBy(() -> client.call(a -> {
            throw new ConnectException("refused");
        }, CallOptions.idempotent())).isInstanceOf(ServiceCallException.class);

        assertThat(observations).hasNumberOfObservationsWithNameEqualTo(ATTEMPT, 3)
                .hasObservationWithNameEqualTo(CALL).that()
                .hasLowCardinalityKeyValue("outcome", "attempts_exhausted")
                // refused in r1-a, then in r2 (region r1 avoided), then r1-b once nothing else is left
                .hasLowCardinalityKeyValue("tier", "1")
                .hasLowCardinalityKeyValue("zone", "r1-b")
                .hasHighCardinalityKeyValue("attempts", "3")
                .hasError();
        assertThat(contexts(CALL).get(0).getError()).isInstanceOf(ServiceCallException.class);
    }

    @Test
    void aCallThatMakesNoAttemptSaysNoneForWhereItWent() {
        client = ServiceClient.builder(TestEndpoints.SERVICE).registry(StaticRegistry.of(List.of()))
                .caller(TestEndpoints.CALLER).timeSource(time)
                .observer(new ObservationCallObserver(observations)).build();

        assertThatThrownBy(() -> client.call(a -> "never")).isInstanceOf(ServiceCallException.class);

        assertThat(observations).hasNumberOfObservationsEqualTo(1).hasObservationWithNameEqualTo(CALL).that()
                .hasLowCardinalityKeyValue("outcome", "no_endpoint")
                .hasLowCardinalityKeyValue("tier", "none")
                .hasLowCardinalityKeyValue("zone", "none")
                .hasHighCardinalityKeyValue("endpoint", "none")
                .hasHighCardinalityKeyValue("attempts", "0");
    }

    @Test
    void theConventionsCanBeReplaced() {
        client(new ObservationCallObserver(observations, new DefaultCallObservationConvention() {
            @Override
            public String getName() {
                return "checkout.inventory.call";
            }

            @Override
            public KeyValues getLowCardinalityKeyValues(CallObservationContext context) {
                return super.getLowCardinalityKeyValues(context).and("method", context.options().method());
            }
        }, new AttemptObservationConvention() {
            @Override
            public String getName() {
                return "checkout.inventory.attempt";
            }

            @Override
            public KeyValues getLowCardinalityKeyValues(AttemptObservationContext context) {
                return KeyValues.of("where", context.pick().endpoint().locality().zone());
            }
        }));

        client.call(refusedInR1a, CallOptions.method("GET"));

        assertThat(observations).hasNumberOfObservationsWithNameEqualTo(CALL, 0)
                .hasObservationWithNameEqualTo("checkout.inventory.call").that()
                .hasLowCardinalityKeyValue("method", "GET").hasLowCardinalityKeyValue("outcome", "success");
        assertThat(observations).hasNumberOfObservationsWithNameEqualTo("checkout.inventory.attempt", 2)
                .hasAnObservationWithAKeyValue("where", "r1-a").hasAnObservationWithAKeyValue("where", "r1-b");
    }

    @Test
    void aConventionThatThrowsDoesNotBreakTheCall() {
        client(new ObservationCallObserver(observations, new DefaultCallObservationConvention() {
            @Override
            public KeyValues getLowCardinalityKeyValues(CallObservationContext context) {
                throw new IllegalStateException("a bug in the application's convention");
            }
        }, null));

        assertThat(client.call(refusedInR1a, CallOptions.idempotent())).isEqualTo("r1-b-0");
        assertThat(client.attemptsInFlight()).isZero();
    }

    @Test
    void aNoopRegistryObservesNothing() {
        ObservationCallObserver observer = new ObservationCallObserver(ObservationRegistry.NOOP);
        client(observer);

        assertThat(observer.callStarted(TestEndpoints.SERVICE, CallOptions.defaults())).isNull();
        assertThat(client.call(refusedInR1a, CallOptions.idempotent())).isEqualTo("r1-b-0");
        assertThat(currentInAttempts).containsOnlyNulls();
    }

    /** @return the contexts of the observations with that name, in the order they started */
    private List<Observation.ContextView> contexts(String name) {
        List<Observation.ContextView> found = new ArrayList<>();
        assertThat(observations).hasHandledContextsThatSatisfy(all -> all.stream()
                .filter(c -> name.equals(c.getName())).forEach(found::add));
        return found;
    }
}
