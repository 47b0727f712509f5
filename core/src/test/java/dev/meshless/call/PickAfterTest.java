package dev.meshless.call;

import static dev.meshless.testing.TestEndpoints.concat;
import static dev.meshless.testing.TestEndpoints.zone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.balancer.Pick;
import dev.meshless.outcome.Outcome;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An integration's retry, which knows only the attempt just made, follows the client's own retry rules. */
class PickAfterTest {

    private final FakeTime time = new FakeTime();
    private ServiceClient client;

    private ServiceClient client(CallPolicy policy) {
        client = ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 2, 0))))
                .caller(TestEndpoints.CALLER).callPolicy(policy).timeSource(time).build();
        return client;
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void anEndpointFailureMovesTheRetryToTheNextTier() {
        client(CallPolicy.defaults());
        Pick first = client.balancer().picker().pickOf("r1-a-0");

        for (int i = 0; i < 50; i++) {
            assertThat(client.pickAfter(first, Outcome.connectFailure("ConnectException")).tier()).isEqualTo(1);
        }
    }

    @Test
    void overloadOrAnUnknownOutcomeOnlyLeavesTheEndpointOut() {
        client(CallPolicy.defaults());
        Pick first = client.balancer().picker().pickOf("r1-a-0");

        assertThat(client.pickAfter(first, Outcome.overloaded("HTTP 429", null)).endpoint().id()).isEqualTo("r1-a-1");
        assertThat(client.pickAfter(first, null).endpoint().id()).isEqualTo("r1-a-1");
    }

    @Test
    void withMoreAttemptsPerTierOneFailureStaysInTheTier() {
        client(CallPolicy.builder().attemptsPerTier(2).build());
        Pick first = client.balancer().picker().pickOf("r1-a-0");

        assertThat(client.pickAfter(first, Outcome.connectFailure("ConnectException")).endpoint().id())
                .isEqualTo("r1-a-1");
    }
}
