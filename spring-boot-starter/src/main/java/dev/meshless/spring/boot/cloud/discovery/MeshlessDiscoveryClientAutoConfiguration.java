package dev.meshless.spring.boot.cloud.discovery;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.MeshlessInstance;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.config.PropertyNames;
import dev.meshless.time.TimeSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClient;
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
 *
 * <p>When Meshless reads Consul itself (the {@code consul} source of {@code meshless-discovery-consul}),
 * Spring Cloud Consul's {@code ConsulDiscoveryClient} is left out of this source, so that Consul's
 * instances are not counted twice under two ids; other discovery clients still feed it.
 */
@AutoConfiguration(after = MeshlessAutoConfiguration.class, afterName = {
        "org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration",
        "org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration"})
@ConditionalOnClass(DiscoveryClient.class)
@ConditionalOnBean({MeshlessClients.class, DiscoveryClient.class})
@ConditionalOnProperty(prefix = MeshlessProperties.PREFIX + ".registry.discovery-client", name = "enabled",
        matchIfMissing = true)
public class MeshlessDiscoveryClientAutoConfiguration {

    /** Spring Cloud Consul's discovery client, left out while the {@code consul} source reads Consul. */
    static final String SPRING_CLOUD_CONSUL_CLIENT = "org.springframework.cloud.consul.discovery.ConsulDiscoveryClient";

    /** The bean of the {@code consul} source (meshless-discovery-consul). */
    static final String CONSUL_SOURCE = "meshlessConsulContributor";

    private static final Logger log = LoggerFactory.getLogger(MeshlessDiscoveryClientAutoConfiguration.class);

    /**
     * The registry is not a bean of its own: the merged registry is the application's only
     * {@code EndpointRegistry} bean. Replace this bean (by its name) to read instances differently.
     *
     * @param discoveryClient the application's (primary) discovery client
     * @param properties Meshless properties ({@code meshless.registry.discovery-client.*})
     * @param instance this instance, whose region is the default region of instances without one
     * @param time the time source that times refreshes
     * @param beans to find out whether Meshless reads Consul itself
     * @return the discovery client's contribution to the merged registry
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(name = "meshlessDiscoveryClientContributor")
    DiscoveryClientContributor meshlessDiscoveryClientContributor(DiscoveryClient discoveryClient,
                                                                  MeshlessProperties properties,
                                                                  MeshlessInstance instance, TimeSource time,
                                                                  BeanFactory beans) {
        MeshlessProperties.DiscoveryClientProperties p = properties.getRegistry().getDiscoveryClient();
        String defaultRegion = p.getDefaultRegion() != null ? p.getDefaultRegion()
                : instance.locality() != null ? instance.locality().region() : null;
        DiscoveryClient source = beans.containsBean(CONSUL_SOURCE) ? withoutSpringCloudConsul(discoveryClient)
                : discoveryClient;
        try {
            return new DiscoveryClientContributor(new DiscoveryClientRegistry(source,
                    new InstanceMapping(p.getZoneKey(), p.getRegionKey(), defaultRegion), p.getRefreshInterval(), time));
        } catch (InvalidConfigurationException e) {
            throw PropertyNames.invalid(e, MeshlessProperties.PREFIX + ".registry.discovery-client");
        }
    }

    /**
     * @param client the application's discovery client, usually the composite of all of them
     * @return the same without Spring Cloud Consul's client (the {@code consul} source reads Consul)
     */
    static DiscoveryClient withoutSpringCloudConsul(DiscoveryClient client) {
        List<DiscoveryClient> all = client instanceof CompositeDiscoveryClient composite
                ? composite.getDiscoveryClients() : List.of(client);
        List<DiscoveryClient> kept = all.stream().filter(c -> !c.getClass().getName().equals(SPRING_CLOUD_CONSUL_CLIENT))
                .toList();
        if (kept.size() == all.size()) {
            return client;
        }
        log.info("Meshless: Spring Cloud Consul's DiscoveryClient does not feed the registry: the consul source "
                + "reads Consul; other discovery clients still do");
        return new CompositeDiscoveryClient(kept);
    }
}
