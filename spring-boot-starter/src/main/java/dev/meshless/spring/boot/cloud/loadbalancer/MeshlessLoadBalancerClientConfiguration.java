package dev.meshless.spring.boot.cloud.loadbalancer;

import dev.meshless.spring.boot.MeshlessClients;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The Meshless beans of each Spring Cloud LoadBalancer child context (one per service), registered
 * as the default configuration of every client by {@link MeshlessLoadBalancerAutoConfiguration}.
 *
 * <p>Spring Cloud registers a client's own configuration ({@code @LoadBalancerClient(configuration =
 * …)}) first, then default configurations such as this one, then its {@code
 * LoadBalancerClientConfiguration}. Every bean here is {@code @ConditionalOnMissingBean}, and so are
 * Spring Cloud's defaults: a client's own balancer or supplier wins over these, and these win over
 * Spring Cloud's round robin and discovery-client supplier. Property conditions sit on the bean
 * methods, which are evaluated once the child context sees the application's environment.
 */
@Configuration(proxyBeanMethods = false)
public class MeshlessLoadBalancerClientConfiguration {

    /**
     * @param environment the child context's environment, which names the service
     * @param clients the application's Meshless clients
     * @return the Meshless picker as the service's balancer, unless
     *     {@code meshless.loadbalancer.mode=supplier}
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = MeshlessLoadBalancerProperties.PREFIX, name = "mode", havingValue = "picker",
            matchIfMissing = true)
    ReactorLoadBalancer<ServiceInstance> meshlessReactorLoadBalancer(Environment environment, MeshlessClients clients) {
        return new MeshlessReactorLoadBalancer(clients.client(LoadBalancerClientFactory.getName(environment)));
    }

    /**
     * @param environment the child context's environment, which names the service
     * @param clients the application's Meshless clients
     * @param changes plan change notifications, when the bridge's listener is a bean
     * @return the service's instances as the Meshless plan routes to them
     */
    @Bean
    @ConditionalOnMissingBean
    ServiceInstanceListSupplier meshlessServiceInstanceListSupplier(Environment environment, MeshlessClients clients,
                                                                    ObjectProvider<PlanChanges> changes) {
        return new MeshlessServiceInstanceListSupplier(
                clients.client(LoadBalancerClientFactory.getName(environment)).balancer(), changes.getIfUnique());
    }

    /**
     * @param clients the application's Meshless clients
     * @return the lifecycle that reports outcomes, unless {@code meshless.loadbalancer.feedback=false}
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = MeshlessLoadBalancerProperties.PREFIX, name = "feedback", matchIfMissing = true)
    MeshlessLoadBalancerLifecycle meshlessLoadBalancerLifecycle(MeshlessClients clients) {
        return new MeshlessLoadBalancerLifecycle(clients);
    }
}
