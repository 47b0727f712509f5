package dev.meshless.spring.boot.http;

import dev.meshless.call.AttemptFunction;
import dev.meshless.call.CallOptions;
import dev.meshless.call.ServiceCallException;
import dev.meshless.call.ServiceClient;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.topology.Endpoint;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * What the HTTP integrations share: which requests Meshless routes, with which client and options,
 * the URL of an attempt, and a blocking call whose failed answers are closed. Stateless.
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
     * Makes a blocking call through the target's call path. What the caller gets: the answer that
     * ended the call, also a failed one when retries are exhausted (a 503 not retried, or the last
     * allowed attempt), so that the client's own status handling applies; the earlier failed answers
     * are closed before each retry, freeing their connections.
     *
     * @param target the service's client and the request's options
     * @param answers the type of the client's answers
     * @param send sends the request to one attempt's endpoint
     * @param <R> the type of the client's answers
     * @return the answer
     * @throws ServiceCallException when no attempt produced an answer to return
     */
    static <R extends Closeable> R call(Target target, Class<R> answers, AttemptFunction<R> send) {
        Closeable[] previous = new Closeable[1];
        try {
            return target.client().call(attempt -> {
                closeQuietly(previous[0]); // a failed answer being retried: free its connection first
                previous[0] = null;
                R answer = send.apply(attempt);
                previous[0] = answer;
                return answer;
            }, target.options());
        } catch (ServiceCallException e) {
            if (answers.isInstance(e.lastResult())) {
                if (previous[0] != e.lastResult()) {
                    closeQuietly(previous[0]);
                }
                return answers.cast(e.lastResult()); // unclosed: the client's status handling reads it
            }
            closeQuietly(previous[0]);
            throw e;
        }
    }

    private static void closeQuietly(Closeable answer) {
        if (answer != null) {
            try {
                answer.close();
            } catch (IOException | RuntimeException ignored) {
                // closing a failed answer must not hide the call's outcome
            }
        }
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
