package dev.meshless.spring.boot.zoneaware;

import dev.meshless.spring.boot.ZoneAware;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.Arrays;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.util.ClassUtils;
import org.springframework.web.service.annotation.HttpExchange;

/**
 * What a {@link ZoneAware} HTTP service interface declares: its service, checked once when it is
 * registered or when its group is configured, so that a mistake stops startup naming the interface.
 * Stateless.
 */
final class ZoneAwareInterfaces {

    private static final String PUBLISHER = "org.reactivestreams.Publisher";
    private static final String WEBFLUX = "org.springframework.web.reactive.function.client.WebClient";

    private ZoneAwareInterfaces() {
    }

    /**
     * @param type an interface
     * @return whether it carries {@code @ZoneAware} (directly or as a meta-annotation)
     */
    static boolean isZoneAware(Class<?> type) {
        return AnnotatedElementUtils.hasAnnotation(type, ZoneAware.class);
    }

    /**
     * @param type a {@link ZoneAware} interface
     * @return the service it calls
     * @throws InvalidMeshlessConfigurationException naming the interface when it names no usable
     *     service or has no HTTP exchange method
     */
    static String service(Class<?> type) {
        ZoneAware zoneAware = AnnotatedElementUtils.findMergedAnnotation(type, ZoneAware.class);
        String where = " on " + type.getName();
        if (zoneAware == null || zoneAware.service().isBlank()) {
            throw new InvalidMeshlessConfigurationException("@ZoneAware(service)" + where,
                    zoneAware == null ? null : zoneAware.service(), "must name the service to call");
        }
        String service = zoneAware.service();
        if (!isHostName(service)) {
            throw new InvalidMeshlessConfigurationException("@ZoneAware(service)" + where, service,
                    "must be usable as a URL host name (letters, digits, '-' and '.')");
        }
        if (Arrays.stream(type.getMethods()).noneMatch(ZoneAwareInterfaces::isExchange)) {
            throw new InvalidMeshlessConfigurationException("@ZoneAware" + where, type.getName(),
                    "must be an HTTP service interface: an interface with @HttpExchange (@GetExchange,"
                            + " @PostExchange ...) methods");
        }
        return service;
    }

    /**
     * @param type a {@link ZoneAware} HTTP service interface
     * @param loader the application's class loader, which decides whether WebFlux is present
     * @return whether one of its exchanges returns a reactive type ({@code Mono}, {@code Flux}), which
     *     needs a {@code WebClient}
     * @throws InvalidMeshlessConfigurationException naming the interface when it does and WebFlux is
     *     not on the class path
     */
    static boolean isReactive(Class<?> type, ClassLoader loader) {
        if (!ClassUtils.isPresent(PUBLISHER, loader)) {
            return false;
        }
        Class<?> publisher = ClassUtils.resolveClassName(PUBLISHER, loader);
        boolean reactive = Arrays.stream(type.getMethods()).filter(ZoneAwareInterfaces::isExchange)
                .anyMatch(m -> publisher.isAssignableFrom(m.getReturnType()));
        if (reactive && !ClassUtils.isPresent(WEBFLUX, loader)) {
            throw new InvalidMeshlessConfigurationException("@ZoneAware on " + type.getName(), type.getName(),
                    "returns Mono or Flux, which needs spring-webflux for a WebClient client (not on the class path)");
        }
        return reactive;
    }

    /**
     * @param service a service name
     * @return whether it can be the host of {@code http://<service>}
     */
    static boolean isHostName(String service) {
        try {
            return service.equals(URI.create("http://" + service).getHost());
        } catch (IllegalArgumentException notAUri) {
            return false;
        }
    }

    private static boolean isExchange(Method method) {
        return MergedAnnotations.from(method, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                .isPresent(HttpExchange.class);
    }
}
