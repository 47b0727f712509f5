package dev.meshless.consul;

import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.consul.testing.Catalog;
import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.consul.testing.ConsulSimulator.Request;
import dev.meshless.consul.testing.Configs;
import dev.meshless.testing.FakeTime;
import dev.meshless.consul.testing.LogCapture;
import dev.meshless.consul.testing.Recorder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An empty answer for a service that had endpoints in a datacenter (a partitioned or restored server
 * may say so) is only delivered once a second, non-stale, non-blocking read confirms it.
 */
class EmptyAnswerConfirmationTest {

    private static final String SERVICE = "inventory";

    private final ConsulSimulator sim = ConsulSimulator.start("dc1", "dc2");
    private final Catalog catalog = new Catalog(sim.address());
    private final FakeTime time = new FakeTime();
    private final Recorder rec = new Recorder();
    private final Catalog.Instance a = instance("dc1", "n1", SERVICE, "a");
    private final Catalog.Instance b = instance("dc2", "n2", SERVICE, "b");
    private ConsulRegistry registry;

    @BeforeEach
    void start() {
        catalog.register(a);
        catalog.register(b);
        registry = ConsulRegistry.builder(ConsulConfig.builder().agent(Configs.agent(sim.address(), "dc1", "dc2"))
                .wait(Duration.ofSeconds(10)).rateLimitBurst(10).build()).timeSource(time).build();
        registry.subscribe(SERVICE, rec);
        await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 2);
    }

    @AfterEach
    void stop() {
        registry.close();
        sim.close();
    }

    private List<Request> dc2() {
        return sim.healthRequests(SERVICE, "dc2");
    }

    @Test
    void anEmptyAnswerThatASecondReadContradictsIsNeverDelivered() {
        int delivered = rec.count();
        int before = dc2().size();
        sim.answerEmpty("dc2", 1);
        catalog.register(b); // wakes dc2's blocking query, which answers "no instances"

        // Both watches block in HTTP; the only timer is the confirmation the empty answer scheduled.
        await().atMost(Duration.ofSeconds(5)).until(() -> time.pendingTimers() > 0);
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> dc2().size() == before);
        time.advance(ConsulConfig.DEFAULT_EMPTY_CONFIRMATION_DELAY);
        await().atMost(Duration.ofSeconds(5)).until(() -> dc2().size() == before + 2);

        Request confirmation = dc2().get(before);
        assertThat(confirmation.query()).as("the confirming read is consistent and does not block")
                .doesNotContainKeys("stale", "index", "wait");
        assertThat(dc2().get(before + 1).query()).containsKeys("stale", "index");
        assertThat(rec.count()).isEqualTo(delivered);
        assertThat(rec.ids()).containsExactlyInAnyOrder(a.endpointId(), b.endpointId());
    }

    @Test
    void anEmptyAnswerConfirmedByASecondReadIsDelivered() {
        try (LogCapture logs = new LogCapture()) {
            catalog.deregister(b);
            // The line is logged just before the confirmation timer is set: wait for the timer too.
            await().atMost(Duration.ofSeconds(5)).until(() -> logs.text().contains("keeping them until a second "
                    + "read confirms") && time.pendingTimers() > 0);
            assertThat(rec.ids()).hasSize(2);

            time.advance(ConsulConfig.DEFAULT_EMPTY_CONFIRMATION_DELAY);

            await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 1);
            assertThat(rec.ids()).containsExactly(a.endpointId());
            assertThat(logs.warnings()).anyMatch(l -> l.contains("Service 'inventory' in datacenter 'dc2': a second "
                    + "read confirmed that it has no instances; dropping the 1 it had"));
        }
    }

    @Test
    void aServiceThatNeverHadEndpointsIsDeliveredEmptyAtOnce() {
        Recorder unknown = new Recorder();
        registry.subscribe("nothing-here", unknown);

        await().atMost(Duration.ofSeconds(5)).until(() -> unknown.count() > 0);
        assertThat(unknown.last().isEmpty()).isTrue();
    }
}
