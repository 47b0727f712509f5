package dev.meshless.demo.caller;

import dev.meshless.demo.HttpDiscoveryClient;
import dev.meshless.spring.boot.ZoneAware;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.web.service.annotation.GetExchange;

/**
 * The calling service, written as a Meshless user writes one: the starter on the class path, an
 * {@code @ZoneAware} HTTP interface for each service it calls, a discovery client for its registry,
 * and policies in properties (see {@code FailoverDemo#callerProperties}). A scenario picks which of
 * the services it calls ({@link #SERVICES}) exist, and how.
 */
@SpringBootApplication
public class CallerApplication {

    /** The services this caller has an HTTP interface for: the only ones a scenario may name. */
    public static final List<String> SERVICES = List.of("upstream", "inventory", "pricing");

    /** The upstream service, as an HTTP interface; Meshless routes, retries and fails it over. */
    @ZoneAware("upstream")
    public interface Upstream {
        /** @return {@code <instance> <zone> <region>} of the instance that answered */
        @GetExchange("/work")
        String work();
    }

    /** The inventory service of the crossed-failure drill. */
    @ZoneAware("inventory")
    public interface Inventory {
        /** @return {@code <instance> <zone> <region>} of the instance that answered */
        @GetExchange("/work")
        String work();
    }

    /** The pricing service of the crossed-failure drill. */
    @ZoneAware("pricing")
    public interface Pricing {
        /** @return {@code <instance> <zone> <region>} of the instance that answered */
        @GetExchange("/work")
        String work();
    }

    /**
     * One call to one of the services, by name.
     *
     * @param byName the service's {@code work} call, per name in {@link #SERVICES}
     */
    public record ServiceCalls(Map<String, Supplier<String>> byName) {

        /**
         * @param service one of {@link #SERVICES}
         * @return the service's answer
         */
        public String call(String service) {
            return byName.get(service).get();
        }
    }

    /**
     * @param upstream the upstream service
     * @param inventory the inventory service
     * @param pricing the pricing service
     * @return the calls the drill's requests make, by service name
     */
    @Bean
    ServiceCalls serviceCalls(Upstream upstream, Inventory inventory, Pricing pricing) {
        return new ServiceCalls(Map.of("upstream", upstream::work, "inventory", inventory::work,
                "pricing", pricing::work));
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
