package dev.meshless.benchmarks;

import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

/**
 * The fleet every benchmark runs against: one service spread round-robin over two regions of three
 * zones each, called from {@link #CALLER}. Both balancers are given the same instances, so that
 * their numbers compare like with like.
 */
final class Topology {

    static final String SERVICE = "svc";
    static final Locality CALLER = Locality.of("r1", "r1-a");
    static final List<Locality> ZONES = List.of(
            Locality.of("r1", "r1-a"), Locality.of("r1", "r1-b"), Locality.of("r1", "r1-c"),
            Locality.of("r2", "r2-a"), Locality.of("r2", "r2-b"), Locality.of("r2", "r2-c"));

    /** Every endpoint passing. */
    static final String HEALTHY = "healthy";
    /**
     * Half of the caller's zone critical, rounded down so that the zone stays at or above the 50 %
     * panic threshold: with the default over-provisioning factor of 1.4 the zone keeps about 70 % of
     * the traffic and about 30 % spills to the other two zones of the region.
     */
    static final String LOCAL_ZONE_DEGRADED = "local-zone-degraded";

    private Topology() {
    }

    /**
     * @param total how many endpoints; endpoint {@code i} goes to zone {@code i mod 6}
     * @param scenario {@link #HEALTHY} or {@link #LOCAL_ZONE_DEGRADED}
     * @return the endpoints, in id order
     */
    static List<Endpoint> endpoints(int total, String scenario) {
        if (total < ZONES.size()) {
            throw new IllegalArgumentException("endpoints must be at least " + ZONES.size()
                    + " so that every zone has one, but was " + total);
        }
        boolean degraded = switch (scenario) {
            case HEALTHY -> false;
            case LOCAL_ZONE_DEGRADED -> true;
            default -> throw new IllegalArgumentException("scenario must be one of " + HEALTHY + ", "
                    + LOCAL_ZONE_DEGRADED + ", but was '" + scenario + "'");
        };
        int inCallerZone = (total + ZONES.size() - 1) / ZONES.size();
        int criticalLeft = degraded ? inCallerZone / 2 : 0;
        List<Endpoint> endpoints = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            Locality zone = ZONES.get(i % ZONES.size());
            HealthStatus health = HealthStatus.PASSING;
            if (criticalLeft > 0 && zone.equals(CALLER)) {
                health = HealthStatus.CRITICAL;
                criticalLeft--;
            }
            endpoints.add(Endpoint.builder(SERVICE, String.format("%s-%04d", SERVICE, i))
                    .address("127.0.0.1", 10_000 + i)
                    .locality(zone)
                    .health(health)
                    .build());
        }
        return endpoints;
    }

    /**
     * The same endpoints as Spring Cloud sees them: metadata {@code zone} set, and critical ones left
     * out, as a discovery client that returns passing instances only (Consul's {@code ?passing})
     * would hand them over. Spring Cloud LoadBalancer has no per-instance health of its own.
     *
     * @param endpoints the endpoints of {@link #endpoints}
     * @return one instance per routable endpoint
     */
    static ServiceInstance[] instances(List<Endpoint> endpoints) {
        List<ServiceInstance> instances = new ArrayList<>(endpoints.size());
        for (Endpoint e : endpoints) {
            if (e.health() != HealthStatus.CRITICAL) {
                instances.add(new DefaultServiceInstance(e.id(), e.service(), e.host(), e.port(), false,
                        Map.of("zone", e.locality().zone())));
            }
        }
        return instances.toArray(new ServiceInstance[0]);
    }
}
