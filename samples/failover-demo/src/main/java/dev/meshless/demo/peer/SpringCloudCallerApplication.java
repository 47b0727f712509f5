package dev.meshless.demo.peer;

import dev.meshless.demo.HttpDiscoveryClient;
import dev.meshless.demo.UpstreamFleet;
import io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker;
import io.github.resilience4j.retry.annotation.Retry;
import io.github.resilience4j.timelimiter.annotation.TimeLimiter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.restclient.autoconfigure.RestClientBuilderConfigurer;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;

/**
 * The comparison's second caller: the same service called the way a Spring Boot application does it
 * without Meshless, as Spring Cloud's and Resilience4j's documentation set it up — a
 * {@code @LoadBalanced RestClient.Builder}, Spring Cloud LoadBalancer with zone preference over health
 * checks, its retries on the next instance (spring-retry), and Resilience4j's {@code @CircuitBreaker},
 * {@code @Retry} and {@code @TimeLimiter} around the call. Its properties, each with the reason and the
 * documentation it follows, are {@link SpringCloudSettings}; Meshless is on the class path (the demo is
 * one jar) and switched off with {@code meshless.enabled=false}.
 */
@SpringBootApplication
@LoadBalancerClients(defaultConfiguration = UpstreamLoadBalancerConfiguration.class)
public class SpringCloudCallerApplication {

    /**
     * The services the drill may call, each through the load-balanced client with Resilience4j around
     * it: one method per service, as an application has one per dependency, each with its own breaker,
     * retry and time limiter (named after the service).
     */
    @Service
    public static class Upstreams implements DisposableBean {

        private final RestClient client;
        private final ExecutorService calls = Executors.newFixedThreadPool(512, r -> {
            Thread t = new Thread(r, "spring-cloud-caller");
            t.setDaemon(true);
            return t;
        });

        Upstreams(@LoadBalanced RestClient.Builder loadBalanced, ZoneAttempts attempts) {
            // Spring Cloud's interceptor is already on the builder (added when the bean was made), so the
            // attempt counter comes after it and sees the instance chosen for each attempt. The header tells
            // the drill's servers whose call it is (for the surge counts), nothing else reads it.
            this.client = loadBalanced.requestInterceptor(attempts)
                    .defaultHeader(UpstreamFleet.CALLER_HEADER, SpringCloudCaller.NAME).build();
        }

        /**
         * The time limiter is the call's deadline (its aspect runs outermost, see {@link SpringCloudSettings});
         * Resilience4j's time limiter needs an asynchronous result, hence the future.
         *
         * @return {@code <instance> <zone> <region>} of the instance that answered
         */
        @TimeLimiter(name = "upstream")
        @CircuitBreaker(name = "upstream")
        @Retry(name = "upstream")
        public CompletableFuture<String> upstream() {
            return work("upstream");
        }

        /** @return the answer of the inventory service, as {@link #upstream()} */
        @TimeLimiter(name = "inventory")
        @CircuitBreaker(name = "inventory")
        @Retry(name = "inventory")
        public CompletableFuture<String> inventory() {
            return work("inventory");
        }

        /** @return the answer of the pricing service, as {@link #upstream()} */
        @TimeLimiter(name = "pricing")
        @CircuitBreaker(name = "pricing")
        @Retry(name = "pricing")
        public CompletableFuture<String> pricing() {
            return work("pricing");
        }

        private CompletableFuture<String> work(String service) {
            return CompletableFuture.supplyAsync(() -> client.get().uri("http://" + service + "/work").retrieve()
                    .body(String.class), calls);
        }

        @Override
        public void destroy() {
            calls.shutdownNow();
        }
    }

    /**
     * The load-balanced builder, as Spring Cloud's documentation for {@code RestClient} shows it, with
     * Spring Boot's settings (connect and read timeouts) applied.
     *
     * @param configurer Spring Boot's configurer
     * @return the builder Spring Cloud LoadBalancer instruments
     */
    @Bean
    @LoadBalanced
    RestClient.Builder loadBalancedRestClientBuilder(RestClientBuilderConfigurer configurer) {
        return configurer.configure(RestClient.builder());
    }

    /**
     * @param configurer Spring Boot's configurer
     * @return the plain client the health checks use
     */
    @Bean
    RestClient healthCheckRestClient(RestClientBuilderConfigurer configurer) {
        return configurer.configure(RestClient.builder()).build();
    }

    /**
     * @param registryUrl where the demo registry listens
     * @return the same registry the Meshless caller reads, with each instance's {@code zone} in its metadata
     */
    @Bean
    DiscoveryClient demoDiscoveryClient(@Value("${demo.registry-url}") String registryUrl) {
        return new HttpDiscoveryClient(registryUrl);
    }
}
