package dev.meshless.spring.boot.registry;

import dev.meshless.registry.EndpointRegistry;
import org.springframework.core.Ordered;

/**
 * A source of endpoints for the application's merged registry. The starter contributes the static
 * registry (order 0) and, when present, a Spring Cloud {@code DiscoveryClient} and Consul; an
 * application may add its own. Sources are merged in order: when two report the same endpoint id,
 * the earlier wins.
 */
public interface RegistryContributor extends Ordered {

    /** @return the registry this contributor adds */
    EndpointRegistry registry();

    /** @return a short name for logs and the actuator endpoint, e.g. {@code static}, {@code consul} */
    String name();
}
