package dev.meshless.spring.boot.zoneaware;

import dev.meshless.spring.boot.ZoneAware;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import org.springframework.web.service.registry.AbstractHttpServiceRegistrar;
import org.springframework.web.service.registry.HttpServiceGroup;

/**
 * Registers every {@link ZoneAware} HTTP service interface of the application's auto-configuration
 * packages, of the packages of {@link EnableZoneAwareClients} and among its {@code clients} with
 * Spring's HTTP service registry, as {@code @ImportHttpServices} would, unless the interface already
 * has a bean (declared by the application or by its own {@code @ImportHttpServices}). Each
 * interface joins the group named after its service, so that
 * {@code spring.http.serviceclient.<service>.*} configures its client; interfaces returning
 * {@code Mono} or {@code Flux} form a {@code WebClient} group, named {@code <service>-reactive} when
 * the service also has blocking interfaces. {@link ZoneAwareGroups} then routes the groups through
 * Meshless.
 *
 * <p>Like Spring's own registrar it looks at the class path while bean definitions are registered:
 * with Spring AOT that is at build time ({@code process-aot}), and the proxies' definitions are
 * generated code with no scan at run time (Spring's {@code HttpServiceProxyBeanRegistrationAotProcessor}
 * writes their instance suppliers). Runs once per import, on the thread refreshing the context.
 */
final class ZoneAwareHttpServiceRegistrar extends AbstractHttpServiceRegistrar
        implements EnvironmentAware, ResourceLoaderAware {

    /** The suffix of the group of a service's reactive interfaces when it also has blocking ones. */
    static final String REACTIVE_SUFFIX = "-reactive";

    private static final Logger log = LoggerFactory.getLogger(ZoneAwareHttpServiceRegistrar.class);

    private Environment environment;
    private ResourceLoader resourceLoader;
    private BeanFactory beanFactory;

    @Override
    public void setEnvironment(Environment environment) {
        super.setEnvironment(environment);
        this.environment = environment;
    }

    @Override
    public void setResourceLoader(ResourceLoader resourceLoader) {
        super.setResourceLoader(resourceLoader);
        this.resourceLoader = resourceLoader;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
        super.setBeanFactory(beanFactory);
        this.beanFactory = beanFactory;
    }

    @Override
    protected void registerHttpServices(GroupRegistry groups, AnnotationMetadata importingClassMetadata) {
        if (!(beanFactory instanceof BeanDefinitionRegistry registry)) {
            return;
        }
        Set<String> packages = new LinkedHashSet<>();
        if (AutoConfigurationPackages.has(beanFactory)) {
            packages.addAll(AutoConfigurationPackages.get(beanFactory));
        }
        packages.addAll(ZoneAwareClientPackages.packages(registry));
        Set<String> names = new LinkedHashSet<>(ZoneAwareClientPackages.clients(registry));
        ZoneAwareClientPackages.remove(registry); // read; no bean is needed at run time
        ClassPathScanningCandidateComponentProvider scanner = scanner();
        for (String base : packages) {
            for (BeanDefinition candidate : scanner.findCandidateComponents(base)) {
                names.add(candidate.getBeanClassName());
            }
        }
        Map<String, Set<Class<?>>> blocking = new LinkedHashMap<>();
        Map<String, Set<Class<?>>> reactive = new LinkedHashMap<>();
        ClassLoader loader = beanFactory instanceof ConfigurableBeanFactory configurable
                ? configurable.getBeanClassLoader() : ClassUtils.getDefaultClassLoader();
        for (String name : names) {
            Class<?> type = ClassUtils.resolveClassName(name, loader);
            if (hasBean(type)) {
                log.debug("Meshless: {} already has a bean; not registering a @ZoneAware client", name);
                continue;
            }
            String service = ZoneAwareInterfaces.service(type);
            (ZoneAwareInterfaces.isReactive(type, loader) ? reactive : blocking)
                    .computeIfAbsent(service, s -> new LinkedHashSet<>()).add(type);
        }
        blocking.forEach((service, types) -> groups.forGroup(service, HttpServiceGroup.ClientType.REST_CLIENT)
                .register(types.toArray(Class<?>[]::new)));
        reactive.forEach((service, types) -> groups.forGroup(blocking.containsKey(service)
                        ? service + REACTIVE_SUFFIX : service, HttpServiceGroup.ClientType.WEB_CLIENT)
                .register(types.toArray(Class<?>[]::new)));
    }

    private boolean hasBean(Class<?> type) {
        return beanFactory instanceof ListableBeanFactory listable
                && listable.getBeanNamesForType(type, true, false).length > 0;
    }

    private ClassPathScanningCandidateComponentProvider scanner() {
        ClassPathScanningCandidateComponentProvider scanner =
                new ClassPathScanningCandidateComponentProvider(false, environment) {
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
}
