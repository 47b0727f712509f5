package dev.meshless.spring.boot;

import java.beans.PropertyDescriptor;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;
import org.springframework.core.ResolvableType;

/**
 * What a native image needs to bind {@code meshless.*}: {@link MeshlessProperties} and every
 * framework-neutral specification of core reachable from it (locality, registry endpoints, each
 * policy section). Spring Boot's own hints follow only nested classes and
 * {@code @NestedConfigurationProperty} fields, which core's specifications, free of Spring, cannot
 * carry; and the properties are bound by reflection again whenever the policies are reloaded
 * ({@link PolicyReloader}), not only as the {@code @ConfigurationProperties} bean. Listed in
 * {@code META-INF/spring/aot.factories}.
 */
public class MeshlessRuntimeHints implements RuntimeHintsRegistrar {

    private static final String MESHLESS = "dev.meshless.";

    /** Created by Spring's AOT processing. */
    public MeshlessRuntimeHints() {
    }

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        registerBinding(hints, classLoader, MeshlessProperties.class);
    }

    /**
     * Registers the binding hints of the given classes and of every Meshless class reachable from
     * them through properties, map values, collection elements and record components.
     *
     * @param hints where to register
     * @param classLoader the class loader
     * @param roots the classes Spring binds properties to
     */
    public static void registerBinding(RuntimeHints hints, ClassLoader classLoader, Class<?>... roots) {
        Set<Class<?>> types = new LinkedHashSet<>();
        for (Class<?> root : roots) {
            collect(ResolvableType.forClass(root), types);
        }
        BindableRuntimeHintsRegistrar.forTypes(types.toArray(Class<?>[]::new)).registerHints(hints, classLoader);
    }

    private static void collect(ResolvableType type, Set<Class<?>> types) {
        Class<?> c = type.resolve();
        if (c == null) {
            return;
        }
        if (Map.class.isAssignableFrom(c)) {
            collect(type.asMap().getGeneric(1), types);
        } else if (Collection.class.isAssignableFrom(c)) {
            collect(type.asCollection().getGeneric(0), types);
        } else if (c.isArray()) {
            collect(type.getComponentType(), types);
        } else if (c.getName().startsWith(MESHLESS) && !c.isEnum() && !c.isInterface() && types.add(c)) {
            for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(c)) {
                if (property.getReadMethod() != null) {
                    collect(ResolvableType.forMethodReturnType(property.getReadMethod()), types);
                }
            }
            if (c.isRecord()) {
                for (RecordComponent component : c.getRecordComponents()) {
                    collect(ResolvableType.forMethodReturnType(component.getAccessor()), types);
                }
            }
        }
    }
}
