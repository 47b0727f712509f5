package dev.meshless.spring.boot.cloud.testing;

import dev.meshless.spring.boot.testing.OwnReactorResources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * An application with Spring Cloud's own {@code @LoadBalanced} wiring — a {@code RestClient.Builder}
 * and a {@code WebClient.Builder} — and Meshless's auto-configuration, without a web server.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class LoadBalancedTestApp {

    /** The caller's locality and fast ejection, common to the Spring Cloud tests. */
    public static final List<String> CALLER = List.of(
            "spring.application.name=checkout",
            "meshless.locality.region=r1", "meshless.locality.zone=r1-a",
            "meshless.services.inventory.outlier-detection.consecutive-local-origin-failures=1",
            "spring.cloud.loadbalancer.retry.enabled=true");

    /** @return a load-balanced RestClient builder, as applications declare one */
    @Bean
    @LoadBalanced
    RestClient.Builder loadBalancedRestClient() {
        return RestClient.builder();
    }

    /** @return a load-balanced WebClient builder, as applications declare one */
    @Bean
    @LoadBalanced
    WebClient.Builder loadBalancedWebClient() {
        return WebClient.builder();
    }

    /** @return the meters Meshless records to */
    @Bean
    SimpleMeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    /**
     * @param properties application properties, {@code name=value}
     * @return the running application, with Reactor Netty resources of its own ({@link OwnReactorResources})
     */
    public static ConfigurableApplicationContext run(List<String> properties) {
        return new SpringApplicationBuilder(LoadBalancedTestApp.class).web(WebApplicationType.NONE)
                .initializers(OwnReactorResources::register).properties(properties.toArray(new String[0])).run();
    }
}
