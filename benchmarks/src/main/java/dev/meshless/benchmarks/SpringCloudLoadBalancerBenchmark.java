package dev.meshless.benchmarks;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.reactive.ReactiveLoadBalancer;
import org.springframework.cloud.loadbalancer.config.LoadBalancerZoneConfig;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ZonePreferenceServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.ServiceInstanceListSuppliers;
import org.springframework.cloud.loadbalancer.support.SimpleObjectProvider;

/**
 * The baseline: Spring Cloud LoadBalancer's zone preference and round robin, the stack
 * {@code ServiceInstanceListSupplier.builder().withZonePreference()} builds, over a fixed instance
 * list (the cheapest possible discovery: no cache, no network), choosing the blocking way a
 * {@code RestTemplate} or {@code RestClient} interceptor does.
 *
 * <p>Per choice it filters the whole list down to the caller's zone and allocates the result, then
 * round-robins over it. It has no spillover: in {@code local-zone-degraded} the critical instances
 * are simply missing from the list and every choice still goes to the caller's zone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class SpringCloudLoadBalancerBenchmark {

    /** Endpoints in the whole service, spread round-robin over six zones. */
    @Param({"10", "100", "1000"})
    public int endpoints;

    /** {@code healthy} or {@code local-zone-degraded}; see {@link Topology}. */
    @Param({Topology.HEALTHY, Topology.LOCAL_ZONE_DEGRADED})
    public String scenario;

    RoundRobinLoadBalancer loadBalancer;

    /** Builds the supplier chain and the balancer and checks that choices stay in the caller's zone. */
    @Setup(Level.Trial)
    public void setUp() {
        ServiceInstanceListSupplier registry = ServiceInstanceListSuppliers.from(Topology.SERVICE,
                Topology.instances(Topology.endpoints(endpoints, scenario)));
        ServiceInstanceListSupplier zonePreference = new ZonePreferenceServiceInstanceListSupplier(registry,
                new LoadBalancerZoneConfig(Topology.CALLER.zone()));
        loadBalancer = new RoundRobinLoadBalancer(new SimpleObjectProvider<>(zonePreference), Topology.SERVICE);
        checkRouting();
    }

    /** A choice, as {@code ReactiveLoadBalancer.choose()} makes it, blocked on. */
    @Benchmark
    public Response<ServiceInstance> choose() {
        return loadBalancer.choose(ReactiveLoadBalancer.REQUEST).block();
    }

    /** Fails the trial unless every choice is an instance in the caller's zone. */
    void checkRouting() {
        for (int i = 0; i < 1_000; i++) {
            Response<ServiceInstance> response = choose();
            if (response == null || !response.hasServer()) {
                throw new IllegalStateException("Spring Cloud LoadBalancer chose nothing for " + scenario);
            }
            String zone = response.getServer().getMetadata().get("zone");
            if (!Topology.CALLER.zone().equals(zone)) {
                throw new IllegalStateException("choice left the caller's zone: " + response.getServer());
            }
        }
    }
}
