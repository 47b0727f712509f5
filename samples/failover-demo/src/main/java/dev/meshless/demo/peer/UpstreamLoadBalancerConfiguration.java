package dev.meshless.demo.peer;

import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/**
 * The spring-cloud caller's instances of each service it calls, built as the LoadBalancer documentation
 * combines its suppliers: the discovery client, health checks directly after it, then zone preference.
 * The {@code @LoadBalancerClients} default configuration: not a {@code @Configuration}, and not a member of a
 * scanned class, so that only the load balancer's child context uses it.
 */
public class UpstreamLoadBalancerConfiguration {

    /**
     * @param context the load balancer's child context for {@code upstream}
     * @return the instance supplier
     */
    @Bean
    public ServiceInstanceListSupplier upstreamInstances(ConfigurableApplicationContext context) {
        return ServiceInstanceListSupplier.builder()
                .withBlockingDiscoveryClient()
                .withBlockingHealthChecks(context.getBean("healthCheckRestClient", RestClient.class))
                .withZonePreference()
                .build(context);
    }
}
