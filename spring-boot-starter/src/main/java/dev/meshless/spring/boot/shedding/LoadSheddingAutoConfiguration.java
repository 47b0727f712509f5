package dev.meshless.spring.boot.shedding;

import dev.meshless.config.Check;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.config.PropertyNames;
import dev.meshless.time.TimeSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.context.WebApplicationContext;

/**
 * Inbound load shedding from {@code meshless.load-shedding}, in servlet and WebFlux applications: the
 * {@link LoadShedder}, the filter of the application's web stack, and Micrometer meters when the
 * application has a meter registry. Opt-in with {@code meshless.load-shedding.enabled=true}; off with
 * the rest of Meshless with {@code meshless.enabled=false}. Every bean backs off when the
 * application declares its own.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = MeshlessProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = LoadSheddingProperties.PREFIX + ".enabled")
@ConditionalOnWebApplication
@ConditionalOnClass(name = "org.springframework.web.util.pattern.PathPattern")
@EnableConfigurationProperties(LoadSheddingProperties.class)
public class LoadSheddingAutoConfiguration {

    /** Created by Spring. */
    public LoadSheddingAutoConfiguration() {
    }

    /**
     * @param properties the configuration
     * @param time a time source bean, if any (tests); else the system's
     * @param listeners told about shed requests (the meters), if any
     * @return the limit, checked
     * @throws dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException when a limit or
     *     the Retry-After cannot work
     */
    @Bean
    @ConditionalOnMissingBean
    public LoadShedder meshlessLoadShedder(LoadSheddingProperties properties, ObjectProvider<TimeSource> time,
                                           ObjectProvider<LoadShedder.ShedListener> listeners) {
        try {
            Check.positive("retryAfter", properties.getRetryAfter());
            return LoadShedder.builder().algorithm(properties.getAlgorithm())
                    .initialLimit(properties.getInitialLimit()).minLimit(properties.getMinLimit())
                    .maxLimit(properties.getMaxLimit()).shadow(properties.isShadow())
                    .time(time.getIfUnique(TimeSource::system))
                    .onShed(listeners.getIfUnique(() -> LoadShedder.ShedListener.NONE)).build();
        } catch (InvalidConfigurationException e) {
            throw PropertyNames.invalid(e, LoadSheddingProperties.PREFIX);
        }
    }

    /**
     * @param properties the configuration
     * @return what shed requests are answered
     */
    @Bean
    @ConditionalOnMissingBean
    public SheddingResponses meshlessSheddingResponses(LoadSheddingProperties properties) {
        return new SheddingResponses(properties.getProblemType(), properties.getRetryAfter());
    }

    /**
     * @param properties the configuration
     * @param environment gives Spring Boot's management properties
     * @param context the application context: a servlet one puts the actuator below the
     *     dispatcher servlet's path
     * @return the priority of each request, checked
     * @throws dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException when a route
     *     cannot work
     */
    @Bean
    @ConditionalOnMissingBean
    public SheddingRoutes meshlessSheddingRoutes(LoadSheddingProperties properties, Environment environment,
                                                 ApplicationContext context) {
        return SheddingRoutes.compile(properties, environment, context instanceof WebApplicationContext);
    }

    /** The servlet filter. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = {"jakarta.servlet.Filter", "org.springframework.web.filter.OncePerRequestFilter"})
    static class ServletConfiguration {

        @Bean
        @ConditionalOnMissingBean
        LoadSheddingServletFilter meshlessLoadSheddingFilter(LoadShedder shedder, SheddingRoutes routes,
                                                             SheddingResponses responses,
                                                             LoadSheddingProperties properties) {
            return new LoadSheddingServletFilter(shedder, routes, responses, properties.getFilterOrder());
        }
    }

    /** The WebFlux filter. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(name = {"org.springframework.web.server.WebFilter", "reactor.core.publisher.Mono"})
    static class ReactiveConfiguration {

        @Bean
        @ConditionalOnMissingBean
        LoadSheddingWebFilter meshlessLoadSheddingWebFilter(LoadShedder shedder, SheddingRoutes routes,
                                                            SheddingResponses responses,
                                                            LoadSheddingProperties properties) {
            return new LoadSheddingWebFilter(shedder, routes, responses, properties.getFilterOrder());
        }
    }

    /** Micrometer meters, when Micrometer is on the class path and the application has a registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class MicrometerConfiguration {

        /**
         * @param registries the application's meter registry, if it has one
         * @param properties the configuration (shadow mode)
         * @return the counters of shed requests; records nothing without a meter registry
         */
        @Bean
        @ConditionalOnMissingBean
        LoadShedder.ShedListener meshlessSheddingMeters(ObjectProvider<MeterRegistry> registries,
                                                        LoadSheddingProperties properties) {
            MeterRegistry registry = registries.getIfUnique();
            return registry == null ? LoadShedder.ShedListener.NONE : new SheddingMeters(registry, properties.isShadow());
        }

        /**
         * @param meters the meters in use
         * @param shedder the shedder
         * @return binds the gauges once every bean exists
         */
        @Bean
        @ConditionalOnMissingBean(name = "meshlessSheddingGauges")
        SmartInitializingSingleton meshlessSheddingGauges(ObjectProvider<LoadShedder.ShedListener> meters,
                                                          ObjectProvider<LoadShedder> shedder) {
            return () -> {
                if (meters.getIfUnique() instanceof SheddingMeters micrometer) {
                    shedder.ifUnique(micrometer::bind);
                }
            };
        }
    }
}
