package dev.meshless.balancer;

import static dev.meshless.testing.TestEndpoints.SERVICE;
import static dev.meshless.testing.TestEndpoints.concat;
import static dev.meshless.testing.TestEndpoints.zone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.TestEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Picks from several threads while topology and health change from others. */
class ConcurrentPickTest {

    @Test
    void picksStayValidWhileTopologyAndHealthChange() throws Exception {
        // r1-a keeps one endpoint that is always healthy and one that is always critical, so the
        // service is always routable and the critical one is never legitimately picked (tier 0 never
        // drops below 50 % healthy, so it never panics).
        List<Endpoint> stable = concat(zone("r1", "r1-a", 1, 1), zone("r1", "r1-b", 2, 0));
        List<Endpoint> churn = concat(zone("r1", "r1-c", 3, 0), zone("r2", "r2-a", 3, 0));
        StaticRegistry registry = StaticRegistry.of(concat(stable, churn));
        LocalityLoadBalancer lb = TestEndpoints.balancer(registry, LoadBalancingPolicy.defaults());
        Set<String> known = ConcurrentHashMap.newKeySet();
        concat(stable, churn).forEach(e -> known.add(e.id()));

        int pickers = 3;
        int picksEach = 200_000;
        ExecutorService pool = Executors.newFixedThreadPool(pickers + 2);
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong picked = new AtomicLong();
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < pickers; t++) {
                work.add(pool.submit(() -> {
                    start.await();
                    Exclusions tried = Exclusions.none().withEndpointId("r1-b-0");
                    for (int i = 0; i < picksEach; i++) {
                        Pick p = (i & 7) == 0 ? lb.pick(tried) : lb.pick();
                        assertThat(known).contains(p.endpoint().id());
                        assertThat(p.endpoint().id()).isNotEqualTo("r1-a-1");
                        picked.incrementAndGet();
                    }
                    return null;
                }));
            }
            Future<?> topology = pool.submit(() -> {
                start.await();
                for (int i = 0; i < 500; i++) {
                    registry.replace(SERVICE, (i & 1) == 0 ? stable : concat(stable, churn));
                }
                registry.replace(SERVICE, concat(stable, churn));
                return null;
            });
            Future<?> health = pool.submit(() -> {
                start.await();
                for (int i = 0; i < 2_000; i++) {
                    lb.setEjected("r1-b-1", (i & 1) == 0);
                    lb.setZoneAvailable(Locality.of("r1", "r1-c"), (i % 3) != 0);
                }
                lb.setEjected("r1-b-1", true);
                lb.setZoneAvailable(Locality.of("r1", "r1-c"), true);
                return null;
            });
            start.countDown();
            topology.get(60, TimeUnit.SECONDS);
            health.get(60, TimeUnit.SECONDS);
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(picked.get()).isEqualTo((long) pickers * picksEach);
        // Once the changes stop, the last state is what the picker follows.
        RoutingPlan plan = lb.plan();
        assertThat(plan.endpoints()).hasSize(10);
        assertThat(plan.endpoints()).filteredOn(e -> e.endpoint().id().equals("r1-b-1"))
                .extracting(RoutingPlan.EndpointPlan::state).containsExactly(EndpointState.EJECTED);
        assertThat(plan.tierShare(0)).isEqualTo(0.7);
        for (int i = 0; i < 10_000; i++) {
            assertThat(lb.pick().endpoint().id()).isNotIn("r1-a-1", "r1-b-1");
        }
    }
}
