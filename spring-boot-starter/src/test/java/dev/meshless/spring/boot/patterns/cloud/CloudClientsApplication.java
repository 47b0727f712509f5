package dev.meshless.spring.boot.patterns.cloud;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientBuilderConfigurer;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The builders Spring Cloud's documentation has applications declare, {@code @LoadBalanced}: with
 * them Spring Boot's own {@code RestClient.Builder} and {@code WebClient.Builder} back off, so they
 * live in an application of their own.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class CloudClientsApplication {

    /** @return a load-balanced builder, as Spring Cloud's documentation declares it */
    @Bean
    @LoadBalanced
    RestClient.Builder loadBalancedRestClientBuilder() {
        return RestClient.builder();
    }

    /** @return a load-balanced builder with Spring Boot's customizers (Meshless's interceptor among them) */
    @Bean
    @LoadBalanced
    RestClient.Builder loadBalancedConfiguredRestClientBuilder(RestClientBuilderConfigurer configurer) {
        return configurer.configure(RestClient.builder());
    }

    /** @return a load-balanced WebClient builder, as Spring Cloud's documentation declares it */
    @Bean
    @LoadBalanced
    WebClient.Builder loadBalancedWebClientBuilder() {
        return WebClient.builder();
    }
}
