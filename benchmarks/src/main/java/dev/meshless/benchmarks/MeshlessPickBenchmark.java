package dev.meshless.benchmarks;

import dev.meshless.balancer.Exclusions;
import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.balancer.Pick;
import dev.meshless.balancer.RoutingPlan;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of Meshless's data side: {@link LocalityLoadBalancer#pick()} on an unchanging topology, so
 * one volatile read of the current picker and the walk of its arrays, with the default policy
 * (least request inside a zone, over-provisioning factor 1.4). Nobody reports calls started or
 * finished, so least request sees an idle pool and its two draws are the whole cost.
 *
 * <p>In the {@code healthy} scenario every pick stays in the caller's zone (one locality in the
 * plan); in {@code local-zone-degraded} about 30 % spill to the region's other two zones, so the
 * pick also draws which of three localities to use.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class MeshlessPickBenchmark {

    /** Endpoints in the whole service, spread round-robin over six zones. */
    @Param({"10", "100", "1000"})
    public int endpoints;

    /** {@code healthy} or {@code local-zone-degraded}; see {@link Topology}. */
    @Param({Topology.HEALTHY, Topology.LOCAL_ZONE_DEGRADED})
    public String scenario;

    LocalityLoadBalancer lb;
    /** The endpoint a retry must avoid. */
    private Pick firstPick;

    /** Builds the balancer and checks that it routes as the scenario intends. */
    @Setup(Level.Trial)
    public void setUp() {
        List<Endpoint> fleet = Topology.endpoints(endpoints, scenario);
        lb = LocalityLoadBalancer.builder(Topology.SERVICE)
                .registry(StaticRegistry.of(fleet))
                .caller(Topology.CALLER)
                .build();
        checkRouting();
        firstPick = lb.pick();
    }

    /** Stops the balancer listening to its registry. */
    @TearDown(Level.Trial)
    public void tearDown() {
        lb.close();
    }

    /** A first attempt: what every call pays. */
    @Benchmark
    public Pick pick() {
        return lb.pick();
    }

    /** A first attempt with two threads picking from one balancer at once. */
    @Benchmark
    @Threads(2)
    public Pick pickTwoThreads() {
        return lb.pick();
    }

    /**
     * A second attempt that avoids the endpoint of the first, building its exclusions as a caller
     * would. Off the hot path: the spillover is recomputed over the tiers that are left.
     */
    @Benchmark
    public Pick retryPick() {
        return lb.pick(Exclusions.none().withEndpoint(firstPick.endpoint()));
    }

    /**
     * Fails the trial unless healthy picks all stay in the caller's zone and degraded picks spill
     * about 30 % to the rest of the region and never land on a critical endpoint.
     */
    void checkRouting() {
        RoutingPlan plan = lb.plan();
        if (!plan.routable() || plan.panic()) {
            throw new IllegalStateException("expected a routable plan without panic, got " + plan);
        }
        boolean healthy = Topology.HEALTHY.equals(scenario);
        double local = plan.tierShare(0);
        if (healthy ? local != 1.0 : local < 0.65 || local > 0.80) {
            throw new IllegalStateException("unexpected share in the caller's zone for " + scenario + ": " + plan);
        }
        for (int i = 0; i < 1_000; i++) {
            Pick p = lb.pick();
            if (p.endpoint().health() == HealthStatus.CRITICAL) {
                throw new IllegalStateException("picked a critical endpoint: " + p.endpoint());
            }
            if (healthy && !p.endpoint().locality().sameZoneAs(Topology.CALLER)) {
                throw new IllegalStateException("healthy pick left the caller's zone: " + p.endpoint());
            }
            if (!p.endpoint().locality().sameRegionAs(Topology.CALLER)) {
                throw new IllegalStateException("pick left the caller's region: " + p.endpoint());
            }
        }
    }
}
