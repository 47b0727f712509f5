package dev.meshless.spring.boot.zoneaware;

import dev.meshless.spring.boot.MeshlessRuntimeHints;
import dev.meshless.spring.boot.ZoneAware;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

/**
 * What a native image needs for {@code @ZoneAware}: the aspect's advice methods, which Spring AOP
 * invokes by reflection (when AspectJ is present); the annotation, which Spring synthesises as a JDK proxy (it has
 * {@code @AliasFor} attributes); and the binding of {@code meshless.zone-aware.*}, which the
 * unknown-key check also binds by class name. The interfaces' proxies are Spring's HTTP service
 * proxies, whose hints Spring's own AOT processors write. Listed in
 * {@code META-INF/spring/aot.factories}.
 */
public class ZoneAwareRuntimeHints implements RuntimeHintsRegistrar {

    private static final String ASPECTJ = "org.aspectj.lang.ProceedingJoinPoint";
    private static final String ASPECT = "dev.meshless.spring.boot.zoneaware.ZoneAwareAspect";

    /** Created by Spring's AOT processing. */
    public ZoneAwareRuntimeHints() {
    }

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        if (ClassUtils.isPresent(ASPECTJ, classLoader)) {
            hints.reflection().registerType(TypeReference.of(ASPECT), MemberCategory.INVOKE_PUBLIC_METHODS);
        }
        hints.reflection().registerType(ZoneAware.class, MemberCategory.INVOKE_PUBLIC_METHODS);
        hints.proxies().registerJdkProxy(ZoneAware.class);
        MeshlessRuntimeHints.registerBinding(hints, classLoader, ZoneAwareProperties.class);
    }
}
