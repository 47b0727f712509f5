package dev.meshless.spring.boot.http;

import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Meshless in the application's HTTP clients: the {@link MeshlessClientHttpRequestInterceptor}
 * (RestClient, RestTemplate) when spring-web is present, the {@link MeshlessExchangeFilterFunction}
 * (WebClient) when WebFlux is, and — unless {@code meshless.zone-aware.http-clients.enabled=false}
 * — customizers that add them to every builder Spring Boot's {@code spring-boot-restclient} and
 * {@code spring-boot-webclient} modules provide. Every bean backs off for the application's own.
 */
@AutoConfiguration(after = MeshlessAutoConfiguration.class)
@ConditionalOnBean(MeshlessClients.class)
@ConditionalOnClass(name = "org.springframework.http.client.ClientHttpRequestInterceptor")
public class MeshlessHttpClientAutoConfiguration {

    /** The property that turns the customizers off (bound and documented by {@code ZoneAwareProperties}). */
    static final String CUSTOMIZE = "meshless.zone-aware.http-clients.enabled";

    /** Created by Spring. */
    public MeshlessHttpClientAutoConfiguration() {
    }

    /**
     * @param clients the application's Meshless clients
     * @return the interceptor for RestClient and RestTemplate
     */
    @Bean
    @ConditionalOnMissingBean
    public MeshlessClientHttpRequestInterceptor meshlessClientHttpRequestInterceptor(MeshlessClients clients) {
        return new MeshlessClientHttpRequestInterceptor(clients);
    }

    /** Adds the interceptor to Spring Boot's RestClient and RestTemplate builders. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.restclient.RestClientCustomizer")
    @ConditionalOnBooleanProperty(name = CUSTOMIZE, matchIfMissing = true)
    static class RestClients {

        /**
         * @param interceptor the interceptor
         * @return the customizer of RestClient builders and RestTemplates
         */
        @Bean
        @ConditionalOnMissingBean
        MeshlessRestClientsCustomizer meshlessRestClientsCustomizer(MeshlessClientHttpRequestInterceptor interceptor) {
            return new MeshlessRestClientsCustomizer(interceptor);
        }
    }

    /** The WebClient filter, when WebFlux is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.web.reactive.function.client.ExchangeFilterFunction",
        "reactor.core.publisher.Mono"})
    static class WebClients {

        /**
         * @param clients the application's Meshless clients
         * @return the filter for WebClient
         */
        @Bean
        @ConditionalOnMissingBean
        MeshlessExchangeFilterFunction meshlessExchangeFilterFunction(MeshlessClients clients) {
            return new MeshlessExchangeFilterFunction(clients);
        }

        /** Adds the filter to Spring Boot's WebClient builders. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "org.springframework.boot.webclient.WebClientCustomizer")
        @ConditionalOnBooleanProperty(name = CUSTOMIZE, matchIfMissing = true)
        static class Customizer {

            /**
             * @param filter the filter
             * @return the customizer of WebClient builders
             */
            @Bean
            @ConditionalOnMissingBean
            MeshlessWebClientCustomizer meshlessWebClientCustomizer(MeshlessExchangeFilterFunction filter) {
                return new MeshlessWebClientCustomizer(filter);
            }
        }
    }
}
