package dev.meshless.spring.boot.ratelimit.aspect;

import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.spring.boot.ratelimit.RateLimited;
import dev.meshless.spring.boot.ratelimit.RateLimiters;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Checks every bean's {@link RateLimited} methods when the bean is created, so that an unknown
 * limit name, a missing or superfluous key, or a key expression that does not parse stops startup
 * (for singletons) naming the method, rather than failing the first call. Thread-safe.
 */
public class RateLimitedMethodValidator implements BeanPostProcessor {

    private final ObjectProvider<RateLimiters> limiters;
    private final Set<Class<?>> checked = ConcurrentHashMap.newKeySet();

    /** @param limiters the application's limits, looked up when the first annotated bean appears */
    public RateLimitedMethodValidator(ObjectProvider<RateLimiters> limiters) {
        this.limiters = limiters;
    }

    /**
     * @throws InvalidMeshlessConfigurationException naming the method and the attribute that cannot work
     */
    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
        if (!AnnotationUtils.isCandidateClass(type, RateLimited.class) || !checked.add(type)) {
            return bean;
        }
        Map<Method, RateLimited> annotated = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<RateLimited>) m ->
                        AnnotatedElementUtils.findMergedAnnotation(m, RateLimited.class));
        if (annotated.isEmpty()) {
            return bean;
        }
        RateLimiters all = limiters.getIfUnique();
        if (all != null) {
            try {
                annotated.forEach((method, annotation) -> RateLimitedMethod.resolve(method, annotation, all));
            } catch (InvalidMeshlessConfigurationException e) {
                checked.remove(type);
                throw e;
            }
        }
        return bean;
    }
}
