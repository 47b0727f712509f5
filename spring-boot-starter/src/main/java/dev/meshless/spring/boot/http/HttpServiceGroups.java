package dev.meshless.spring.boot.http;

import static org.springframework.core.annotation.AnnotatedElementUtils.hasAnnotation;

import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.ZoneAware;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.springframework.boot.http.client.autoconfigure.HttpClientProperties;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientProperties;
import org.springframework.core.Ordered;
import org.springframework.web.service.registry.HttpServiceGroup;

/**
 * The clients of HTTP service groups ({@code @ImportHttpServices}) are Meshless's: Spring Boot's
 * group configurers give each one Meshless's interceptor or filter (through the builder
 * customizers), and with spring-cloud-loadbalancer Spring Cloud's group configurer adds its own to
 * the groups without a {@code base-url} or with an {@code lb://} one. Run after both, this keeps one
 * balancer per group:
 * <ul>
 *   <li>a group whose {@code spring.http.serviceclient.<group>.base-url} has Spring Cloud's scheme
 *       {@code lb://} asked for Spring Cloud LoadBalancer: with spring-cloud-loadbalancer it keeps
 *       Spring Cloud's interceptor or filter only, and Meshless acts through the LoadBalancer bridge;
 *       without it, Meshless balances the group, calling {@code http://} the same service;</li>
 *   <li>any other group keeps Meshless's, last, and loses Spring Cloud's. A group without a
 *       {@code base-url} calls {@code http://<group>}: Spring Cloud LoadBalancer's convention, kept
 *       where it is present, and applied without it when the group's name is a service Meshless
 *       routes.</li>
 * </ul>
 * A service a group calls this way is routed by Meshless from start-up, as Spring Cloud would
 * balance it, even when only a discovery client knows it. A group without Meshless's interceptor
 * or filter ({@code meshless.zone-aware.http-clients.enabled=false}) is left as it is, and so is a
 * group holding {@code @ZoneAware} interfaces: the {@code zoneaware} package's configurer routes it.
 *
 * <p>Spring Cloud Commons 5.0 defines its group configurers only when Spring Boot's
 * {@code HttpServiceClientProperties} bean is defined before them, which the order of the
 * auto-configurations decides (with OpenFeign on the class path, its RestClient one is not): the
 * rules above are therefore applied from Spring Cloud's balancer bean, not from what its
 * configurer did. Runs once, while the HTTP service registry is created.
 */
final class HttpServiceGroups {

    /** After every other configurer, so that it sees the chains they built. */
    static final int ORDER = Ordered.LOWEST_PRECEDENCE;

    private final MeshlessClients clients;
    private final HttpServiceClientProperties properties;

    /**
     * @param clients the application's Meshless clients
     * @param properties the groups' {@code spring.http.serviceclient} settings, or {@code null}
     */
    HttpServiceGroups(MeshlessClients clients, HttpServiceClientProperties properties) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.properties = properties;
    }

    /**
     * Settles one group's client.
     *
     * @param group the group
     * @param builder its client's builder
     * @param chain gives a builder's interceptors or filters to a consumer that may change them
     * @param baseUrl sets a builder's base URL
     * @param meshless the type of Meshless's interceptor or filter
     * @param springCloud Spring Cloud LoadBalancer's interceptor or filter for groups, or {@code null}
     *     without spring-cloud-loadbalancer
     * @param <B> the builder type
     * @param <T> the element type of its chain
     */
    <B, T> void configure(HttpServiceGroup group, B builder, BiConsumer<B, Consumer<List<T>>> chain,
                          BiConsumer<B, String> baseUrl, Class<?> meshless, T springCloud) {
        String[] url = new String[1];
        chain.accept(builder, elements -> url[0] = settle(group, elements, meshless, springCloud));
        if (url[0] != null) {
            baseUrl.accept(builder, url[0]);
        }
    }

    /**
     * @param group the group
     * @param chain its client's interceptors or filters, changed in place
     * @param meshless the type of Meshless's interceptor or filter
     * @param springCloud Spring Cloud LoadBalancer's interceptor or filter, or {@code null}
     * @param <T> the element type
     * @return the base URL the group's client must get, or {@code null} to keep the one it has
     */
    <T> String settle(HttpServiceGroup group, List<T> chain, Class<?> meshless, T springCloud) {
        T ours = chain.stream().filter(meshless::isInstance).findFirst().orElse(null);
        if (ours == null || group.httpServiceTypes().stream().anyMatch(t -> hasAnnotation(t, ZoneAware.class))) {
            return null;
        }
        String configured = baseUrl(group.name());
        if (configured != null && configured.regionMatches(true, 0, "lb://", 0, 5)) {
            String url = "http" + configured.substring(2);
            if (springCloud == null) {
                ClientBalancers.takeOver(chain, ours);
                return routed(url);
            }
            chain.removeIf(e -> e == ours || ClientBalancers.isSpringCloud(e));
            chain.add(springCloud);
            return url;
        }
        boolean tookOver = ClientBalancers.takeOver(chain, ours);
        if (configured == null && (tookOver || springCloud != null || clients.routes(group.name()))) {
            return routed("http://" + group.name());
        }
        return null;
    }

    /** @return the URL, whose host Meshless routes from now on */
    private String routed(String url) {
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException notAUrl) {
            return url; // the client's builder will say so
        }
        if (host != null) {
            clients.client(host);
        }
        return url;
    }

    private String baseUrl(String group) {
        HttpClientProperties settings = properties == null ? null : properties.get(group);
        return settings == null ? null : settings.getBaseUrl();
    }
}
