package dev.meshless.spring.boot.zoneaware;

import dev.meshless.spring.boot.ZoneAware;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.spring.boot.http.ClientBalancers;
import dev.meshless.spring.boot.http.HttpRoute;
import dev.meshless.spring.boot.http.MeshlessClientHttpRequestInterceptor;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringValueResolver;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.invoker.HttpExchangeAdapter;
import org.springframework.web.service.invoker.HttpRequestValues;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * Makes the clients of {@link ZoneAware} HTTP service interfaces: an {@link HttpServiceProxyFactory}
 * proxy over a {@code RestClient} (or, when a method returns {@code Mono} or {@code Flux}, a
 * {@code WebClient}) whose base URL is {@code http://<service>} and which carries the Meshless
 * interceptor (or filter). The client starts from a clone of the application's builder bean when
 * there is exactly one, so that Spring Boot's message converters, codecs and customizers apply;
 * Spring Cloud LoadBalancer's interceptor or filter, which a {@code @LoadBalanced} builder carries,
 * is left out, since Meshless balances these requests itself. Every request carries an
 * {@link HttpRoute} with the interface's service and policy and the method's idempotence.
 *
 * <p>Applications may use it for interfaces the starter does not register. Thread-safe.
 */
public class ZoneAwareClientFactory {

    private static final String PUBLISHER = "org.reactivestreams.Publisher";
    private static final String WEBFLUX = "org.springframework.web.reactive.function.client.WebClient";

    private final MeshlessClientHttpRequestInterceptor interceptor;
    private final ObjectProvider<RestClient.Builder> restClientBuilders;
    private final ObjectProvider<? extends ReactiveZoneAwareClients> webClientSupport;
    private final StringValueResolver placeholders;

    /**
     * @param interceptor the interceptor added to every blocking client
     * @param restClientBuilders the application's {@code RestClient.Builder}, if any
     * @param webClientSupport makes reactive clients; {@code null} or empty without WebFlux
     * @param placeholders resolves {@code ${...}} in {@code @HttpExchange} URLs, or {@code null}
     */
    public ZoneAwareClientFactory(MeshlessClientHttpRequestInterceptor interceptor,
                                  ObjectProvider<RestClient.Builder> restClientBuilders,
                                  ObjectProvider<? extends ReactiveZoneAwareClients> webClientSupport,
                                  StringValueResolver placeholders) {
        this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
        this.restClientBuilders = restClientBuilders;
        this.webClientSupport = webClientSupport;
        this.placeholders = placeholders;
    }

    /**
     * @param type a {@link ZoneAware} HTTP service interface
     * @param <T> its type
     * @return its client
     * @throws InvalidMeshlessConfigurationException naming the interface when it cannot work
     */
    public <T> T create(Class<T> type) {
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
        if (Arrays.stream(type.getMethods()).noneMatch(ZoneAwareClientFactory::isExchange)) {
            throw new InvalidMeshlessConfigurationException("@ZoneAware" + where, type.getName(),
                    "must be an HTTP service interface: an interface with @HttpExchange (@GetExchange,"
                            + " @PostExchange ...) methods");
        }
        HttpRoute route = new HttpRoute(service, zoneAware.policy(), zoneAware.idempotent());
        HttpExchangeAdapter adapter = isReactive(type) ? reactive(type).adapter(service) : blocking(service);
        HttpServiceProxyFactory.Builder factory = HttpServiceProxyFactory.builderFor(adapter)
                .httpRequestValuesProcessor(new RouteProcessor(type, route));
        if (placeholders != null) {
            factory.embeddedValueResolver(placeholders);
        }
        return factory.build().createClient(type);
    }

    private static boolean isHostName(String service) {
        try {
            return service.equals(URI.create("http://" + service).getHost());
        } catch (IllegalArgumentException notAUri) {
            return false;
        }
    }

    private HttpExchangeAdapter blocking(String service) {
        RestClient.Builder builder = restClientBuilders == null ? null : restClientBuilders.getIfUnique();
        builder = builder == null ? RestClient.builder() : builder.clone();
        builder.baseUrl("http://" + service).requestInterceptors(all -> ClientBalancers.takeOver(all, interceptor));
        return RestClientAdapter.create(builder.build());
    }

    private ReactiveZoneAwareClients reactive(Class<?> type) {
        ReactiveZoneAwareClients reactive = webClientSupport == null ? null : webClientSupport.getIfAvailable();
        if (reactive == null) {
            throw new InvalidMeshlessConfigurationException("@ZoneAware on " + type.getName(), type.getName(),
                    "returns Mono or Flux, which needs spring-webflux for a WebClient client"
                            + (ClassUtils.isPresent(WEBFLUX, type.getClassLoader()) ? "" : " (not on the class path)"));
        }
        return reactive;
    }

    private static boolean isExchange(Method method) {
        return MergedAnnotations.from(method, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                .isPresent(HttpExchange.class);
    }

    private static boolean isReactive(Class<?> type) {
        if (!ClassUtils.isPresent(PUBLISHER, type.getClassLoader())) {
            return false;
        }
        Class<?> publisher = ClassUtils.resolveClassName(PUBLISHER, type.getClassLoader());
        return Arrays.stream(type.getMethods()).filter(ZoneAwareClientFactory::isExchange)
                .anyMatch(m -> publisher.isAssignableFrom(m.getReturnType()));
    }

    /**
     * Puts the {@link HttpRoute} on every request: the interface's, with the idempotence of the
     * method's own {@code @ZoneAware} when it has one.
     */
    static final class RouteProcessor implements HttpRequestValues.Processor {
        private final Class<?> type;
        private final HttpRoute route;
        private final Map<Method, HttpRoute> routes = new ConcurrentHashMap<>();

        RouteProcessor(Class<?> type, HttpRoute route) {
            this.type = type;
            this.route = route;
            for (Method method : type.getMethods()) {
                routes.put(method, routeOf(method)); // checks every method at startup
            }
        }

        @Override
        public void process(Method method, org.springframework.core.MethodParameter[] parameters, Object[] arguments,
                            HttpRequestValues.Builder request) {
            HttpRoute r = routes.get(method);
            request.addAttribute(HttpRoute.ATTRIBUTE, r != null ? r : routes.computeIfAbsent(method, this::routeOf));
        }

        private HttpRoute routeOf(Method method) {
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
}
