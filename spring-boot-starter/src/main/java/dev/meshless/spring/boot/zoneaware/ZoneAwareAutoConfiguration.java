package dev.meshless.spring.boot.zoneaware;

import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.http.MeshlessClientHttpRequestInterceptor;
import dev.meshless.spring.boot.http.MeshlessExchangeFilterFunction;
import dev.meshless.spring.boot.http.MeshlessHttpClientAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * {@code @ZoneAware}: the aspect for bean methods, when AspectJ is on the class path
 * ({@code spring-boot-starter-aspectj}; Spring Boot's AOP auto-configuration applies it), and the
 * clients of {@code @ZoneAware} HTTP service interfaces, when spring-web is. Turned off with
 * {@code meshless.zone-aware.aspect.enabled=false} and
 * {@code meshless.zone-aware.interface-clients.enabled=false}. Every bean backs off for the
 * application's own.
 */
@AutoConfiguration(after = {MeshlessAutoConfiguration.class, MeshlessHttpClientAutoConfiguration.class})
@ConditionalOnBean(MeshlessClients.class)
@EnableConfigurationProperties(ZoneAwareProperties.class)
public class ZoneAwareAutoConfiguration {

    /** Created by Spring. */
    public ZoneAwareAutoConfiguration() {
    }

    /** {@code @ZoneAware} bean methods. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.aspectj.lang.annotation.Aspect")
    @ConditionalOnBooleanProperty(name = ZoneAwareProperties.PREFIX + ".aspect.enabled", matchIfMissing = true)
    static class Aspect {

        /**
         * @param clients the application's Meshless clients
         * @param properties the aspect's order
         * @return the aspect
         */
        @Bean
        @ConditionalOnMissingBean
        ZoneAwareAspect meshlessZoneAwareAspect(MeshlessClients clients, ZoneAwareProperties properties) {
            return new ZoneAwareAspect(clients, properties.getAspect().getOrder());
        }

        /** @return the startup check of annotated methods */
        @Bean
        @ConditionalOnMissingBean
        static ZoneAwareMethodValidator meshlessZoneAwareMethodValidator() {
            return new ZoneAwareMethodValidator();
        }
    }

    /** Beans for {@code @ZoneAware} HTTP service interfaces. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.web.service.invoker.HttpServiceProxyFactory")
    @ConditionalOnBooleanProperty(name = ZoneAwareProperties.PREFIX + ".interface-clients.enabled",
            matchIfMissing = true)
    @ConditionalOnBean(MeshlessClientHttpRequestInterceptor.class)
    static class InterfaceClients {

        /** @return the registrar of the interfaces' bean definitions */
        @Bean
        @ConditionalOnMissingBean
        static ZoneAwareClientRegistrar meshlessZoneAwareClientRegistrar() {
            return new ZoneAwareClientRegistrar();
        }

        /**
         * @param interceptor the Meshless interceptor
         * @param restClientBuilders the application's RestClient builder, if any
         * @param reactive reactive support, when WebFlux is present
         * @param beanFactory resolves placeholders in {@code @HttpExchange} URLs
         * @return the factory of the interfaces' clients
         */
        @Bean
        @ConditionalOnMissingBean
        ZoneAwareClientFactory meshlessZoneAwareClientFactory(MeshlessClientHttpRequestInterceptor interceptor,
                                                              ObjectProvider<RestClient.Builder> restClientBuilders,
                                                              ObjectProvider<ReactiveZoneAwareClients> reactive,
                                                              ConfigurableBeanFactory beanFactory) {
            return new ZoneAwareClientFactory(interceptor, restClientBuilders, reactive,
                    beanFactory::resolveEmbeddedValue);
        }

        /** Reactive interfaces, over WebClient. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = {"org.springframework.web.reactive.function.client.WebClient",
            "reactor.core.publisher.Mono"})
        @ConditionalOnBean(MeshlessExchangeFilterFunction.class)
        static class Reactive {

            /**
             * @param filter the Meshless filter
             * @param builders the application's WebClient builder, if any
             * @return reactive support for the factory
             */
            @Bean
            @ConditionalOnMissingBean
            ReactiveZoneAwareClients meshlessReactiveZoneAwareClients(MeshlessExchangeFilterFunction filter,
                                                                      ObjectProvider<WebClient.Builder> builders) {
                return new WebClientZoneAwareClients(filter, builders);
            }
        }
    }
}
