package dev.meshless.spring.boot.check;

import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Runs the {@link UnknownPropertiesCheck} before any other Meshless bean is built, so that a
 * misspelt {@code meshless.*} key is reported as such rather than as the default it left in place.
 * It knows every properties class of the starter, so it sits above all of them.
 */
@AutoConfiguration(before = MeshlessAutoConfiguration.class)
@ConditionalOnProperty(prefix = MeshlessProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(MeshlessProperties.class)
public class MeshlessPropertiesCheckAutoConfiguration {

    /** Created by Spring. */
    public MeshlessPropertiesCheckAutoConfiguration() {
    }

    /**
     * Stops start-up on a {@code meshless.*} key that no Meshless setting reads (see
     * {@code meshless.unknown-properties}).
     *
     * @param environment the application's environment
     * @param properties bound properties
     * @param context the application context, for its class loader
     * @return a marker bean: the check ran
     */
    @Bean
    UnknownPropertiesChecked meshlessUnknownPropertiesCheck(ConfigurableEnvironment environment,
                                                            MeshlessProperties properties, ApplicationContext context) {
        UnknownPropertiesCheck.check(environment, properties, context.getClassLoader());
        return new UnknownPropertiesChecked();
    }

    /** Marks that {@code meshless.*} keys were checked. */
    static final class UnknownPropertiesChecked {
    }
}
