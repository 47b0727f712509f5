package dev.meshless.consul;

import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.consul.testing.Configs;
import dev.meshless.consul.testing.LogCapture;
import dev.meshless.consul.testing.SimulatedRegistry;
import dev.meshless.testing.FakeTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every watched service holds one blocking query — one connection — per datacenter, and an agent
 * refuses a client IP's connections past {@code limits.http_max_conns_per_client} (200, shared by every
 * process on the host) with 429 (connlimit, agent/agent.go). The registry keeps within
 * {@code agent.max-connections} (100), refuses a subscription that would not fit, and backs off on 429.
 */
class ConnectionBudgetTest {

    @RegisterExtension
    final SimulatedRegistry consul = new SimulatedRegistry("dc1", "dc2", "dc3");

    private ConsulAgentConfig agent(int maxConnections, String... datacenters) {
        return ConsulAgentConfig.builder().environment(java.util.Map.of()).address(consul.sim().address())
                .datacenters(datacenters).maxConnections(maxConnections).connectTimeout(Duration.ofSeconds(1))
                .requestTimeout(Duration.ofSeconds(2)).build();
    }

    @Test
    void aSubscriptionThatWouldTakeTheAgentPastItsBudgetIsRefusedSayingWhy() {
        try (ConsulRegistry registry = ConsulRegistry.create(Configs.fast(consul.sim().address())
                .agent(agent(4, "dc1", "dc2")).build())) {
            registry.subscribe("a", set -> { });
            registry.subscribe("b", set -> { });
            registry.subscribe("a", set -> { }); // an existing watch costs nothing more

            assertThatThrownBy(() -> registry.subscribe("c", set -> { })).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Watching service 'c' needs 3 service(s) × 2 datacenter(s) = 6 blocking"
                            + " queries to Consul agent 'agent' at " + consul.sim().address()
                            + ", more than its maxConnections (4)")
                    .hasMessageContaining("limits.http_max_conns_per_client (200 by default)");
        }
    }

    @Test
    void theDefaultBudgetLeavesHalfOfConsulsPerClientLimitToTheRestOfTheHost() {
        assertThat(ConsulAgentConfig.DEFAULT_MAX_CONNECTIONS).isEqualTo(100);
        assertThat(ConsulConfig.DEFAULT_MAX_SERVICES).as("the default service bound fits with one datacenter")
                .isLessThanOrEqualTo(ConsulAgentConfig.DEFAULT_MAX_CONNECTIONS);
    }

    @Test
    void datacentersThatAppearPastTheBudgetAreNotWatchedAndSaidOnce() {
        try (LogCapture logs = new LogCapture()) {
            consul.catalog().register(instance("dc1", "n1", "inventory", "a"));
            consul.watch("inventory", b -> b.agent(ConsulAgentConfig.builder().environment(java.util.Map.of())
                    .address(consul.sim().address()).maxConnections(2).build())
                    .datacenterRefreshInterval(Duration.ofSeconds(1)));

            await().atMost(Duration.ofSeconds(5)).until(() -> consul.registry().datacenters().size() == 2);
            assertThat(consul.registry().datacenters()).containsOnlyKeys("dc1", "dc2");
            assertThat(logs.lines()).filteredOn(l -> l.startsWith("ERROR") && l.contains("maxConnections (2)")
                    && l.contains("not watching [dc3]")).hasSize(1);
            assertThat(consul.sim().healthRequests("inventory", "dc3")).isEmpty();
        }
    }

    @Test
    void aRefusedConnectionIsRateLimitedAndRetriedNoSoonerThanTheRateLimitInterval() {
        ConsulSimulator sim = consul.sim();
        consul.catalog().register(instance("dc1", "n1", "a", "a1"));
        consul.catalog().register(instance("dc1", "n2", "b", "b1"));
        FakeTime time = new FakeTime();
        sim.maxConnsPerClient(1);
        ConsulRegistry registry = consul.watch("a", b -> b.agent(Configs.agent(sim.address(), "dc1"))
                .rateLimitInterval(Duration.ofSeconds(15)), time);
        // a's blocking query now holds the only connection the agent allows this client.
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.healthRequests("a", "dc1").size() == 2);

        registry.subscribe("b", set -> { });

        await().atMost(Duration.ofSeconds(5)).until(() -> consul.errors("b", "rate_limited") == 1
                && time.pendingTimers() >= 1);
        assertThat(consul.status("b", "dc1").lastError()).contains("answered 429")
                .contains("http_max_conns_per_client");
        assertThat(consul.status("b", "dc1").permanentError()).isFalse();
        time.advance(Duration.ofSeconds(14));
        // A retry would be refused again and counted: watch for one for a while, not just once.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> consul.errors("b", "rate_limited") == 1);
        sim.maxConnsPerClient(0);
        time.advance(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(5)).until(() -> consul.status("b", "dc1").endpoints() == 1);
    }
}
