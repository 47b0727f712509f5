package dev.meshless.spring.boot.zoneaware;

import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.spring.boot.http.ClientBalancers;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.core.Ordered;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;
import org.springframework.web.service.registry.HttpServiceGroup;

/**
 * {@code @ZoneAware} as a feature of an HTTP service group: a group holding {@code @ZoneAware}
 * interfaces (registered by the starter, or by the application's {@code @ImportHttpServices}) calls
 * their service through Meshless. Its client keeps everything the group's other configurers gave it
 * (Spring Boot's {@code spring.http.serviceclient.<group>.*} timeouts, default headers, SSL bundle,
 * API version; the application's customizers) and gets:
 * <ul>
 *   <li>the base URL {@code http://<service>}, or the group's {@code base-url} when its host is the
 *       service (a path is kept; {@code lb://} is read as {@code http://}, since Meshless balances
 *       the group);</li>
 *   <li>Meshless's interceptor or filter, last, and no Spring Cloud LoadBalancer's;</li>
 *   <li>an {@link dev.meshless.spring.boot.http.HttpRoute} on every request, from the interface's
 *       and the method's {@code @ZoneAware} (policy, idempotence).</li>
 * </ul>
 * Every {@code @ZoneAware} interface of a group must name the same service, since a group has one
 * client. Runs once per group, while the HTTP service registry is created.
 */
final class ZoneAwareGroups {

    /** After every other configurer (Spring Boot's, Spring Cloud's, the application's). */
    static final int ORDER = Ordered.LOWEST_PRECEDENCE;

    private static final String PROPERTIES = "spring.http.serviceclient.";

    private final MeshlessClients clients;
    private final Function<String, String> baseUrls;

    /**
     * @param clients the application's Meshless clients
     * @param baseUrls gives a group's {@code spring.http.serviceclient.<group>.base-url}, or
     *     {@code null} when it has none
     */
    ZoneAwareGroups(MeshlessClients clients, Function<String, String> baseUrls) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.baseUrls = Objects.requireNonNull(baseUrls, "baseUrls");
    }

    /**
     * Routes a group with {@code @ZoneAware} interfaces through Meshless; leaves others alone.
     *
     * @param group the group
     * @param builder its client's builder
     * @param factory its proxy factory's builder
     * @param chain gives a builder's interceptors or filters to a consumer that may change them
     * @param baseUrl sets a builder's base URL
     * @param meshless Meshless's interceptor or filter
     * @param <B> the builder type
     * @param <T> the element type of its chain
     * @throws InvalidMeshlessConfigurationException when the group's interfaces or its
     *     {@code base-url} disagree on the service
     */
    <B, T> void configure(HttpServiceGroup group, B builder, HttpServiceProxyFactory.Builder factory,
                          BiConsumer<B, Consumer<List<T>>> chain, BiConsumer<B, String> baseUrl, T meshless) {
        String service = service(group);
        if (service == null) {
            return;
        }
        baseUrl.accept(builder, baseUrl(group, service));
        chain.accept(builder, elements -> ClientBalancers.takeOver(elements, meshless));
        factory.httpRequestValuesProcessor(new ZoneAwareRoutes(service, group.httpServiceTypes()));
        clients.client(service); // routed, and watched in the registry, from start-up
    }

    /**
     * @param group a group
     * @return the service of its {@code @ZoneAware} interfaces, or {@code null} when it has none
     */
    static String service(HttpServiceGroup group) {
        String service = null;
        Class<?> first = null;
        for (Class<?> type : group.httpServiceTypes()) {
            if (!ZoneAwareInterfaces.isZoneAware(type)) {
                continue;
            }
            String own = ZoneAwareInterfaces.service(type);
            if (service == null) {
                service = own;
                first = type;
            } else if (!service.equals(own)) {
                throw new InvalidMeshlessConfigurationException("@ZoneAware(service) on " + type.getName(), own,
                        "must be '" + service + "' like " + first.getName() + ": both are in the HTTP service group '"
                                + group.name() + "', whose one client calls one service");
            }
        }
        return service;
    }

    private String baseUrl(HttpServiceGroup group, String service) {
        String configured = baseUrls.apply(group.name());
        if (configured == null || configured.isBlank()) {
            return "http://" + service;
        }
        String url = configured.regionMatches(true, 0, "lb://", 0, 5) ? "http" + configured.substring(2) : configured;
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException notAUrl) {
            host = null;
        }
        if (!service.equalsIgnoreCase(host)) {
            throw new InvalidMeshlessConfigurationException(PROPERTIES + group.name() + ".base-url", configured,
                    "must have the host '" + service + "', the service of the group's @ZoneAware interfaces"
                            + " (or be left out: the group then calls http://" + service + ")");
        }
        return url;
    }
}
