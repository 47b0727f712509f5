package dev.meshless.spring.boot.registry;

import dev.meshless.registry.EndpointRegistry;
import java.util.Map;
import org.springframework.core.Ordered;

/**
 * A source of endpoints for the application's merged registry. The starter contributes the static
 * registry (order 0) and, when present, Consul (order 50) and a Spring Cloud {@code DiscoveryClient}
 * (order 100); an application may add its own. Sources are merged in order: when two report the same
 * endpoint id, the earlier wins.
 *
 * <p>A source may describe its state for operators: {@link #details()} in the {@code meshless}
 * actuator endpoint, {@link #healthDetails()} and {@link #degraded()} in the {@code meshless} health
 * indicator. None of them may return secrets.
 */
public interface RegistryContributor extends Ordered {

    /** @return the registry this contributor adds */
    EndpointRegistry registry();

    /** @return a short name for logs and the actuator endpoint, e.g. {@code static}, {@code consul} */
    String name();

    /**
     * @return this source's state for the {@code meshless} actuator endpoint, e.g. Consul's view of
     *     each service in each datacenter; JSON-friendly values, never secrets. Empty by default.
     */
    default Map<String, Object> details() {
        return Map.of();
    }

    /**
     * @return a short summary for the {@code meshless} health indicator's details; never secrets.
     *     Empty by default.
     */
    default Map<String, Object> healthDetails() {
        return Map.of();
    }

    /**
     * @return whether this source currently serves a view it cannot confirm (for example its server
     *     is unreachable and the last good view is kept); reported as {@code degraded}, never as DOWN.
     *     False by default.
     */
    default boolean degraded() {
        return false;
    }
}
