package dev.meshless.consul;

import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.balancer.BalancerListener;
import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.balancer.RoutingPlan;
import dev.meshless.consul.testing.Catalog;
import dev.meshless.consul.testing.ConsulTarget;
import dev.meshless.consul.testing.Configs;
import dev.meshless.consul.testing.Recorder;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A change in Consul reaches the listener, and the balancer's picker, because it wakes the blocking
 * query up — not at the query's next turn. The clock starts before the change is written, so each
 * latency also covers the write. The assertion's bound is a tenth of the blocking query's 10 s
 * wait: a change delivered within it woke the query up, whatever the machine's load. How fast it
 * was (tens of milliseconds on an idle machine) is a number for people, written to
 * {@code target/propagation-latency.txt}, not a bound that a busy build machine can break.
 */
@Tag("agent")
class PropagationLatencyTest {

    private static final Duration BOUND = Duration.ofSeconds(1);
    private static final java.nio.file.Path REPORT = java.nio.file.Path.of("target", "propagation-latency.txt");

    private ConsulTarget target;
    private ConsulRegistry registry;
    private final String service = ConsulTarget.unique("payments");

    @BeforeEach
    void start() {
        target = ConsulTarget.federation();
    }

    /** Appends a measured latency to the report. */
    private static Duration measured(String what, long nanos) throws java.io.IOException {
        Duration latency = Duration.ofNanos(Math.max(0, nanos));
        java.nio.file.Files.createDirectories(REPORT.getParent());
        java.nio.file.Files.writeString(REPORT, what + ": " + latency.toMillis() + " ms\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        return latency;
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void aHealthChangeWakesTheWatchAndReachesTheListener() throws Exception {
        Catalog.Instance a = instance(target.dc1(), "node-a", service, "a1");
        Catalog.Instance b = instance(target.dc2(), "node-b", service, "b1");
        target.catalog().register(a);
        target.catalog().register(b);
        // The default rate limit (burst 2, then 1 per 15 s) must not delay a change after a quiet period.
        registry = ConsulRegistry.create(Configs.fast(target.address())
                .rateLimitInterval(ConsulConfig.DEFAULT_RATE_LIMIT_INTERVAL).build());
        Recorder rec = new Recorder();
        registry.subscribe(service, rec);
        await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 2);

        for (Catalog.Instance changed : new Catalog.Instance[] {b, a}) {
            int before = rec.count();
            long start = System.nanoTime();
            target.catalog().register(changed.status("critical"));
            await().atMost(Duration.ofSeconds(2)).until(() -> rec.count() > before);

            long latency = rec.deliveries().get(before).nanos() - start;
            assertThat(measured("health change to listener", latency)).isLessThanOrEqualTo(BOUND);
            assertThat(rec.last().endpoints()).filteredOn(e -> e.id().equals(changed.endpointId()))
                    .singleElement().extracting(e -> e.health()).isEqualTo(HealthStatus.CRITICAL);
        }
    }

    @Test
    void aNewInstanceWakesTheWatchAndReachesTheListener() throws Exception {
        target.catalog().register(instance(target.dc1(), "node-a", service, "a1"));
        registry = ConsulRegistry.create(Configs.fast(target.address()).build());
        Recorder rec = new Recorder();
        registry.subscribe(service, rec);
        await().atMost(Duration.ofSeconds(5)).until(() -> rec.count() > 0);

        int before = rec.count();
        long start = System.nanoTime();
        target.catalog().register(instance(target.dc2(), "node-c", service, "c1"));
        await().atMost(Duration.ofSeconds(2)).until(() -> rec.count() > before);

        assertThat(measured("new instance to listener", rec.deliveries().get(before).nanos() - start))
                .isLessThanOrEqualTo(BOUND);
        assertThat(rec.ids()).contains(target.dc2() + "/node-c/c1");
    }

    @Test
    void aChangeWakesTheWatchAndReachesTheBalancersPicker() throws Exception {
        Catalog.Instance a = instance(target.dc1(), "node-a", service, "a1");
        Catalog.Instance b = instance(target.dc1(), "node-b", service, "b1");
        target.catalog().register(a);
        target.catalog().register(b);
        registry = ConsulRegistry.create(Configs.fast(target.address()).build());
        AtomicLong published = new AtomicLong();
        LocalityLoadBalancer balancer = LocalityLoadBalancer.builder(service).registry(registry)
                .caller(Locality.of(target.dc1(), target.dc1() + "-a")).listener(new BalancerListener() {
                    @Override
                    public void onPlanChanged(RoutingPlan previous, RoutingPlan current) {
                        // Only the plan that takes a out counts: earlier plans may still be on their way.
                        if (current.endpoints().size() == 2
                                && current.shareByEndpoint().getOrDefault(a.endpointId(), 1.0) == 0.0) {
                            published.compareAndSet(0, System.nanoTime());
                        }
                    }
                }).build();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> balancer.plan().endpoints().size() == 2);

            long start = System.nanoTime();
            target.catalog().register(a.status("critical"));
            await().atMost(Duration.ofSeconds(2)).until(() -> published.get() != 0);

            assertThat(measured("health change to picker", published.get() - start)).isLessThanOrEqualTo(BOUND);
            assertThat(balancer.pick().endpoint().id()).isEqualTo(b.endpointId());
        } finally {
            balancer.close();
        }
    }
}
