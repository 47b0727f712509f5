package dev.meshless.consul;

import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.consul.micrometer.MicrometerConsulMetrics;
import dev.meshless.consul.testing.Catalog;
import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.consul.testing.Configs;
import dev.meshless.testing.FakeTime;
import dev.meshless.consul.testing.Recorder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** While Consul is unreachable or failing, routing continues on the last good view, whose age is reported. */
class OutageTest {

    private static final String SERVICE = "inventory";

    private final ConsulSimulator sim = ConsulSimulator.start("dc1", "dc2");
    private final Catalog catalog = new Catalog(sim.address());
    private final FakeTime time = new FakeTime();
    private final Recorder rec = new Recorder();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ConsulRegistry registry;

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
        sim.close();
    }

    private void watch(ConsulConfig.Builder config) {
        catalog.register(instance("dc1", "n1", SERVICE, "a"));
        catalog.register(instance("dc2", "n2", SERVICE, "b"));
        registry = ConsulRegistry.builder(config.agent(Configs.agent(sim.address(), "dc1", "dc2")).build())
                .timeSource(time).metrics(new MicrometerConsulMetrics(meters)).build();
        registry.subscribe(SERVICE, rec);
        await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 2);
    }

    private ViewStatus status(String dc) {
        return registry.status().stream().filter(s -> s.datacenter().equals(dc)).findFirst().orElseThrow();
    }

    private double age(String dc) {
        return meters.get("meshless.consul.view.age").tags("service", SERVICE, "datacenter", dc).gauge().value();
    }

    @Test
    void keepsTheLastGoodViewWhileConsulIsDownAndReportsItsAge() {
        watch(ConsulConfig.builder().wait(Duration.ofSeconds(10)));
        assertThat(status("dc1").age()).isZero();
        assertThat(age("dc1")).isZero();
        int delivered = rec.count();

        sim.down();
        await().atMost(Duration.ofSeconds(5)).until(() -> status("dc1").consecutiveErrors() > 0
                && status("dc2").consecutiveErrors() > 0);
        for (int i = 0; i < 30; i++) {
            time.advance(Duration.ofSeconds(1)); // retries fail: connection refused
        }

        assertThat(rec.count()).as("nothing delivered while down").isEqualTo(delivered);
        assertThat(rec.sawEmpty()).isFalse();
        assertThat(rec.ids()).hasSize(2);
        assertThat(status("dc1").age()).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(age("dc1")).isGreaterThanOrEqualTo(30.0);
        assertThat(status("dc1").lastError()).startsWith("unreachable: ").contains("/v1/health/service/inventory");
        assertThat(meters.get("meshless.consul.errors").tags("service", SERVICE, "datacenter", "dc1", "reason",
                "unreachable").counter().count()).isGreaterThanOrEqualTo(1);

        sim.up();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            time.advance(Duration.ofSeconds(5));
            return status("dc1").consecutiveErrors() == 0 && status("dc2").consecutiveErrors() == 0;
        });
        assertThat(status("dc1").age()).isZero();
        assertThat(status("dc1").origin()).isEqualTo(ViewStatus.Origin.CONSUL);
        assertThat(rec.count()).as("same endpoints after recovery: nothing to deliver").isEqualTo(delivered);
        // The request counter is updated on the HTTP thread just after the answer is handled.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(meters.get("meshless.consul.requests")
                .tags("api", "health", "datacenter", "dc1", "outcome", "ok").counter().count())
                .isGreaterThanOrEqualTo(2));
    }

    @Test
    void errorAnswersBackOffWithJitterUpToTheMaximumAndKeepTheView() {
        watch(ConsulConfig.builder().wait(Duration.ofSeconds(10)).rateLimitBurst(100)
                .rateLimitInterval(Duration.ofMillis(1)).errorBackoffInitial(Duration.ofSeconds(1))
                .errorBackoffMax(Duration.ofSeconds(8)));
        sim.failHealth(500, "rpc error making call: No cluster leader");
        catalog.register(instance("dc1", "n3", SERVICE, "c")); // dc1's blocking read returns c, the next one fails
        await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 3 && errors() == 1 && quiet());
        int succeeded = sim.healthRequests(SERVICE, "dc1").size() - 1;

        List<Long> gapsMillis = new ArrayList<>();
        long lastFailure = time.elapsed().toMillis();
        while (gapsMillis.size() < 6) {
            double before = errors();
            time.advance(Duration.ofMillis(50));
            // Time stands still until every request sent has failed and its retry is scheduled.
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(2))
                    .until(() -> sim.healthRequests(SERVICE, "dc1").size() == succeeded + errors() && quiet());
            if (errors() > before) {
                gapsMillis.add(time.elapsed().toMillis() - lastFailure);
                lastFailure = time.elapsed().toMillis();
            }
        }

        long[][] bounds = {{500, 1050}, {1000, 2050}, {2000, 4050}, {4000, 8050}, {4000, 8050}, {4000, 8050}};
        for (int i = 0; i < bounds.length; i++) {
            assertThat(gapsMillis.get(i)).as("delay before retry %d in %s", i + 1, gapsMillis)
                    .isBetween(bounds[i][0], bounds[i][1]);
        }
        assertThat(rec.ids()).hasSize(3);
        assertThat(rec.sawEmpty()).isFalse();
        assertThat(status("dc1").lastError()).contains("500").contains("No cluster leader");
    }

    private double errors() {
        return meters.find("meshless.consul.errors").tags("service", SERVICE, "datacenter", "dc1", "reason",
                "http_status").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private boolean quiet() {
        return time.pendingTimers() > 0;
    }
}
