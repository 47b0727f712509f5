package dev.meshless.spring.boot;

import dev.meshless.spring.boot.MeshlessProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Binds {@code meshless.*} from the environment into a private {@link MeshlessProperties}. The policies in force are resolved
 * from such a copy, never from the {@code @ConfigurationProperties} bean: Spring Cloud's refresh
 * rebinds that bean in place, including with values a reload then rejects.
 */
public final class MeshlessBinding {

    private MeshlessBinding() {
    }

    /** @return Spring Boot's conversions (core's value types bind through their {@code valueOf(String)}) */
    public static ApplicationConversionService conversionService() {
        return new ApplicationConversionService();
    }

    /**
     * @param environment the application's environment
     * @return {@code meshless.*} as it is now, bound into a new object
     */
    public static MeshlessProperties bind(ConfigurableEnvironment environment) {
        Binder binder = new Binder(ConfigurationPropertySources.get(environment),
                new PropertySourcesPlaceholdersResolver(environment), conversionService());
        return binder.bind(MeshlessProperties.PREFIX, Bindable.of(MeshlessProperties.class))
                .orElseGet(MeshlessProperties::new);
    }
}
