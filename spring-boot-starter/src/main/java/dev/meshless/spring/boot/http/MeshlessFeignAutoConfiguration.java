package dev.meshless.spring.boot.http;

import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import feign.Client;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * OpenFeign through Meshless where Spring Cloud LoadBalancer does not balance it: without
 * spring-cloud-loadbalancer, {@code @FeignClient("inventory")} finds no load-balancing client and
 * fails to start, and one with {@code url = "http://inventory"} calls that host name. The
 * {@link MeshlessFeignClient} is then the Feign client of the application, over Feign's default
 * transport. With spring-cloud-loadbalancer, OpenFeign's own load-balancing client comes first and
 * this one backs off: Feign is Spring Cloud's, and Meshless picks through the LoadBalancer bridge.
 * A {@code feign.Client} bean of the application wins too; off with
 * {@code meshless.zone-aware.http-clients.enabled=false}.
 */
@AutoConfiguration(after = MeshlessAutoConfiguration.class,
        afterName = "org.springframework.cloud.openfeign.loadbalancer.FeignLoadBalancerAutoConfiguration",
        beforeName = "org.springframework.cloud.openfeign.FeignAutoConfiguration")
@ConditionalOnClass(name = {"feign.Client", "org.springframework.cloud.openfeign.FeignClientFactoryBean"})
@ConditionalOnBean(MeshlessClients.class)
@ConditionalOnBooleanProperty(name = MeshlessHttpClientAutoConfiguration.CUSTOMIZE, matchIfMissing = true)
public class MeshlessFeignAutoConfiguration {

    /** Created by Spring. */
    public MeshlessFeignAutoConfiguration() {
    }

    /**
     * @param clients the application's Meshless clients
     * @return the Feign client that routes services through Meshless
     */
    @Bean
    @ConditionalOnMissingBean(Client.class)
    public MeshlessFeignClient meshlessFeignClient(MeshlessClients clients) {
        return new MeshlessFeignClient(new Client.Default(null, null), clients);
    }
}
