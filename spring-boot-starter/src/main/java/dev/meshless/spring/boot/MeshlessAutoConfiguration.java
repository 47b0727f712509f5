package dev.meshless.spring.boot;

import dev.meshless.call.CallListener;
import dev.meshless.call.CallMetrics;
import dev.meshless.call.CallObserver;
import dev.meshless.micrometer.observation.AttemptObservationConvention;
import dev.meshless.micrometer.observation.CallObservationConvention;
import dev.meshless.micrometer.observation.ObservationCallObserver;
import dev.meshless.outcome.OutcomeClassifier;
import dev.meshless.ratelimit.RateLimitMetrics;
import dev.meshless.ratelimit.SharedBuckets;
import dev.meshless.registry.CompositeRegistry;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.spring.boot.registry.RegistryContributor;
import dev.meshless.spring.boot.registry.StaticEndpoints;
import dev.meshless.time.TimeSource;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The heart of the starter: this instance's locality, the merged endpoint registry, the checked
 * policies and the {@link MeshlessClients}. Every bean backs off when the application defines its
 * own. Turned off with {@code meshless.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = MeshlessProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(MeshlessProperties.class)
public class MeshlessAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MeshlessAutoConfiguration.class);

    /** @return the system's time */
    @Bean
    @ConditionalOnMissingBean
    TimeSource meshlessTimeSource() {
        return TimeSource.system();
    }

    /**
     * @param properties bound properties
     * @param environment for {@code spring.application.name}
     * @return who and where this instance is
     */
    @Bean
    @ConditionalOnMissingBean
    MeshlessInstance meshlessInstance(MeshlessProperties properties, Environment environment) {
        return LocalityResolver.resolve(properties, environment.getProperty("spring.application.name"),
                System::getenv);
    }

    /**
     * @param environment the environment, bound again into a private copy ({@link MeshlessBinding}):
     *     a refresh rebinds the properties bean in place, even with values a reload rejects
     * @return the resolver of every service's policies, after checking the defaults and each
     *     configured service (a bad value stops start-up here)
     */
    @Bean
    @ConditionalOnMissingBean
    PolicyResolver meshlessPolicyResolver(org.springframework.core.env.ConfigurableEnvironment environment) {
        PolicyResolver resolver = new PolicyResolver(MeshlessBinding.bind(environment));
        resolver.checkAll();
        return resolver;
    }

    /**
     * @param properties bound properties
     * @return the embedded static registry, first of the merged registry's sources
     */
    @Bean
    RegistryContributor meshlessStaticRegistry(MeshlessProperties properties) {
        EndpointRegistry registry = StaticEndpoints.registry(properties.getRegistry().getEndpoints());
        return new RegistryContributor() {
            @Override
            public EndpointRegistry registry() {
                return registry;
            }

            @Override
            public String name() {
                return "static";
            }

            @Override
            public int getOrder() {
                return 0;
            }
        };
    }

    /**
     * @param contributors every source of endpoints, in order
     * @return the merged registry
     */
    @Bean
    @ConditionalOnMissingBean
    EndpointRegistry meshlessEndpointRegistry(ObjectProvider<RegistryContributor> contributors) {
        List<RegistryContributor> sources = contributors.orderedStream().toList();
        log.info("Meshless: endpoints from {}", sources.stream().map(RegistryContributor::name)
                .collect(Collectors.joining(", ")));
        return sources.size() == 1 ? sources.get(0).registry()
                : CompositeRegistry.of(sources.stream().map(RegistryContributor::registry).toList());
    }
    /**
     * @param registry merged registry
     * @param instance this instance
     * @param policies policy resolver
     * @param properties bound properties
     * @param time time source
     * @param breakers the application's Resilience4j circuit breaker registry, if any
     * @param limiters the application's Resilience4j rate limiter registry, if any
     * @param meters Meshless's meters, when Micrometer is present
     * @param observers follows calls and attempts: Micrometer observations when the application has
     *     an {@code ObservationRegistry}
     * @param listeners every listener bean: the application's own, the actuator's event journal
     * @param classifiers makes each client's classifier: by HTTP status when Spring Web is present
     *     ({@code MeshlessHttpClientAutoConfiguration}), else core's defaults
     * @param probes makes each client's health-check probe: over the application's HTTP client when
     *     Spring Web is present ({@code MeshlessHttpClientAutoConfiguration}), else core's probes
     * @param shared where global outbound limits are counted exactly (Redis), if anywhere
     * @return the clients, with one built now for every service named in configuration
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    MeshlessClients meshlessClients(EndpointRegistry registry, MeshlessInstance instance, PolicyResolver policies,
                                    MeshlessProperties properties, TimeSource time,
                                    ObjectProvider<CircuitBreakerRegistry> breakers,
                                    ObjectProvider<RateLimiterRegistry> limiters,
                                    ObjectProvider<MeshlessMeters> meters, ObjectProvider<CallObserver> observers,
                                    ObjectProvider<CallListener> listeners,
                                    ObjectProvider<MeshlessClients.ClassifierFactory> classifiers,
                                    ObjectProvider<MeshlessClients.HealthProbeFactory> probes,
                                    ObjectProvider<SharedBuckets> shared) {
        CircuitBreakerRegistry breakerRegistry = breakers.getIfAvailable(CircuitBreakerRegistry::ofDefaults);
        MeshlessMeters m = meters.getIfAvailable();
        List<CallListener> all = new ArrayList<>();
        if (m != null && m.listener() != null) {
            all.add(m.listener());
        }
        listeners.orderedStream().filter(l -> !all.contains(l)).forEach(all::add);
        Set<String> routed = new LinkedHashSet<>(properties.getServices().keySet());
        routed.addAll(properties.getRegistry().getEndpoints().keySet());
        routed.addAll(properties.getHttp().getServices());
        MeshlessClients clients = new MeshlessClients(registry, instance, policies,
                classifiers.getIfAvailable(() -> service -> OutcomeClassifier.defaults()),
                time, breakerRegistry, limiters.getIfAvailable(),
                m != null ? m.callMetrics() : CallMetrics.NOOP, observers.getIfAvailable(() -> CallObserver.NOOP),
                m != null ? m.rateLimitMetrics() : RateLimitMetrics.NOOP, all, routed, shared.getIfUnique());
        clients.healthProbes(probes.getIfAvailable());
        properties.getServices().keySet().forEach(clients::client);
        properties.getRegistry().getEndpoints().keySet().forEach(clients::client);
        return clients;
    }

    /** Policy reloads on Spring Cloud's refresh, only when Spring Cloud Context is on the class path. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnClass(
            name = "org.springframework.cloud.context.environment.EnvironmentChangeEvent")
    static class ReloadConfiguration {

        /**
         * @param environment the application's environment
         * @param clients the running clients
         * @return the reloader
         */
        @Bean
        @ConditionalOnMissingBean
        dev.meshless.spring.boot.PolicyReloader meshlessPolicyReloader(
                org.springframework.core.env.ConfigurableEnvironment environment, MeshlessClients clients) {
            return new dev.meshless.spring.boot.PolicyReloader(environment, clients);
        }

        /**
         * @param reloader the reloader
         * @return a listener passing Spring Cloud's changed keys to it
         */
        @Bean
        org.springframework.context.ApplicationListener<
                org.springframework.cloud.context.environment.EnvironmentChangeEvent> meshlessReloadListener(
                dev.meshless.spring.boot.PolicyReloader reloader) {
            return event -> reloader.reload(event.getKeys());
        }
    }

    /** Meshless's meters, only when Micrometer is on the class path. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnClass(MeterRegistry.class)
    static class MetersConfiguration {

        /**
         * @param registry the application's meter registry, if any
         * @return Meshless's meters
         */
        @Bean
        @ConditionalOnMissingBean
        MeshlessMeters meshlessMeters(ObjectProvider<MeterRegistry> registry) {
            return new MeshlessMeters(registry);
        }
    }

    /**
     * Calls and attempts as Micrometer observations, when Micrometer's Observation API is on the
     * class path: on the application's {@code ObservationRegistry} (Spring Boot makes one with the
     * actuator), with the application's conventions when it declares them as beans.
     */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnClass(ObservationRegistry.class)
    static class ObservationConfiguration {

        /**
         * @param registry the application's observation registry, if any
         * @param callConvention replaces the default names and keys of call observations, if declared
         * @param attemptConvention replaces the default names and keys of attempt observations, if declared
         * @return the observer of every client, or {@link CallObserver#NOOP} without a registry
         */
        @Bean
        @ConditionalOnMissingBean
        CallObserver meshlessCallObserver(ObjectProvider<ObservationRegistry> registry,
                                          ObjectProvider<CallObservationConvention> callConvention,
                                          ObjectProvider<AttemptObservationConvention> attemptConvention) {
            ObservationRegistry observations = registry.getIfAvailable();
            return observations == null || observations.isNoop() ? CallObserver.NOOP
                    : new ObservationCallObserver(observations, callConvention.getIfAvailable(),
                            attemptConvention.getIfAvailable());
        }
    }
}
