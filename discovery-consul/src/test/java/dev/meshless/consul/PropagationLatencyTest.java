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
 * A change in Consul reaches the listener within 100 ms of the blocking query returning. The clock
 * starts before the change is written, so the bound also covers the write and the query's wake-up.
 */
@Tag("agent")
class PropagationLatencyTest {

    private static final Duration BOUND = Duration.ofMillis(100);

    private ConsulTarget target;
    private ConsulRegistry registry;
    private final String service = ConsulTarget.unique("payments");

    @BeforeEach
    void start() {
        target = ConsulTarget.federation();
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
    void aHealthChangeReachesTheListenerWithin100Milliseconds() throws Exception {
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
            assertThat(Duration.ofNanos(latency)).isLessThanOrEqualTo(BOUND);
            assertThat(rec.last().endpoints()).filteredOn(e -> e.id().equals(changed.endpointId()))
                    .singleElement().extracting(e -> e.health()).isEqualTo(HealthStatus.CRITICAL);
        }
    }

    @Test
    void aNewInstanceReachesTheListenerWithin100Milliseconds() throws Exception {
        target.catalog().register(instance(target.dc1(), "node-a", service, "a1"));
        registry = ConsulRegistry.create(Configs.fast(target.address()).build());
        Recorder rec = new Recorder();
        registry.subscribe(service, rec);
        await().atMost(Duration.ofSeconds(5)).until(() -> rec.count() > 0);

        int before = rec.count();
        long start = System.nanoTime();
        target.catalog().register(instance(target.dc2(), "node-c", service, "c1"));
        await().atMost(Duration.ofSeconds(2)).until(() -> rec.count() > before);

        assertThat(Duration.ofNanos(rec.deliveries().get(before).nanos() - start)).isLessThanOrEqualTo(BOUND);
        assertThat(rec.ids()).contains(target.dc2() + "/node-c/c1");
    }

    @Test
    void aChangeReachesTheBalancersPickerWithin100Milliseconds() throws Exception {
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

            assertThat(Duration.ofNanos(published.get() - start)).isLessThanOrEqualTo(BOUND);
            assertThat(balancer.pick().endpoint().id()).isEqualTo(b.endpointId());
        } finally {
            balancer.close();
        }
    }
}
