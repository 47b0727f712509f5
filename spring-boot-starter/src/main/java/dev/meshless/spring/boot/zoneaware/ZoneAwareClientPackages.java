package dev.meshless.spring.boot.zoneaware;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.annotation.AnnotationAttributes;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * What every {@link EnableZoneAwareClients} asked for, gathered in one bean definition's attributes
 * so that {@link ZoneAwareHttpServiceRegistrar} reads it while bean definitions are registered; it
 * then removes the definition, which no bean needs afterwards (nor does Spring AOT's generated code).
 */
final class ZoneAwareClientPackages {

    /** The bean definition holding the packages and interfaces. */
    static final String BEAN = ZoneAwareClientPackages.class.getName();
    private static final String PACKAGES = "packages";
    private static final String CLIENTS = "clients";

    private ZoneAwareClientPackages() {
    }

    /**
     * @param registry the registry
     * @return the packages asked for, in order
     */
    static Set<String> packages(BeanDefinitionRegistry registry) {
        return get(registry, PACKAGES);
    }

    /**
     * @param registry the registry
     * @return the names of the interfaces asked for, in order
     */
    static Set<String> clients(BeanDefinitionRegistry registry) {
        return get(registry, CLIENTS);
    }

    /**
     * Forgets what was asked for, once it has been read.
     *
     * @param registry the registry
     */
    static void remove(BeanDefinitionRegistry registry) {
        if (registry.containsBeanDefinition(BEAN)) {
            registry.removeBeanDefinition(BEAN);
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> get(BeanDefinitionRegistry registry, String key) {
        if (!registry.containsBeanDefinition(BEAN)) {
            return Set.of();
        }
        Object value = registry.getBeanDefinition(BEAN).getAttribute(key);
        return value == null ? Set.of() : (Set<String>) value;
    }

    @SuppressWarnings("unchecked")
    private static void add(BeanDefinitionRegistry registry, Set<String> packages, Set<String> clients) {
        BeanDefinition definition;
        if (registry.containsBeanDefinition(BEAN)) {
            definition = registry.getBeanDefinition(BEAN);
        } else {
            RootBeanDefinition holder = new RootBeanDefinition(Marker.class);
            holder.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
            holder.setAttribute(PACKAGES, new LinkedHashSet<String>());
            holder.setAttribute(CLIENTS, new LinkedHashSet<String>());
            registry.registerBeanDefinition(BEAN, holder);
            definition = holder;
        }
        ((Set<String>) definition.getAttribute(PACKAGES)).addAll(packages);
        ((Set<String>) definition.getAttribute(CLIENTS)).addAll(clients);
    }

    /**
     * The holder bean itself carries nothing; its definition does. Created only when Meshless's
     * interface clients are off and nothing removed the definition.
     */
    static final class Marker {
        Marker() {
        }
    }

    /** Records one {@link EnableZoneAwareClients}. */
    static final class Registrar implements ImportBeanDefinitionRegistrar {
        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AnnotationAttributes attributes = AnnotationAttributes.fromMap(
                    metadata.getAnnotationAttributes(EnableZoneAwareClients.class.getName()));
            if (attributes == null) {
                return;
            }
            Set<String> packages = new LinkedHashSet<>(Arrays.asList(attributes.getStringArray("basePackages")));
            for (Class<?> type : attributes.getClassArray("basePackageClasses")) {
                packages.add(ClassUtils.getPackageName(type));
            }
            Set<String> clients = new LinkedHashSet<>();
            for (Class<?> type : attributes.getClassArray("clients")) {
                clients.add(type.getName());
            }
            if (packages.isEmpty() && clients.isEmpty()) {
                packages.add(ClassUtils.getPackageName(metadata.getClassName()));
            }
            add(registry, packages, clients);
        }
    }
}
