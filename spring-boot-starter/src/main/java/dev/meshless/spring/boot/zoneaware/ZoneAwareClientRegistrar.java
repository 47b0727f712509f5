package dev.meshless.spring.boot.zoneaware;

import dev.meshless.spring.boot.ZoneAware;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Registers a bean for every {@link ZoneAware} interface in the application's auto-configuration
 * packages, in the packages of {@link EnableZoneAwareClients} and among its {@code clients}, unless
 * the interface already has a bean. Each bean is made by {@link ZoneAwareClientFactory} when first
 * needed (at startup for singletons), so that mistakes in an interface stop startup naming it.
 * Runs once, on the thread refreshing the context.
 */
final class ZoneAwareClientRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware,
        ResourceLoaderAware {

    private static final Logger log = LoggerFactory.getLogger(ZoneAwareClientRegistrar.class);

    private Environment environment;
    private ResourceLoader resourceLoader;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setResourceLoader(ResourceLoader resourceLoader) {
        this.resourceLoader = resourceLoader;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        if (!(registry instanceof ConfigurableListableBeanFactory beanFactory)) {
            return;
        }
        Set<String> packages = new LinkedHashSet<>();
        if (AutoConfigurationPackages.has(beanFactory)) {
            packages.addAll(AutoConfigurationPackages.get(beanFactory));
        }
        packages.addAll(ZoneAwareClientPackages.packages(registry));
        Set<String> interfaces = new LinkedHashSet<>(ZoneAwareClientPackages.clients(registry));
        ClassPathScanningCandidateComponentProvider scanner = scanner();
        for (String base : packages) {
            for (BeanDefinition candidate : scanner.findCandidateComponents(base)) {
                interfaces.add(candidate.getBeanClassName());
            }
        }
        ClassLoader loader = beanFactory.getBeanClassLoader();
        for (String name : interfaces) {
            register(registry, beanFactory, ClassUtils.resolveClassName(name, loader));
        }
    }

    private <T> void register(BeanDefinitionRegistry registry, ConfigurableListableBeanFactory beanFactory,
                              Class<T> type) {
        String name = type.getName();
        if (registry.containsBeanDefinition(name)
                || ((ListableBeanFactory) beanFactory).getBeanNamesForType(type, true, false).length > 0) {
            log.debug("Meshless: {} already has a bean; not registering a @ZoneAware client", name);
            return;
        }
        RootBeanDefinition definition = new RootBeanDefinition(type, () -> factory(beanFactory).create(type));
        definition.setTargetType(type);
        registry.registerBeanDefinition(name, definition);
        log.debug("Meshless: registered a @ZoneAware client for {}", name);
    }

    private static ZoneAwareClientFactory factory(BeanFactory beanFactory) {
        return beanFactory.getBean(ZoneAwareClientFactory.class);
    }

    private ClassPathScanningCandidateComponentProvider scanner() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false,
                environment) {
            @Override
            protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
                return definition.getMetadata().isInterface() && definition.getMetadata().isIndependent();
            }
        };
        if (resourceLoader != null) {
            scanner.setResourceLoader(resourceLoader);
        }
        scanner.addIncludeFilter(new AnnotationTypeFilter(ZoneAware.class));
        return scanner;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        // everything happens when definitions are registered
    }
}
