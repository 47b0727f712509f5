package dev.meshless.spring.boot.actuate;

import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.registry.RegistryContributor;
import dev.meshless.spring.boot.shedding.LoadShedder;
import dev.meshless.time.TimeSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code meshless} actuator endpoint and health indicator, when Spring Boot Actuator is present.
 */
@AutoConfiguration(after = MeshlessAutoConfiguration.class)
@ConditionalOnBean(MeshlessClients.class)
public class MeshlessActuatorAutoConfiguration {

    /** The endpoint. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    @ConditionalOnAvailableEndpoint(MeshlessEndpoint.class)
    static class EndpointConfiguration {

        /**
         * @param time time source
         * @return the journal of recent events per service, which the clients feed as one of
         *     their listeners
         */
        @Bean
        @ConditionalOnMissingBean
        EventJournal meshlessEventJournal(TimeSource time) {
            return new EventJournal(time);
        }

        /**
         * @param clients the application's clients
         * @param journal recent events
         * @param sources the registry's sources
         * @param shedder the inbound load shedder, when shedding is on
         * @return the endpoint
         */
        @Bean
        @ConditionalOnMissingBean
        MeshlessEndpoint meshlessEndpoint(MeshlessClients clients, EventJournal journal,
                                          ObjectProvider<RegistryContributor> sources,
                                          ObjectProvider<LoadShedder> shedder) {
            return new MeshlessEndpoint(clients, journal, sources.orderedStream().toList(), shedder::getIfUnique);
        }
    }

    /** The health indicator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("meshless")
    static class HealthConfiguration {

        /**
         * @param clients the application's clients
         * @param sources the registry's sources
         * @return the indicator
         */
        @Bean
        @ConditionalOnMissingBean(name = "meshlessHealthIndicator")
        MeshlessHealthIndicator meshlessHealthIndicator(MeshlessClients clients,
                                                        ObjectProvider<RegistryContributor> sources) {
            return new MeshlessHealthIndicator(clients, sources.orderedStream().toList());
        }
    }
}
