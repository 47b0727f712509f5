package dev.meshless.call;

import static dev.meshless.testing.TestEndpoints.concat;
import static dev.meshless.testing.TestEndpoints.zone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One settings snapshot per call: a reload reaches the next calls whole, never half of a running one. */
class CallSettingsTest {

    private static final Duration MS_25 = Duration.ofMillis(25);

    private final FakeTime time = new FakeTime();
    private final List<Duration> timeouts = new ArrayList<>();
    private ServiceClient client;

    /** Refuses connections in the caller's zone r1-a; r1-b answers with its endpoint's id. */
    private String refuseLocalZone(Attempt a) throws ConnectException {
        timeouts.add(a.timeout());
        if (a.endpoint().locality().zone().equals("r1-a")) {
            throw new ConnectException("Connection refused: " + a.endpoint().address());
        }
        return a.endpoint().id();
    }

    private void client(CallPolicy policy) {
        client = ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 2, 0))))
                .caller(TestEndpoints.CALLER)
                .callPolicy(policy)
                .timeSource(time)
                .jitter(() -> 1.0)
                .build();
    }

    /** What a reload in the middle of a call must not reach: one attempt, other timeouts and backoff. */
    private static CallPolicy reloaded() {
        return CallPolicy.builder().maxAttempts(1).perTryTimeout(Duration.ofMillis(50))
                .backoffBase(Duration.ofMillis(100)).backoffMax(Duration.ofSeconds(1)).build();
    }

    @AfterEach
    void close() {
        assertThat(client.attemptsInFlight()).isZero();
        client.close();
    }

    @Test
    void aReloadDuringACallReachesTheNextCallNotThisOne() {
        client(CallPolicy.builder().maxAttempts(3).perTryTimeout(Duration.ofMillis(200)).build());

        String served = client.call(a -> {
            if (a.number() == 1) {
                client.updatePolicy(reloaded());
            }
            return refuseLocalZone(a);
        }, CallOptions.idempotent());

        assertThat(served).as("retried under the old maxAttempts").startsWith("r1-b");
        assertThat(timeouts).as("the old per-try timeout").containsExactly(Duration.ofMillis(200),
                Duration.ofMillis(200));
        assertThat(time.sleeps()).as("the old backoff").containsExactly(MS_25);

        timeouts.clear();
        assertThatThrownBy(() -> client.call(this::refuseLocalZone, CallOptions.idempotent()))
                .isInstanceOfSatisfying(ServiceCallException.class, e ->
                        assertThat(e.reason()).isEqualTo(ServiceCallException.Reason.ATTEMPTS_EXHAUSTED));
        assertThat(timeouts).as("the next call follows the reload").containsExactly(Duration.ofMillis(50));
        assertThat(client.policy().maxAttempts()).isEqualTo(1);
    }

    @Test
    void aReloadWhileAnAsynchronousCallWaitsToRetryDoesNotReachIt() throws Exception {
        client(CallPolicy.builder().maxAttempts(3).build());

        CompletableFuture<String> answer = client.callAsync(a -> {
            try {
                return CompletableFuture.completedFuture(refuseLocalZone(a));
            } catch (ConnectException e) {
                return CompletableFuture.failedFuture(e);
            }
        }, CallOptions.idempotent().withDeadline(Duration.ofSeconds(5)));
        client.updatePolicy(reloaded()); // the first attempt failed; the retry waits for its backoff
        time.advance(MS_25);

        assertThat(answer.get(1, TimeUnit.SECONDS)).startsWith("r1-b");
        assertThat(timeouts).as("no per-try timeout before or after: what is left of the deadline")
                .containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5).minus(MS_25));
    }

    @Test
    void aReloadThatKeepsTheBudgetsSettingsKeepsItsWindow() {
        client(CallPolicy.builder().retryBudgetPercent(0).retryBudgetMinRetriesPerSecond(1).build());
        client.call(this::refuseLocalZone, CallOptions.idempotent()); // spends a retry
        long left = client.retryBudgetRemaining();

        client.updatePolicy(CallPolicy.builder().retryBudgetPercent(0).retryBudgetMinRetriesPerSecond(1)
                .maxAttempts(2).build());

        assertThat(client.retryBudgetRemaining()).as("retries already taken still count").isEqualTo(left);

        client.updatePolicy(CallPolicy.builder().retryBudgetPercent(0).retryBudgetMinRetriesPerSecond(2).build());

        assertThat(client.retryBudgetRemaining()).as("new budget settings: a new window").isEqualTo(20);
    }
}
