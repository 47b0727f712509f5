package dev.meshless.demo.caller;

import dev.meshless.demo.HttpDiscoveryClient;
import dev.meshless.spring.boot.ZoneAware;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.web.service.annotation.GetExchange;

/**
 * The calling service, written as a Meshless user writes one: the starter on the class path, an
 * {@code @ZoneAware} HTTP interface for the service it calls, a discovery client for its registry,
 * and policies in properties (see {@code FailoverDemo#callerProperties}).
 */
@SpringBootApplication
public class CallerApplication {

    /** The upstream service, as an HTTP interface; Meshless routes, retries and fails it over. */
    @ZoneAware("upstream")
    public interface Upstream {
        /** @return {@code <instance> <zone> <region>} of the instance that answered */
        @GetExchange("/work")
        String work();
    }

    /**
     * @param registryUrl where the demo registry listens
     * @return the discovery client that feeds Meshless's registry
     */
    @Bean
    DiscoveryClient demoDiscoveryClient(@Value("${demo.registry-url}") String registryUrl) {
        return new HttpDiscoveryClient(registryUrl);
    }

    /** @return the meters the report reads Meshless's per-zone traffic from */
    @Bean
    MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }
}
