package dev.meshless.spring.boot.cloud.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.registry.Subscription;
import dev.meshless.spring.boot.cloud.testing.FakeDiscoveryClient;
import dev.meshless.testing.FakeTime;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

/** Reading a Spring Cloud {@code DiscoveryClient} into the Meshless registry, on a timer. */
class DiscoveryClientRegistryTest {

    private static final Duration INTERVAL = Duration.ofSeconds(5);

    private final FakeTime time = new FakeTime();
    private final FakeDiscoveryClient discovery = new FakeDiscoveryClient();
    private final List<ServiceEndpoints> delivered = new CopyOnWriteArrayList<>();
    private final DiscoveryClientRegistry registry = new DiscoveryClientRegistry(discovery,
            new InstanceMapping("zone", "region", "r1"), INTERVAL, time, Runnable::run);

    @Test
    void readsWhenASubscriptionStartsAndDeliversAtOnce() {
        discovery.set("inventory", List.of(instance("a1", 8081, "r1-a"), instance("b1", 8082, "r1-b")));

        registry.subscribe("inventory", delivered::add);

        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).endpoints()).extracting(e -> e.id() + "@" + e.locality())
                .containsExactly("a1@r1/r1-a", "b1@r1/r1-b");
    }

    @Test
    void readsAgainEveryIntervalAndDeliversOnlyChanges() {
        discovery.set("inventory", List.of(instance("a1", 8081, "r1-a")));
        registry.subscribe("inventory", delivered::add);

        time.advance(INTERVAL);
        time.advance(INTERVAL);
        assertThat(discovery.reads()).isEqualTo(3);
        assertThat(delivered).as("the same set twice is not delivered again").hasSize(1);

        discovery.set("inventory", List.of(instance("a1", 8081, "r1-a"), instance("a2", 8083, "r1-a")));
        time.advance(INTERVAL.minusMillis(1));
        assertThat(delivered).hasSize(1);
        time.advance(Duration.ofMillis(1));
        assertThat(delivered).hasSize(2);
        assertThat(delivered.get(1).endpoints()).hasSize(2);
    }

    @Test
    void staysQuietWhileTheDiscoveryClientFailsSoThatRoutingKeepsTheLastSet() {
        discovery.set("inventory", List.of(instance("a1", 8081, "r1-a")));
        registry.subscribe("inventory", delivered::add);

        discovery.fail(new IllegalStateException("agent unreachable"));
        time.advance(INTERVAL);
        time.advance(INTERVAL);
        assertThat(delivered).hasSize(1);
        assertThat(time.pendingTimers()).as("it keeps trying").isEqualTo(1);

        discovery.fail(null);
        discovery.set("inventory", List.of());
        time.advance(INTERVAL);
        assertThat(delivered).hasSize(2);
        assertThat(delivered.get(1).isEmpty()).as("an empty answer is an answer").isTrue();
    }

    @Test
    void aFailureOnTheFirstReadDeliversNothingUntilAReadSucceeds() {
        discovery.fail(new IllegalStateException("agent unreachable"));
        registry.subscribe("inventory", delivered::add);
        assertThat(delivered).isEmpty();

        discovery.fail(null);
        time.advance(INTERVAL);
        assertThat(delivered).hasSize(1);
    }

    @Test
    void readsRunOnTheReaderNotOnTheTimer() {
        Queue<Runnable> reader = new ArrayDeque<>();
        DiscoveryClientRegistry handingOff = new DiscoveryClientRegistry(discovery,
                new InstanceMapping("zone", "region", "r1"), INTERVAL, time, reader::add);
        handingOff.subscribe("inventory", delivered::add);
        assertThat(discovery.reads()).as("the first read is on the subscribing thread").isEqualTo(1);

        time.advance(INTERVAL);
        assertThat(discovery.reads()).isEqualTo(1);
        assertThat(time.pendingTimers()).as("the next read is scheduled only after this one").isZero();

        reader.remove().run();
        assertThat(discovery.reads()).isEqualTo(2);
        assertThat(time.pendingTimers()).isEqualTo(1);
    }

    @Test
    void closingTheSubscriptionStopsReading() {
        Subscription subscription = registry.subscribe("inventory", delivered::add);

        subscription.close();
        time.advance(INTERVAL.multipliedBy(3));

        assertThat(discovery.reads()).isEqualTo(1);
        assertThat(time.pendingTimers()).isZero();
    }

    @Test
    void aFailingListenerDoesNotStopLaterDeliveries() {
        discovery.set("inventory", List.of(instance("a1", 8081, "r1-a")));
        registry.subscribe("inventory", set -> {
            delivered.add(set);
            throw new IllegalStateException("listener bug");
        });

        discovery.set("inventory", List.of());
        time.advance(INTERVAL);

        assertThat(delivered).hasSize(2);
    }

    @Test
    void theRefreshIntervalMustBePositive() {
        assertThatThrownBy(() -> new DiscoveryClientRegistry(discovery, new InstanceMapping("zone", "region", null),
                Duration.ZERO, time, Runnable::run))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("refreshInterval must be positive, but was 0s");
    }

    private static ServiceInstance instance(String id, int port, String zone) {
        return new DefaultServiceInstance(id, "inventory", "127.0.0.1", port, false, Map.of("zone", zone));
    }
}
