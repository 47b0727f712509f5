package dev.meshless.spring.boot.patterns.boot;

import dev.meshless.spring.boot.ZoneAware;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.ImportHttpServices;
import reactor.core.publisher.Mono;

/**
 * The clients an application writes with Spring Boot's own builders, as their documentation shows
 * them; Spring Boot's {@code RestClient.Builder} and {@code WebClient.Builder} beans stay (no bean of
 * those types here). Each client calls its own service, {@code http://<service>/<service>}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableFeignClients(clients = {BootClientsApplication.FeignInventory.class,
    BootClientsApplication.FeignWithUrl.class})
@ImportHttpServices(group = "stock", types = BootClientsApplication.StockGroup.class)
@ImportHttpServices(group = "group-no-base-url", types = BootClientsApplication.GroupWithoutBaseUrl.class)
@ImportHttpServices(group = "lb", types = BootClientsApplication.SpringCloudGroup.class)
@ImportHttpServices(group = "zone-aware-lb", types = BootClientsApplication.ZoneAwareSpringCloudGroup.class)
@ImportHttpServices(group = "web-group-no-base-url", types = BootClientsApplication.ReactiveGroup.class,
        clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
public class BootClientsApplication {

    /** The base URLs of the {@code stock} and {@code lb} groups, which name their services. */
    public static final String[] BASE_URLS = {"spring.http.serviceclient.stock.base-url=http://group-base-url",
        "spring.http.serviceclient.lb.base-url=lb://group-lb",
        "spring.http.serviceclient.zone-aware-lb.base-url=lb://zone-aware-lb"};

    /** The interface of a group with a base URL ({@link #BASE_URLS}). */
    public interface StockGroup {
        /** @return the zone that answered */
        @GetExchange("/group-base-url")
        String zone();
    }

    /** The interface of a group without a base URL: Spring Cloud's convention makes it {@code http://<group>}. */
    public interface GroupWithoutBaseUrl {
        /** @return the zone that answered */
        @GetExchange("/group-no-base-url")
        String zone();
    }

    /** The interface of a group whose base URL asks for Spring Cloud LoadBalancer ({@link #BASE_URLS}). */
    public interface SpringCloudGroup {
        /** @return the zone that answered */
        @GetExchange("/group-lb")
        String zone();
    }

    /** A WebClient group without a base URL. */
    public interface ReactiveGroup {
        /** @return the zone that answered */
        @GetExchange("/web-group-no-base-url")
        Mono<String> zone();
    }

    /** A {@code @ZoneAware} HTTP service interface. */
    @ZoneAware("zone-aware")
    public interface ZoneAwareClient {
        /** @return the zone that answered */
        @GetExchange("/zone-aware")
        String zone();
    }

    /**
     * The {@code @ZoneAware} interface of a group whose base URL has Spring Cloud's scheme
     * ({@link #BASE_URLS}): {@code @ZoneAware} makes it Meshless's all the same.
     */
    @ZoneAware("zone-aware-lb")
    public interface ZoneAwareSpringCloudGroup {
        /** @return the zone that answered */
        @GetExchange("/zone-aware-lb")
        String zone();
    }

    /** An OpenFeign client: its name is the service. */
    @FeignClient("feign")
    public interface FeignInventory {
        /** @return the zone that answered */
        @GetMapping("/feign")
        String zone();
    }

    /** An OpenFeign client with a URL, whose host is the service. */
    @FeignClient(name = "feign-url", url = "http://feign-url")
    public interface FeignWithUrl {
        /** @return the zone that answered */
        @GetMapping("/feign-url")
        String zone();
    }

    /** @return the Spring Cloud client most applications declare */
    @Bean
    @LoadBalanced
    RestTemplate loadBalancedRestTemplateFromBuilder(RestTemplateBuilder builder) {
        return builder.build();
    }

    /** @return a template from Spring Boot's builder */
    @Bean
    RestTemplate restTemplateFromBuilder(RestTemplateBuilder builder) {
        return builder.build();
    }

    /** @return a Spring Cloud template made without Spring Boot's builder */
    @Bean
    @LoadBalanced
    RestTemplate loadBalancedNewRestTemplate() {
        return new RestTemplate();
    }

    /** @return a template nobody configures */
    @Bean
    RestTemplate newRestTemplate() {
        return new RestTemplate();
    }

    /** @return a client from Spring's static builder, which nobody configures */
    @Bean
    RestClient staticBuilderRestClient() {
        return RestClient.builder().build();
    }
}
