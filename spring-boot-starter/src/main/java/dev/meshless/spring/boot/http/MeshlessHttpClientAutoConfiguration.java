package dev.meshless.spring.boot.http;

import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

/**
 * Meshless in the application's HTTP clients: the {@link MeshlessClientHttpRequestInterceptor}
 * (RestClient, RestTemplate) when spring-web is present, the {@link MeshlessExchangeFilterFunction}
 * (WebClient) when WebFlux is, and — unless {@code meshless.zone-aware.http-clients.enabled=false}
 * — customizers that add them to every builder Spring Boot's {@code spring-boot-restclient} and
 * {@code spring-boot-webclient} modules provide. Each client gets exactly one balancer: where Spring
 * Cloud's {@code @LoadBalanced} is in play, {@link LoadBalancedClients} settles which; the clients of
 * HTTP service groups are Meshless's ({@link HttpServiceGroups}). Every bean backs off for the
 * application's own.
 */
@AutoConfiguration(after = MeshlessAutoConfiguration.class)
@ConditionalOnBean(MeshlessClients.class)
@ConditionalOnClass(name = "org.springframework.http.client.ClientHttpRequestInterceptor")
public class MeshlessHttpClientAutoConfiguration {

    /** The property that turns the customizers off (bound and documented by {@code ZoneAwareProperties}). */
    static final String CUSTOMIZE = "meshless.zone-aware.http-clients.enabled";

    private static final String SERVICE_CLIENT_PROPERTIES =
            "org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientProperties";
    private static final String HTTP_CLIENT_BUILDER = "org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder";
    private static final String SPRING_CLOUD_INTERCEPTOR =
            "org.springframework.cloud.client.loadbalancer.DeferringLoadBalancerInterceptor";
    private static final String SPRING_CLOUD_FILTER =
            "org.springframework.cloud.client.loadbalancer.reactive.DeferringLoadBalancerExchangeFilterFunction";

    /** Created by Spring. */
    public MeshlessHttpClientAutoConfiguration() {
    }

    /**
     * @param clients the application's Meshless clients
     * @param properties {@code meshless.*}, for {@code meshless.http.buffer-limit}
     * @return the interceptor for RestClient and RestTemplate
     */
    @Bean
    @ConditionalOnMissingBean
    public MeshlessClientHttpRequestInterceptor meshlessClientHttpRequestInterceptor(MeshlessClients clients,
                                                                                     MeshlessProperties properties) {
        DataSize limit = properties.getHttp().getBufferLimit();
        if (limit == null || limit.isNegative() || limit.toBytes() > Integer.MAX_VALUE - 8) {
            throw new InvalidMeshlessConfigurationException("meshless.http.buffer-limit", limit,
                    "must be between 0 (read no body ahead) and 2GB");
        }
        return new MeshlessClientHttpRequestInterceptor(clients, (int) limit.toBytes());
    }

    /**
     * @param requests the application's request factory, if there is exactly one: used when Spring
     *     Boot's {@code ClientHttpRequestFactoryBuilder} is not there
     * @param beans where Spring Boot's builder and {@code HttpClientSettings} are found
     * @return HTTP health-check probes built with Spring Boot's builder and settings, each bounded by
     *     its timeout, else over the application's request factory
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(MeshlessClients.HealthProbeFactory.class)
    SpringHealthProbes meshlessHealthProbes(ObjectProvider<ClientHttpRequestFactory> requests,
                                            ListableBeanFactory beans) {
        if (ClassUtils.isPresent(HTTP_CLIENT_BUILDER, getClass().getClassLoader())) {
            Function<Duration, ClientHttpRequestFactory> built = BootProbeFactories.of(beans);
            if (built != null) {
                return SpringHealthProbes.withTimeouts(built);
            }
        }
        return new SpringHealthProbes(requests.getIfUnique());
    }

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

    /**
     * Exactly one balancer on the clients Spring Cloud's {@code @LoadBalanced} marks, when
     * spring-cloud-commons is present.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.cloud.client.loadbalancer.LoadBalanced")
    static class LoadBalancedClientsConfiguration {

        /**
         * @param beanFactory where the beans' annotations and Meshless's interceptor and filter are found
         * @param environment whether the customizers are on
         * @return the post-processor that settles each client's balancer
         */
        @Bean
        static LoadBalancedClients meshlessLoadBalancedClients(ConfigurableListableBeanFactory beanFactory,
                                                               Environment environment) {
            return new LoadBalancedClients(beanFactory, environment.getProperty(CUSTOMIZE, Boolean.class, true));
        }
    }

    /** Meshless balances the clients of HTTP service groups ({@code @ImportHttpServices}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer",
        SERVICE_CLIENT_PROPERTIES})
    static class ServiceGroups {

        /**
         * @param clients the application's Meshless clients
         * @param properties the groups' settings
         * @return the configurer of RestClient groups
         */
        @Bean
        @ConditionalOnMissingBean
        MeshlessRestClientGroupConfigurer meshlessRestClientGroupConfigurer(
                MeshlessClients clients, ObjectProvider<HttpServiceClientProperties> properties,
                ListableBeanFactory beanFactory) {
            return new MeshlessRestClientGroupConfigurer(new HttpServiceGroups(clients, properties.getIfAvailable()),
                    springCloudBalancer(beanFactory, SPRING_CLOUD_INTERCEPTOR, ClientHttpRequestInterceptor.class));
        }

        /**
         * @param beanFactory where Spring Cloud's beans are
         * @param type the class of Spring Cloud LoadBalancer's interceptor or filter for groups
         * @param as its type here
         * @param <T> its type here
         * @return gives the bean, or {@code null} when Spring Cloud does not define it (no
         *     spring-cloud-loadbalancer)
         */
        static <T> Supplier<T> springCloudBalancer(ListableBeanFactory beanFactory, String type, Class<T> as) {
            ClassLoader loader = MeshlessHttpClientAutoConfiguration.class.getClassLoader();
            if (!ClassUtils.isPresent(type, loader)) {
                return () -> null;
            }
            ObjectProvider<?> bean = beanFactory.getBeanProvider(ClassUtils.resolveClassName(type, loader));
            return () -> as.cast(bean.getIfAvailable());
        }

        /** WebClient groups, when WebFlux is present. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "org.springframework.web.reactive.function.client.support"
                + ".WebClientHttpServiceGroupConfigurer")
        static class Reactive {

            /**
             * @param clients the application's Meshless clients
             * @param properties the groups' settings
             * @return the configurer of WebClient groups
             */
            @Bean
            @ConditionalOnMissingBean
            MeshlessWebClientGroupConfigurer meshlessWebClientGroupConfigurer(
                    MeshlessClients clients, ObjectProvider<HttpServiceClientProperties> properties,
                    ListableBeanFactory beanFactory) {
                return new MeshlessWebClientGroupConfigurer(
                        new HttpServiceGroups(clients, properties.getIfAvailable()),
                        springCloudBalancer(beanFactory, SPRING_CLOUD_FILTER, ExchangeFilterFunction.class));
            }
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
