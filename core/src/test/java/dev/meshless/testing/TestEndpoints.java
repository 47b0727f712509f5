package dev.meshless.testing;

import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.balancer.Pick;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/** Fixtures shared by the core tests: endpoints, topologies and pick counting. */
public final class TestEndpoints {

    /** The service every fixture endpoint belongs to unless told otherwise. */
    public static final String SERVICE = "inventory";
    /** The caller every fixture balancer uses unless told otherwise. */
    public static final Locality CALLER = Locality.of("r1", "r1-a");

    private static final AtomicInteger PORTS = new AtomicInteger(20000);

    private TestEndpoints() {
    }

    public static Endpoint endpoint(String id, String region, String zone) {
        return endpoint(id, region, zone, 1, HealthStatus.PASSING);
    }

    public static Endpoint endpoint(String id, String region, String zone, int weight, HealthStatus health) {
        return Endpoint.builder(SERVICE, id)
                .address("127.0.0.1", 1024 + Math.floorMod(PORTS.getAndIncrement(), 60000))
                .locality(region, zone)
                .weight(weight)
                .health(health)
                .build();
    }

    /** {@code healthy} passing and {@code unhealthy} critical endpoints named {@code zone-0, zone-1...}. */
    public static List<Endpoint> zone(String region, String zone, int healthy, int unhealthy) {
        List<Endpoint> list = new ArrayList<>();
        for (int i = 0; i < healthy + unhealthy; i++) {
            list.add(endpoint(zone + "-" + i, region, zone, 1,
                    i < healthy ? HealthStatus.PASSING : HealthStatus.CRITICAL));
        }
        return list;
    }

    /** Two regions × three zones × {@code perZone} healthy endpoints: r1-a, r1-b, r1-c, r2-a, r2-b, r2-c. */
    public static List<Endpoint> twoRegionsThreeZones(int perZone) {
        List<Endpoint> list = new ArrayList<>();
        for (String region : List.of("r1", "r2")) {
            for (String z : List.of("a", "b", "c")) {
                list.addAll(zone(region, region + "-" + z, perZone, 0));
            }
        }
        return list;
    }

    @SafeVarargs
    public static List<Endpoint> concat(Collection<Endpoint>... parts) {
        List<Endpoint> all = new ArrayList<>();
        for (Collection<Endpoint> p : parts) {
            all.addAll(p);
        }
        return all;
    }

    public static LocalityLoadBalancer balancer(StaticRegistry registry, LoadBalancingPolicy policy) {
        return LocalityLoadBalancer.builder(SERVICE).registry(registry).caller(CALLER).policy(policy).build();
    }

    public static LocalityLoadBalancer balancer(List<Endpoint> endpoints, LoadBalancingPolicy policy) {
        return balancer(StaticRegistry.of(endpoints), policy);
    }

    public static LocalityLoadBalancer balancer(List<Endpoint> endpoints) {
        return balancer(endpoints, LoadBalancingPolicy.defaults());
    }

    /** Fraction of {@code n} picks per key. */
    public static Map<String, Double> fractions(Supplier<Pick> picker, int n, Function<Pick, String> key) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(key.apply(picker.get()), 1, Integer::sum);
        }
        Map<String, Double> fractions = new TreeMap<>();
        counts.forEach((k, v) -> fractions.put(k, (double) v / n));
        return fractions;
    }

    /** Fraction of {@code n} picks per zone name. */
    public static Map<String, Double> zoneFractions(Supplier<Pick> picker, int n) {
        return fractions(picker, n, p -> p.endpoint().locality().zone());
    }

    /** Fraction of {@code n} picks per endpoint id. */
    public static Map<String, Double> endpointFractions(Supplier<Pick> picker, int n) {
        return fractions(picker, n, p -> p.endpoint().id());
    }
}
