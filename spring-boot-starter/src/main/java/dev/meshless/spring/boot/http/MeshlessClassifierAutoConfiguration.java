package dev.meshless.spring.boot.http;

import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * How every client's attempts are classified: by HTTP status for Spring's clients (when Spring Web
 * or WebFlux is present) and the JDK's {@code HttpClient} (always), by exception otherwise. Not
 * conditional on Spring Web, so that an application calling through the JDK's client still gets its
 * 5xx retried, ejected and counted.
 */
@AutoConfiguration(after = MeshlessAutoConfiguration.class)
@ConditionalOnBean(MeshlessClients.class)
public class MeshlessClassifierAutoConfiguration {

    /** Created by Spring. */
    public MeshlessClassifierAutoConfiguration() {
    }

    /**
     * Each status outcome carries its status, and each service's {@code retry.retryable-statuses}
     * decides which are retried. Define a bean of this type to classify differently.
     *
     * @return the classifier factory the clients use
     */
    @Bean
    @ConditionalOnMissingBean
    public MeshlessClients.ClassifierFactory meshlessClassifierFactory() {
        SpringHttpOutcomeClassifier classifier = new SpringHttpOutcomeClassifier();
        return service -> classifier;
    }
}
