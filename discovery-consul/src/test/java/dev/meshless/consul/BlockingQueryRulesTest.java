package dev.meshless.consul;

import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.consul.testing.Catalog;
import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.consul.testing.ConsulSimulator.Request;
import dev.meshless.consul.testing.Configs;
import dev.meshless.testing.FakeTime;
import dev.meshless.consul.testing.Recorder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of Consul's "Blocking Queries" page: index + wait, reset when the index goes backwards,
 * never block below 1, an answer is no proof of change, and a rate-limited loop under churn.
 */
class BlockingQueryRulesTest {

    private static final String SERVICE = "inventory";

    private final ConsulSimulator sim = ConsulSimulator.start("dc1");
    private final Catalog catalog = new Catalog(sim.address());
    private final FakeTime time = new FakeTime();
    private final Recorder rec = new Recorder();
    private ConsulRegistry registry;

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
        sim.close();
    }

    private void watch(ConsulConfig.Builder config) {
        registry = ConsulRegistry.builder(config.agent(Configs.agent(sim.address(), "dc1")).build())
                .timeSource(time).build();
        registry.subscribe(SERVICE, rec);
        await().atMost(Duration.ofSeconds(5)).until(() -> rec.count() > 0);
    }

    private List<Request> requests() {
        return sim.healthRequests(SERVICE, "dc1");
    }

    private void awaitRequests(int n) {
        await().atMost(Duration.ofSeconds(5)).until(() -> requests().size() >= n);
    }

    @Test
    void firstReadDoesNotBlockThenEveryReadBlocksOnTheLastIndexWithTheConfiguredWait() {
        catalog.register(instance("dc1", "n1", SERVICE, "a"));
        watch(Configs.fast(sim.address()).wait(Duration.ofSeconds(7)).rateLimitBurst(10));
        awaitRequests(2);

        List<Request> r = requests();
        assertThat(r.get(0).query()).doesNotContainKeys("index", "wait").containsKey("stale").containsEntry("dc", "dc1");
        assertThat(r.get(1).query()).containsEntry("index", Long.toString(sim.dc("dc1").serviceIndex(SERVICE)))
                .containsEntry("wait", "7s");
    }

    @Test
    void anIndexThatGoesBackwardsRestartsTheLoopWithoutBlocking() {
        catalog.register(instance("dc1", "n1", SERVICE, "a"));
        watch(Configs.fast(sim.address()).rateLimitBurst(10));
        awaitRequests(2);
        long before = Long.parseLong(requests().get(1).query().get("index"));

        sim.forceIndexes(3);
        catalog.register(instance("dc1", "n2", SERVICE, "b"));
        awaitRequests(4);

        List<Request> r = requests();
        assertThat(before).isGreaterThan(3);
        assertThat(r.get(2).query()).as("after index 3 < %d: index reset to 0", before).doesNotContainKey("index");
        assertThat(r.get(3).query()).containsEntry("index", Long.toString(sim.dc("dc1").serviceIndex(SERVICE)));
        await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 2);
    }

    @Test
    void neverBlocksWithAnIndexBelowOne() {
        catalog.register(instance("dc1", "n1", SERVICE, "a"));
        sim.forceIndexes(0);
        watch(Configs.fast(sim.address()).rateLimitBurst(10));
        awaitRequests(2);

        assertThat(requests().get(1).query()).containsEntry("index", "1").containsKey("wait");
    }

    @Test
    void anAnswerThatChangesNothingIsNotDelivered() {
        Catalog.Instance a = instance("dc1", "n1", SERVICE, "a");
        catalog.register(a);
        watch(Configs.fast(sim.address()).rateLimitBurst(10));
        awaitRequests(2);

        catalog.register(a); // same content, new index: the blocking query returns
        awaitRequests(3);
        catalog.register(instance("dc1", "n2", SERVICE, "b"));
        await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 2);

        assertThat(rec.count()).isEqualTo(2);
    }

    @Test
    void underChurnTheLoopIsRateLimitedToTwoThenOneRequestPerInterval() {
        catalog.register(instance("dc1", "n0", SERVICE, "i0"));
        watch(ConsulConfig.builder().wait(Duration.ofSeconds(10))); // defaults: burst 2, then one per 15 s
        awaitRequests(2);

        for (int change = 1; change <= 4; change++) {
            int delivered = rec.count();
            catalog.register(instance("dc1", "n" + change, SERVICE, "i" + change));
            await().atMost(Duration.ofSeconds(5)).until(() -> rec.count() > delivered);
            int expected = change + 1;
            await().during(Duration.ofMillis(150)).atMost(Duration.ofSeconds(2))
                    .until(() -> requests().size() == expected);
            time.advance(Duration.ofSeconds(14));
            await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2))
                    .until(() -> requests().size() == expected);
            time.advance(Duration.ofSeconds(1));
            awaitRequests(expected + 1);
        }
        // 4 changes in 60 s of churn: 2 requests at once, then one per 15 s.
        assertThat(requests()).hasSize(6);
        assertThat(rec.ids()).hasSize(5);
    }
}
