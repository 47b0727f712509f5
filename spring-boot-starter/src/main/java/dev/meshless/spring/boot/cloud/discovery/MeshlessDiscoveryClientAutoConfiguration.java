package dev.meshless.spring.boot.cloud.discovery;

import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.MeshlessInstance;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.time.TimeSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;

/**
 * Feeds the Meshless registry from the application's Spring Cloud {@link DiscoveryClient} (the
 * composite of Consul, Eureka, Kubernetes, simple …), as the source named {@code discovery-client}
 * (order 100, after the static endpoints: an id both list keeps its static definition).
 *
 * <p>Active when spring-cloud-commons is on the class path, a {@code DiscoveryClient} bean exists,
 * Meshless is on and {@code meshless.registry.discovery-client.enabled} is not false. Data flows one
 * way: discovery client → Meshless registry → Meshless balancer and supplier; the LoadBalancer
 * bridge replaces Spring Cloud's discovery-client supplier instead of reading through it.
 */
@AutoConfiguration(after = MeshlessAutoConfiguration.class, afterName = {
        "org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration",
        "org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration"})
@ConditionalOnClass(DiscoveryClient.class)
@ConditionalOnBean({MeshlessClients.class, DiscoveryClient.class})
@ConditionalOnProperty(prefix = MeshlessProperties.PREFIX + ".registry.discovery-client", name = "enabled",
        matchIfMissing = true)
public class MeshlessDiscoveryClientAutoConfiguration {

    /**
     * The registry is not a bean of its own: the merged registry is the application's only
     * {@code EndpointRegistry} bean. Replace this bean (by its name) to read instances differently.
     *
     * @param discoveryClient the application's (primary) discovery client
     * @param properties Meshless properties ({@code meshless.registry.discovery-client.*})
     * @param instance this instance, whose region is the default region of instances without one
     * @param time the time source that times refreshes
     * @return the discovery client's contribution to the merged registry
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(name = "meshlessDiscoveryClientContributor")
    DiscoveryClientContributor meshlessDiscoveryClientContributor(DiscoveryClient discoveryClient,
                                                                  MeshlessProperties properties,
                                                                  MeshlessInstance instance, TimeSource time) {
        MeshlessProperties.DiscoveryClientProperties p = properties.getRegistry().getDiscoveryClient();
        String defaultRegion = p.getDefaultRegion() != null ? p.getDefaultRegion()
                : instance.locality() != null ? instance.locality().region() : null;
        return new DiscoveryClientContributor(new DiscoveryClientRegistry(discoveryClient,
                new InstanceMapping(p.getZoneKey(), p.getRegionKey(), defaultRegion), p.getRefreshInterval(), time));
    }
}
