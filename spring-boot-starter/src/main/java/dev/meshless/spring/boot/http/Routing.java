package dev.meshless.spring.boot.http;

import dev.meshless.call.CallOptions;
import dev.meshless.call.ServiceClient;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.topology.Endpoint;
import java.net.URI;
import java.util.Map;

/**
 * What the interceptor and the exchange filter share: which requests Meshless routes, with which
 * client and options, and the URL of an attempt. Stateless.
 */
final class Routing {

    private Routing() {
    }

    /**
     * A request Meshless routes.
     *
     * @param client the service's client
     * @param options the request's method and idempotence
     */
    record Target(ServiceClient client, CallOptions options) {
    }

    /**
     * @param clients the application's clients
     * @param uri the request's URL
     * @param attributes the request's attributes, possibly holding an {@link HttpRoute}
     * @param method the request's HTTP method
     * @return the target, or {@code null} when the host is not a service Meshless routes
     */
    static Target target(MeshlessClients clients, URI uri, Map<String, Object> attributes, String method) {
        String host = uri.getHost();
        if (host == null) {
            return null;
        }
        if (attributes != null && attributes.get(HttpRoute.ATTRIBUTE) instanceof HttpRoute route
                && route.service().equals(host)) {
            CallOptions options = CallOptions.method(method);
            return new Target(clients.client(host, route.policy()),
                    route.idempotent() ? options.withIdempotent(true) : options);
        }
        if (!clients.routes(host)) {
            return null;
        }
        return new Target(clients.client(host), CallOptions.method(method));
    }

    /**
     * @param uri a URL whose host is a service name
     * @param endpoint the endpoint picked for the attempt
     * @return the URL with the endpoint's host and port, the same scheme, user info, path, query
     *     and fragment (still encoded as they were)
     */
    static URI rewrite(URI uri, Endpoint endpoint) {
        StringBuilder url = new StringBuilder(96).append(uri.getScheme()).append("://");
        if (uri.getRawUserInfo() != null) {
            url.append(uri.getRawUserInfo()).append('@');
        }
        url.append(endpoint.address()); // an IPv6 host in brackets
        if (uri.getRawPath() != null) {
            url.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            url.append('?').append(uri.getRawQuery());
        }
        if (uri.getRawFragment() != null) {
            url.append('#').append(uri.getRawFragment());
        }
        return URI.create(url.toString());
    }
}
