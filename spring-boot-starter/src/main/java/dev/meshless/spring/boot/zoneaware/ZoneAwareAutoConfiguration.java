package dev.meshless.spring.boot.zoneaware;

import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.http.MeshlessClientHttpRequestInterceptor;
import dev.meshless.spring.boot.http.MeshlessExchangeFilterFunction;
import dev.meshless.spring.boot.http.MeshlessHttpClientAutoConfiguration;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * {@code @ZoneAware}: the aspect for bean methods, when AspectJ is on the class path
 * ({@code spring-boot-starter-aspectj}; Spring Boot's AOP auto-configuration applies it), and the
 * clients of {@code @ZoneAware} HTTP service interfaces, when spring-web is. The aspect is turned
 * off with {@code meshless.zone-aware.aspect.enabled=false}, the registration of interfaces with
 * {@code meshless.zone-aware.interface-clients.enabled=false}. Every bean backs off for the
 * application's own.
 */
@AutoConfiguration(after = {MeshlessAutoConfiguration.class, MeshlessHttpClientAutoConfiguration.class},
        beforeName = {"org.springframework.boot.restclient.autoconfigure.service.HttpServiceClientAutoConfiguration",
            "org.springframework.boot.webclient.autoconfigure.service.ReactiveHttpServiceClientAutoConfiguration"})
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

    /**
     * {@code @ZoneAware} HTTP service interfaces, through Spring's HTTP service registry: the group
     * configurers that route every group holding one through Meshless, and the registration of the
     * interfaces that have no bean yet.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.web.service.registry.AbstractHttpServiceRegistrar")
    @ConditionalOnBean(MeshlessClientHttpRequestInterceptor.class)
    static class InterfaceClients {

        /**
         * Registers the {@code @ZoneAware} interfaces found in the application's packages; turned
         * off by {@code meshless.zone-aware.interface-clients.enabled=false}, which leaves the
         * groups the application declares itself routed by their {@code @ZoneAware}.
         */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnBooleanProperty(name = ZoneAwareProperties.PREFIX + ".interface-clients.enabled",
                matchIfMissing = true)
        @Import(ZoneAwareHttpServiceRegistrar.class)
        static class Registration {
        }

        /**
         * @param clients the application's Meshless clients
         * @param interceptor the Meshless interceptor
         * @param beanFactory where the groups' {@code spring.http.serviceclient} settings are
         * @return the configurer of RestClient groups
         */
        @Bean
        @ConditionalOnMissingBean
        ZoneAwareRestClientGroupConfigurer meshlessZoneAwareRestClientGroupConfigurer(
                MeshlessClients clients, MeshlessClientHttpRequestInterceptor interceptor,
                ListableBeanFactory beanFactory) {
            return new ZoneAwareRestClientGroupConfigurer(
                    new ZoneAwareGroups(clients, ServiceClientBaseUrls.of(beanFactory)), interceptor);
        }

        /** WebClient groups, when WebFlux is present. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = {"org.springframework.web.reactive.function.client.support"
                + ".WebClientHttpServiceGroupConfigurer", "reactor.core.publisher.Mono"})
        @ConditionalOnBean(MeshlessExchangeFilterFunction.class)
        static class Reactive {

            /**
             * @param clients the application's Meshless clients
             * @param filter the Meshless filter
             * @param beanFactory where the groups' {@code spring.http.serviceclient} settings are
             * @return the configurer of WebClient groups
             */
            @Bean
            @ConditionalOnMissingBean
            ZoneAwareWebClientGroupConfigurer meshlessZoneAwareWebClientGroupConfigurer(
                    MeshlessClients clients, MeshlessExchangeFilterFunction filter, ListableBeanFactory beanFactory) {
                return new ZoneAwareWebClientGroupConfigurer(
                        new ZoneAwareGroups(clients, ServiceClientBaseUrls.of(beanFactory)), filter);
            }
        }
    }
}
