package dev.meshless.consul;

import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.consul.testing.Configs;
import dev.meshless.consul.testing.SimulatedRegistry;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How stale a view may be: {@code max_stale} goes with {@code stale}, so that a server that lost the
 * leader longer ago has the agent read again from the leader (agent/health_endpoint.go); the
 * {@code X-Consul-LastContact} and {@code X-Consul-KnownLeader} of an answer are kept where they mean
 * something, and ignored on the streaming backend, where they are always 0 and false
 * (HealthView.Result, agent/rpcclient/health/view.go).
 */
class StalenessTest {

    @RegisterExtension
    final SimulatedRegistry consul = new SimulatedRegistry("dc1");
    private ConsulSimulator sim;

    @BeforeEach
    void start() {
        sim = consul.sim();
        consul.catalog().register(instance("dc1", "n1", "inventory", "a"));
    }

    private void watch() {
        consul.watch("inventory", b -> b.agent(Configs.agent(sim.address(), "dc1")).maxStale(Duration.ofSeconds(30)));
    }

    private ViewStatus status() {
        return consul.status("inventory", "dc1");
    }

    private void change(String version) {
        consul.catalog().register(instance("dc1", "n1", "inventory", "a").meta("version", version));
    }

    @Test
    void maxStaleIsSentWithStaleAndNeverWithoutIt() {
        watch();
        ConsulRegistry consistent = ConsulRegistry.create(Configs.fast(sim.address())
                .agent(Configs.agent(sim.address(), "dc1")).stale(false).build());
        consistent.subscribe("other", set -> { });
        await().atMost(Duration.ofSeconds(5)).until(() -> !sim.healthRequests("other", "dc1").isEmpty());
        consistent.close();

        assertThat(sim.healthRequests("inventory", "dc1")).allSatisfy(r -> {
            assertThat(r.query()).containsKey("stale").containsEntry("max_stale", "30s");
        });
        assertThat(sim.healthRequests("other", "dc1")).allSatisfy(r -> assertThat(r.query())
                .doesNotContainKeys("stale", "max_stale"));
    }

    @Test
    void anAnswerFromServersThatLostTheLeaderIsUsedButTheViewCountsAsStale() {
        watch();
        assertThat(status().knownLeader()).isTrue();
        assertThat(status().lastContact()).isZero();
        assertThat(status().backend()).isEqualTo("blocking-query");

        sim.leaderless("dc1", 5_000);
        change("2");

        await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.FALSE.equals(status().knownLeader()));
        assertThat(status().lastContact()).isEqualTo(Duration.ofSeconds(5));
        assertThat(status().stale()).isTrue();
        assertThat(status().consecutiveErrors()).isZero();
        assertThat(consul.recorder().last().endpoints().get(0).metadata()).containsEntry("version", "2");
        assertThat(consul.meters().find("meshless.consul.view.last.contact").gauge().value()).isEqualTo(5.0);
    }

    @Test
    void anAnswerOlderThanMaxStaleIsReadFromTheLeaderWhichFailsWithoutOneAndKeepsTheView() {
        watch();

        sim.leaderless("dc1", 120_000);
        change("2");

        await().atMost(Duration.ofSeconds(5)).until(() -> status().consecutiveErrors() > 0);
        assertThat(status().lastError()).contains("No cluster leader");
        assertThat(status().permanentError()).isFalse();
        assertThat(consul.recorder().ids()).containsExactly("dc1/n1/a");

        sim.leaderless("dc1", -1);

        await().atMost(Duration.ofSeconds(5)).until(() -> status().consecutiveErrors() == 0);
        assertThat(status().knownLeader()).isTrue();
    }

    @Test
    void onTheStreamingBackendKnownLeaderAndLastContactMeanNothingAndAreNotKept() {
        sim.streamingBackend(true);
        sim.leaderless("dc1", 5_000);
        watch();
        assertThat(status().backend()).as("the first read does not block").isEqualTo("blocking-query");

        change("2");

        await().atMost(Duration.ofSeconds(5)).until(() -> "streaming".equals(status().backend()));
        assertThat(status().knownLeader()).isNull();
        assertThat(status().lastContact()).isNull();
        assertThat(status().stale()).isFalse();
        assertThat(consul.meters().find("meshless.consul.view.last.contact").gauge().value()).isNaN();
    }
}
