package dev.meshless.spring.boot.consul;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Specs;
import dev.meshless.consul.ConsulConfig;
import dev.meshless.consul.ConsulMetrics;
import dev.meshless.consul.ConsulRegistrationConfig;
import dev.meshless.consul.ConsulRegistrationSpec;
import dev.meshless.consul.ConsulRegistry;
import dev.meshless.consul.ConsulSpec;
import dev.meshless.consul.micrometer.MicrometerConsulMetrics;
import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.MeshlessInstance;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.config.PropertyNames;
import dev.meshless.time.TimeSource;
import dev.meshless.topology.Locality;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Consul in a Spring Boot application, when {@code meshless-discovery-consul} is on the class path:
 * the multi-datacenter {@link ConsulRegistry} as the registry source {@value ConsulContributor#NAME}
 * (configured under {@code meshless.consul}, bound to discovery-consul's {@link ConsulSpec}, which
 * checks every value; a bad one stops start-up naming the property, the value and the rule),
 * self-registration of this instance, its meters in
 * Micrometer when there is a {@code MeterRegistry}, and its views in the {@code meshless} actuator
 * endpoint and health indicator.
 *
 * <p>Active when Meshless is on and {@code meshless.consul.enabled} is not false. Registration backs
 * off when {@code meshless.consul.registration.enabled=false} or when Spring Cloud Consul's own
 * auto-registration is active (its {@code ConsulAutoServiceRegistration} bean exists), so that the
 * instance is never registered twice. Every bean backs off for the application's own.
 */
@AutoConfiguration(after = MeshlessAutoConfiguration.class, afterName =
        "org.springframework.cloud.consul.serviceregistry.ConsulAutoServiceRegistrationAutoConfiguration")
@ConditionalOnClass(ConsulRegistry.class)
@ConditionalOnBean(MeshlessClients.class)
@ConditionalOnProperty(prefix = MeshlessConsulAutoConfiguration.PREFIX, name = "enabled", matchIfMissing = true)
public class MeshlessConsulAutoConfiguration {

    /** Where Consul's settings are bound. */
    public static final String PREFIX = "meshless.consul";

    /** Spring Cloud Consul's auto-registration; when it is a bean, it registers this instance. */
    static final String SPRING_CLOUD_CONSUL_REGISTRATION =
            "org.springframework.cloud.consul.serviceregistry.ConsulAutoServiceRegistration";

    private static final Logger log = LoggerFactory.getLogger(MeshlessConsulAutoConfiguration.class);

    /** @return {@code meshless.consul.*}, as configured */
    @Bean
    @ConfigurationProperties(PREFIX)
    @ConditionalOnMissingBean
    ConsulSpec meshlessConsulSpec() {
        return new ConsulSpec();
    }

    /**
     * The registry is not a bean of its own: the merged registry is the application's only
     * {@code EndpointRegistry} bean. Reach it with {@code contributor.registry()}; replace this bean
     * (by its name) to build the registry differently.
     *
     * @param spec {@code meshless.consul.*}
     * @param environment where the {@code CONSUL_*} variables are looked up
     * @param time clock and timers of the watches
     * @param metrics where requests, failures and views are measured, if anywhere
     * @param sslBundles Spring Boot's SSL bundles, for agents whose {@code ssl-bundle} names one
     * @return Consul's contribution to the merged registry; closing it writes the snapshot
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(name = "meshlessConsulContributor")
    ConsulContributor meshlessConsulContributor(ConsulSpec spec, Environment environment, TimeSource time,
                                                ObjectProvider<ConsulMetrics> metrics,
                                                ObjectProvider<org.springframework.boot.ssl.SslBundles> sslBundles) {
        try {
            org.springframework.boot.ssl.SslBundles bundles = sslBundles.getIfAvailable();
            ConsulConfig config = spec.toConfig(environment::getProperty,
                    bundles == null ? null : SpringSslBundles.of(bundles));
            ConsulRegistry registry = ConsulRegistry.builder(config).timeSource(time)
                    .metrics(metrics.getIfAvailable(() -> ConsulMetrics.NONE)).build();
            log.info("Meshless: endpoints from Consul: {}", config);
            return new ConsulContributor(registry);
        } catch (InvalidConfigurationException e) {
            throw PropertyNames.invalid(e, PREFIX);
        }
    }

    /** Consul's meters, when Micrometer is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {

        /**
         * @param registry the application's meter registry, if any
         * @return the {@code meshless.consul.*} meters on it, or nothing measured without one
         */
        @Bean
        @ConditionalOnMissingBean
        ConsulMetrics meshlessConsulMetrics(ObjectProvider<MeterRegistry> registry) {
            MeterRegistry meters = registry.getIfAvailable();
            return meters == null ? ConsulMetrics.NONE : new MicrometerConsulMetrics(meters);
        }
    }

    /** Self-registration, unless turned off or done by Spring Cloud Consul. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = PREFIX + ".registration", name = "enabled", matchIfMissing = true)
    @ConditionalOnMissingBean(type = SPRING_CLOUD_CONSUL_REGISTRATION)
    static class RegistrationConfiguration {

        /**
         * @param contributor the Consul source, whose agent client registers
         * @param spec {@code meshless.consul.*}
         * @param meshless {@code meshless.*}, for where the service name came from
         * @param instance this instance's service and locality, the defaults of name, region and zone
         * @param environment for {@code spring.cloud.client.ip-address}
         * @param context the application context, for its web server's port
         * @param time timers of heartbeats and retries
         * @return the registration, checked now and started once the web server listens
         */
        @Bean
        @ConditionalOnMissingBean
        ConsulSelfRegistration meshlessConsulRegistration(ConsulContributor contributor, ConsulSpec spec,
                                                          MeshlessProperties meshless, MeshlessInstance instance,
                                                          Environment environment, ApplicationContext context,
                                                          TimeSource time) {
            ConsulRegistrationSpec r = spec.getRegistration();
            Locality locality = instance.locality();
            // What the application knows fills what registration.* leaves out.
            ConsulSpec known = new ConsulSpec();
            ConsulRegistrationSpec k = known.getRegistration();
            k.setServiceName(instance.service());
            k.setRegion(locality == null ? null : locality.region());
            k.setZone(locality == null ? null : locality.zone());
            k.setAddress(r.getAddress() != null ? null : Objects.requireNonNullElseGet(
                    environment.getProperty("spring.cloud.client.ip-address"), LocalAddress::find));
            ConsulRegistrationSpec effective = Specs.merge(spec, known).getRegistration();
            String off = null;
            if (effective.getServiceName() == null) {
                off = "its service name is unknown (set spring.application.name)";
            } else if (effective.getRegion() == null || effective.getZone() == null) {
                off = "its region and zone are unknown (set meshless.locality.region and meshless.locality.zone)";
            }
            if (off != null) {
                log.warn("Meshless: this instance is not registered with Consul: {}", off);
            }
            // A bad value the application gave is named by the property it came from.
            Map<String, String> filledIn = Map.of("registration.serviceName", meshless.getService() != null
                    ? MeshlessProperties.PREFIX + ".service" : "spring.application.name",
                    "registration.port", "server.port",
                    "registration.region", "meshless.locality.region",
                    "registration.zone", "meshless.locality.zone");
            IntFunction<ConsulRegistrationConfig> config = port -> {
                ConsulSpec withPort = Specs.merge(spec, known);
                withPort.getRegistration().setPort(port); // registration.port, else the web server's
                try {
                    return withPort.toRegistrationConfig();
                } catch (InvalidConfigurationException e) {
                    throw PropertyNames.invalid(e, PREFIX, spec, filledIn);
                }
            };
            if (off == null) {
                config.apply(r.getPort() != null ? r.getPort() : 1); // every value is checked at start-up
            }
            return new ConsulSelfRegistration(contributor, config, r.getPort(), WebServerPort::of, context, time,
                    off);
        }
    }

    /** Keeps Consul ACL tokens masked in {@code /actuator/env} and {@code /actuator/configprops}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SanitizingFunction.class)
    static class SanitizingConfiguration {

        /** @return a function that masks {@code meshless.consul.*.token} and {@code CONSUL_HTTP_TOKEN} */
        @Bean
        SanitizingFunction meshlessConsulTokenSanitizer() {
            return SanitizingConfiguration::sanitize;
        }

        private static SanitizableData sanitize(SanitizableData data) {
            String key = data.getLowerCaseKey();
            boolean consulToken = key.equals("consul_http_token")
                    || (key.startsWith(PREFIX + ".") && key.endsWith(".token"));
            return consulToken ? data.withSanitizedValue() : data;
        }
    }
}
