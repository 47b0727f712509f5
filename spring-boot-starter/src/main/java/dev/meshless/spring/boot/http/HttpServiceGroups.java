package dev.meshless.spring.boot.http;

import dev.meshless.spring.boot.MeshlessClients;
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
 * customizers), and when spring-cloud-loadbalancer is present Spring Cloud's group configurer adds
 * its own to the groups without a {@code base-url}. Run after both, this keeps one balancer per
 * group:
 * <ul>
 *   <li>a group whose {@code spring.http.serviceclient.<group>.base-url} has Spring Cloud's scheme
 *       {@code lb://} asked for Spring Cloud LoadBalancer: where Spring Cloud's interceptor or
 *       filter is on it, Meshless's leaves, and Meshless acts through the LoadBalancer bridge;
 *       without spring-cloud-loadbalancer, Meshless balances it, calling {@code http://} the same
 *       service;</li>
 *   <li>any other group keeps Meshless's, last, and loses Spring Cloud's. A group without a
 *       {@code base-url} calls {@code http://<group>}: Spring Cloud's convention, also without it
 *       when the group's name is a service Meshless routes.</li>
 * </ul>
 * A service a group calls this way is routed by Meshless from start-up, as Spring Cloud would
 * have balanced it even when only a discovery client knows it.
 * A group without Meshless's interceptor or filter
 * ({@code meshless.zone-aware.http-clients.enabled=false}) is left as it is. Runs once, while the
 * HTTP service registry is created.
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
     * @param <B> the builder type
     * @param <T> the element type of its chain
     */
    <B, T> void configure(HttpServiceGroup group, B builder, BiConsumer<B, Consumer<List<T>>> chain,
                          BiConsumer<B, String> baseUrl, Class<?> meshless) {
        String[] url = new String[1];
        chain.accept(builder, elements -> url[0] = settle(group, elements, meshless));
        if (url[0] != null) {
            baseUrl.accept(builder, url[0]);
        }
    }

    /**
     * @param group the group
     * @param chain its client's interceptors or filters, changed in place
     * @param meshless the type of Meshless's interceptor or filter
     * @param <T> the element type
     * @return the base URL the group's client must get, or {@code null} to keep the one it has
     */
    <T> String settle(HttpServiceGroup group, List<T> chain, Class<?> meshless) {
        T ours = chain.stream().filter(meshless::isInstance).findFirst().orElse(null);
        if (ours == null) {
            return null;
        }
        String configured = baseUrl(group.name());
        boolean springCloudScheme = configured != null && configured.regionMatches(true, 0, "lb://", 0, 5);
        if (springCloudScheme && chain.stream().anyMatch(ClientBalancers::isSpringCloud)) {
            chain.remove(ours);
            return null;
        }
        boolean tookOver = ClientBalancers.takeOver(chain, ours);
        String url = springCloudScheme ? "http" + configured.substring(2) : null;
        if (url == null && configured == null && (tookOver || clients.routes(group.name()))) {
            url = "http://" + group.name();
        }
        String host = url == null ? null : hostOf(url);
        if (host != null) {
            clients.client(host); // routed by Meshless from now on
        }
        return url;
    }

    private static String hostOf(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException notAUrl) {
            return null; // the client's builder will say so
        }
    }

    private String baseUrl(String group) {
        HttpClientProperties settings = properties == null ? null : properties.get(group);
        return settings == null ? null : settings.getBaseUrl();
    }
}
