package dev.meshless.spring.boot.cloud.loadbalancer;

import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.context.annotation.Bean;

/**
 * The Spring Cloud LoadBalancer bridge: makes {@link MeshlessLoadBalancerClientConfiguration} the
 * default configuration of every Spring Cloud LoadBalancer client, so that {@code @LoadBalanced}
 * {@code RestClient}, {@code RestTemplate} and {@code WebClient} clients and OpenFeign pick with
 * Meshless (or choose among the instances of its plan) and report their outcomes to it.
 *
 * <p>Active when spring-cloud-loadbalancer is on the class path, Meshless is on and
 * {@code meshless.loadbalancer.enabled} is not false; otherwise Spring Cloud's own balancer and
 * suppliers apply unchanged.
 */
@AutoConfiguration(after = MeshlessAutoConfiguration.class)
@ConditionalOnClass({ReactorServiceInstanceLoadBalancer.class, LoadBalancerLifecycle.class})
@ConditionalOnBean(MeshlessClients.class)
@ConditionalOnProperty(prefix = MeshlessLoadBalancerProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(MeshlessLoadBalancerProperties.class)
@LoadBalancerClients(defaultConfiguration = MeshlessLoadBalancerClientConfiguration.class)
public class MeshlessLoadBalancerAutoConfiguration {

    /**
     * @return the listener through which the suppliers hear plan changes; passed to every client by
     *     the starter's {@code MeshlessClients}
     */
    @Bean
    @ConditionalOnMissingBean
    PlanChanges meshlessPlanChanges() {
        return new PlanChanges();
    }
}
