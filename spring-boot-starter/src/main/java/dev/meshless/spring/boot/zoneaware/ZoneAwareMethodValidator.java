package dev.meshless.spring.boot.zoneaware;

import dev.meshless.spring.boot.ZoneAware;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationAttributes;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Checks every bean's {@link ZoneAware} methods when the bean is created, so that a missing service
 * name or an unsupported return type ({@code Flux}) stops startup naming the method, rather than
 * failing the first call. Warns once per method that also carries a retry annotation (Spring
 * Framework's {@code @Retryable}, Resilience4j's {@code @Retry}): each of its retries repeats a whole
 * Meshless call, which already retries across endpoints, zones and regions. Warns too when
 * Resilience4j's {@code @CircuitBreaker} on such a method names one of Meshless's own breakers for
 * its service ({@code <service>}, {@code <service>-zone-...}): in a registry shared with
 * Resilience4j's Spring Boot module it would be that breaker, and record every call twice.
 * Thread-safe.
 */
public class ZoneAwareMethodValidator implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(ZoneAwareMethodValidator.class);

    /** Retry annotations that wrap a {@code @ZoneAware} method from outside, by name: each is optional. */
    private static final List<String> RETRY_ANNOTATIONS = List.of(
            "org.springframework.resilience.annotation.Retryable",
            "org.springframework.retry.annotation.Retryable",
            "io.github.resilience4j.retry.annotation.Retry");

    private static final String CIRCUIT_BREAKER = "io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker";

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
                    .keySet().forEach((Method m) -> {
                        ZoneAwareMethod method = ZoneAwareMethod.resolve(m);
                        warnAboutRetries(type, m, method.service());
                        warnAboutSharedBreaker(type, m, method.service());
                    });
        } catch (InvalidMeshlessConfigurationException e) {
            checked.remove(type);
            throw e;
        }
        return bean;
    }

    private static void warnAboutRetries(Class<?> type, Method m, String service) {
        for (String name : RETRY_ANNOTATIONS) {
            Class<? extends Annotation> retry = annotation(name, type.getClassLoader());
            if (retry != null && (AnnotatedElementUtils.hasAnnotation(m, retry)
                    || AnnotatedElementUtils.hasAnnotation(type, retry))) {
                log.warn("Meshless: {}.{} is @ZoneAware and @{}: each of those retries repeats a whole Meshless"
                        + " call, which already retries across endpoints, zones and regions (meshless.services.{}"
                        + ".retry), multiplying the attempts; keep one: remove @{}, or set"
                        + " meshless.services.{}.retry.max-attempts=1", type.getSimpleName(), m.getName(),
                        retry.getSimpleName(), service, retry.getSimpleName(), service);
            }
        }
    }

    private static void warnAboutSharedBreaker(Class<?> type, Method m, String service) {
        Class<? extends Annotation> breaker = annotation(CIRCUIT_BREAKER, type.getClassLoader());
        if (breaker == null) {
            return;
        }
        AnnotationAttributes attributes = AnnotatedElementUtils.findMergedAnnotationAttributes(m, breaker, false, false);
        if (attributes == null) {
            attributes = AnnotatedElementUtils.findMergedAnnotationAttributes(type, breaker, false, false);
        }
        String name = attributes == null ? null : attributes.getString("name");
        if (name != null && (name.equals(service) || name.startsWith(service + "-zone-"))) {
            log.warn("Meshless: {}.{} is @ZoneAware(\"{}\") and @CircuitBreaker(name = \"{}\"), the name of one of"
                    + " Meshless's own breakers for {}: where the two share Resilience4j's registry the annotation"
                    + " uses that breaker, which then records every call twice; give the annotation a name of its"
                    + " own", type.getSimpleName(), m.getName(), service, name, service);
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Annotation> annotation(String name, ClassLoader loader) {
        try {
            Class<?> c = ClassUtils.forName(name, loader);
            return c.isAnnotation() ? (Class<? extends Annotation>) c : null;
        } catch (ClassNotFoundException | LinkageError absent) {
            return null;
        }
    }
}
