package dev.meshless.spring.boot.test.e2e;

import dev.meshless.spring.boot.ZoneAware;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;
import org.springframework.web.service.annotation.GetExchange;

/** A service as a user writes it: one client of each kind, all calling services through Meshless. */
@SpringBootApplication
public class EndToEndApplication {

    /** The {@code @ZoneAware} interface client of {@code inventory}. */
    @ZoneAware("inventory")
    public interface Inventory {
        /** @return the id of the instance that answered */
        @GetExchange("/work")
        String work();
    }

    /** @return a Spring Cloud {@code @LoadBalanced} builder, used for {@code catalog} */
    @Bean
    @LoadBalanced
    RestClient.Builder loadBalancedRestClientBuilder() {
        return RestClient.builder();
    }
}
