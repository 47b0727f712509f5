package dev.meshless.spring.boot.cloud.testing;

import dev.meshless.call.CallListener;
import dev.meshless.call.CallMetrics;
import dev.meshless.ratelimit.RateLimitMetrics;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.MeshlessInstance;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.policy.PolicySpec;
import dev.meshless.spring.boot.PolicyResolver;
import dev.meshless.spring.boot.http.SpringHttpOutcomeClassifier;
import dev.meshless.testing.FakeTime;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.util.List;
import java.util.Set;

/**
 * {@link MeshlessClients} on an in-memory registry, for unit tests of the Spring Cloud bridge: the
 * caller runs in r1/r1-a, outlier detection ejects after one connection failure, time is manual.
 */
public final class TestClients {

    /** The caller's locality. */
    public static final Locality CALLER = Locality.of("r1", "r1-a");

    private TestClients() {
    }

    /**
     * @param service a service name
     * @param id an endpoint id, also its host name
     * @param region its region
     * @param zone its zone
     * @return the endpoint, on port 8080
     */
    public static Endpoint endpoint(String service, String id, String region, String zone) {
        return Endpoint.builder(service, id).address(id, 8080).locality(region, zone).build();
    }

    /**
     * @param registry where endpoints come from
     * @param time the time source
     * @param listeners listeners of every client
     * @return the clients
     */
    public static MeshlessClients clients(StaticRegistry registry, FakeTime time, CallListener... listeners) {
        MeshlessProperties properties = new MeshlessProperties();
        dev.meshless.outlier.OutlierDetectionSpec outliers = properties.getDefaults().getOutlierDetection();
        outliers.setConsecutiveLocalOriginFailures(1);
        outliers.setConsecutiveGatewayFailures(1);
        PolicyResolver policies = new PolicyResolver(properties);
        return new MeshlessClients(registry, new MeshlessInstance("checkout", null, CALLER), policies,
                service -> new SpringHttpOutcomeClassifier(), time,
                CircuitBreakerRegistry.ofDefaults(), null, CallMetrics.NOOP, RateLimitMetrics.NOOP,
                List.of(listeners), Set.of(), null);
    }

    /**
     * @return inventory with two endpoints in the caller's zone (a1, a2), two in the next zone (b1, b2)
     *     and one in another region (c1)
     */
    public static StaticRegistry inventory() {
        return StaticRegistry.builder()
                .endpoint(endpoint("inventory", "a1", "r1", "r1-a"))
                .endpoint(endpoint("inventory", "a2", "r1", "r1-a"))
                .endpoint(endpoint("inventory", "b1", "r1", "r1-b"))
                .endpoint(endpoint("inventory", "b2", "r1", "r1-b"))
                .endpoint(endpoint("inventory", "c1", "r2", "r2-a"))
                .build();
    }
}
