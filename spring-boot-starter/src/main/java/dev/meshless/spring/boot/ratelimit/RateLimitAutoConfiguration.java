package dev.meshless.spring.boot.ratelimit;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Specs;
import dev.meshless.micrometer.MicrometerRateLimitMetrics;
import dev.meshless.ratelimit.GlobalRateLimiter;
import dev.meshless.ratelimit.InboundRateLimits;
import dev.meshless.ratelimit.RateLimitInstanceSpec;
import dev.meshless.ratelimit.RateLimitMetrics;
import dev.meshless.ratelimit.SharedBuckets;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.spring.boot.MeshlessInstance;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.time.TimeSource;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Inbound rate limits from {@code meshless.rate-limit}: the {@link RateLimiters} bean (sharing the
 * application's Resilience4j {@link RateLimiterRegistry} and following its {@link EndpointRegistry}
 * for global limits), Micrometer meters when Micrometer is there, and the compiled
 * {@link RateLimitRoutes} the HTTP filters apply. Every bean backs off when the application
 * declares its own. Off with {@code meshless.rate-limit.enabled=false}, and with the rest of Meshless
 * with {@code meshless.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = MeshlessProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = RateLimitProperties.PREFIX + ".enabled", matchIfMissing = true)
@EnableConfigurationProperties(RateLimitProperties.class)
public class RateLimitAutoConfiguration {

    /** Created by Spring. */
    public RateLimitAutoConfiguration() {
    }

    /**
     * @param properties the configuration
     * @param environment gives {@code spring.application.name}
     * @param resilience4j the application's Resilience4j registry, if it has one
     * @param endpointRegistries the registry global limits follow, if any
     * @param time a time source bean, if any (tests); else the system's
     * @param metrics a metrics bean, if any; else nothing is recorded
     * @param instance Meshless's identity of this instance, if any
     * @param shared where global and per-key-global limits are counted exactly (Redis), if anywhere
     * @return every configured limit, checked
     * @throws InvalidMeshlessConfigurationException when a value cannot work
     */
    @Bean
    @ConditionalOnMissingBean
    public RateLimiters meshlessRateLimiters(RateLimitProperties properties, Environment environment,
                                             ObjectProvider<RateLimiterRegistry> resilience4j,
                                             ObjectProvider<EndpointRegistry> endpointRegistries,
                                             ObjectProvider<TimeSource> time,
                                             ObjectProvider<RateLimitMetrics> metrics,
                                             ObjectProvider<MeshlessInstance> instance,
                                             ObjectProvider<SharedBuckets> shared) {
        // This instance's identity: the limits' own settings, else Meshless's (meshless.service and
        // meshless.instance-id), else the application's name.
        // A blank value counts as not set, as an unset placeholder (${SERVICE:}) gives one.
        MeshlessInstance meshless = instance.getIfAvailable();
        RateLimitInstanceSpec identity = Specs.merge(properties.getInstance(), new RateLimitInstanceSpec());
        identity.setService(firstSet(identity.getService(), meshless == null ? null : meshless.service(),
                environment.getProperty("spring.application.name")));
        identity.setId(firstSet(identity.getId(), meshless == null ? null : meshless.instanceId()));
        properties.getLimits().forEach((name, own) -> {
            try {
                Specs.merge(own, properties.getDefaults()).checkKey(own);
            } catch (InvalidConfigurationException e) {
                throw RateLimitProperties.invalid(InboundRateLimits.locate(e, name, own, properties.getDefaults()));
            }
        });
        try {
            return RateLimiters.of(InboundRateLimits.builder().limits(properties.getLimits())
                    .defaults(properties.getDefaults()).instance(identity)
                    .shadow(properties.isShadow()).resilience4j(resilience4j.getIfUnique())
                    .endpointRegistry(() -> uniqueRegistry(endpointRegistries)).time(time.getIfUnique(TimeSource::system))
                    .metrics(metrics.getIfUnique(() -> RateLimitMetrics.NOOP))
                    .sharedBuckets(shared.getIfUnique()).build());
        } catch (InvalidConfigurationException e) {
            throw RateLimitProperties.invalid(e);
        }
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static EndpointRegistry uniqueRegistry(ObjectProvider<EndpointRegistry> registries) {
        EndpointRegistry unique = registries.getIfUnique();
        if (unique == null && registries.stream().findAny().isPresent()) {
            throw new InvalidMeshlessConfigurationException(RateLimitProperties.PREFIX + ".limits", "(global limits)",
                    "needs one EndpointRegistry bean for global limits, and the application has several;"
                            + " mark the one that lists this service's instances @Primary");
        }
        return unique;
    }

    /** Micrometer meters for the limits, when Micrometer is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class MicrometerConfiguration {

        /**
         * @param registries the application's meter registry, if it has one
         * @return counters {@code meshless.ratelimit.requests{limit,outcome}}; records nothing
         *     without a meter registry
         */
        @Bean
        @ConditionalOnMissingBean
        RateLimitMetrics meshlessRateLimitMetrics(ObjectProvider<MeterRegistry> registries) {
            MeterRegistry registry = registries.getIfUnique();
            return registry != null ? new MicrometerRateLimitMetrics(registry) : RateLimitMetrics.NOOP;
        }

        /**
         * @param limiters the limits
         * @param metrics the metrics in use
         * @return binds the gauges {@code meshless.ratelimit.keys} and {@code meshless.ratelimit.share}
         *     once every bean exists
         */
        @Bean
        @ConditionalOnMissingBean(name = "meshlessRateLimitGauges")
        SmartInitializingSingleton meshlessRateLimitGauges(ObjectProvider<RateLimiters> limiters,
                                                           ObjectProvider<RateLimitMetrics> metrics) {
            return () -> {
                if (!(metrics.getIfUnique() instanceof MicrometerRateLimitMetrics micrometer)) {
                    return;
                }
                limiters.ifUnique(all -> all.all().forEach(limit -> {
                    limit.keyedLimiter().ifPresent(micrometer::bindKeys);
                    limit.limiter().filter(GlobalRateLimiter.class::isInstance)
                            .ifPresent(l -> micrometer.bindShare((GlobalRateLimiter) l));
                }));
            };
        }
    }

    /** The routes the HTTP filters apply, when Spring Web is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.web.util.pattern.PathPattern")
    static class RoutesConfiguration {

        /**
         * @param properties the configuration
         * @param limiters the limits
         * @param beanFactory where key resolver beans are found
         * @return the compiled routes
         * @throws InvalidMeshlessConfigurationException when a route or key source cannot work
         */
        @Bean
        @ConditionalOnMissingBean
        RateLimitRoutes meshlessRateLimitRoutes(RateLimitProperties properties, RateLimiters limiters,
                                                ListableBeanFactory beanFactory) {
            return RateLimitRoutes.compile(properties, limiters, beanFactory);
        }
    }
}
