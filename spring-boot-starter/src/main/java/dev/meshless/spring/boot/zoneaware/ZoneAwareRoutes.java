package dev.meshless.spring.boot.zoneaware;

import dev.meshless.spring.boot.ZoneAware;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.spring.boot.http.HttpRoute;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.service.invoker.HttpRequestValues;

/**
 * Puts an {@link HttpRoute} on every request of a group's proxies: the service, the policy and the
 * idempotence of the interface's {@code @ZoneAware}, overridden by the method's own. Every route is
 * worked out, and checked, when the group is configured; afterwards it is read-only and thread-safe.
 */
final class ZoneAwareRoutes implements HttpRequestValues.Processor {

    private final Map<Method, HttpRoute> routes = new HashMap<>();

    /**
     * @param service the service every interface of the group calls
     * @param types the group's interfaces; those without {@code @ZoneAware} get the service's own
     *     policy
     * @throws InvalidMeshlessConfigurationException naming a method whose {@code @ZoneAware} names
     *     another service
     */
    ZoneAwareRoutes(String service, Collection<Class<?>> types) {
        for (Class<?> type : types) {
            ZoneAware own = AnnotatedElementUtils.findMergedAnnotation(type, ZoneAware.class);
            HttpRoute route = own == null ? HttpRoute.to(service) : new HttpRoute(service, own.policy(), own.idempotent());
            for (Method method : type.getMethods()) {
                routes.putIfAbsent(method, routeOf(type, method, route));
            }
        }
    }

    @Override
    public void process(Method method, MethodParameter[] parameters, Object[] arguments,
                        HttpRequestValues.Builder request) {
        HttpRoute route = routes.get(method);
        if (route != null) {
            request.addAttribute(HttpRoute.ATTRIBUTE, route);
        }
    }

    /**
     * @param method a method of a group's interface
     * @return the route of its requests, or {@code null} for a method of no interface of the group
     */
    HttpRoute route(Method method) {
        return routes.get(method);
    }

    private static HttpRoute routeOf(Class<?> type, Method method, HttpRoute route) {
        ZoneAware own = AnnotatedElementUtils.findMergedAnnotation(method, ZoneAware.class);
        if (own == null) {
            return route;
        }
        if (!own.service().isBlank() && !own.service().equals(route.service())) {
            throw new InvalidMeshlessConfigurationException(
                    "@ZoneAware(service) on " + ZoneAwareMethod.describe(method), own.service(),
                    "must be empty or '" + route.service() + "' like the interface " + type.getSimpleName()
                            + ": a client calls one service");
        }
        HttpRoute r = route.withIdempotent(own.idempotent());
        return own.policy().isBlank() ? r : r.withPolicy(own.policy());
    }
}
