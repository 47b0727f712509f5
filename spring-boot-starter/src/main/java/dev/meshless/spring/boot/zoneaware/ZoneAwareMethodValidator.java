package dev.meshless.spring.boot.zoneaware;

import dev.meshless.spring.boot.ZoneAware;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Checks every bean's {@link ZoneAware} methods when the bean is created, so that a missing service
 * name or an unsupported return type ({@code Flux}) stops startup naming the method, rather than
 * failing the first call. Thread-safe.
 */
public class ZoneAwareMethodValidator implements BeanPostProcessor {

    private final Set<Class<?>> checked = ConcurrentHashMap.newKeySet();

    /** Created by the auto-configuration. */
    public ZoneAwareMethodValidator() {
    }

    /**
     * @throws InvalidMeshlessConfigurationException naming the method and the attribute that cannot work
     */
    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
        if (!AnnotationUtils.isCandidateClass(type, ZoneAware.class) || !checked.add(type)) {
            return bean;
        }
        try {
            MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<ZoneAware>) m ->
                    AnnotatedElementUtils.findMergedAnnotation(m, ZoneAware.class))
                    .keySet().forEach((Method m) -> ZoneAwareMethod.resolve(m));
        } catch (InvalidMeshlessConfigurationException e) {
            checked.remove(type);
            throw e;
        }
        return bean;
    }
}
