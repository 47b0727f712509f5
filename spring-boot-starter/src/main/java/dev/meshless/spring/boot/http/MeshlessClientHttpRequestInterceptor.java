package dev.meshless.spring.boot.http;

import dev.meshless.call.ServiceCallException;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.topology.Endpoint;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.support.HttpRequestWrapper;

/**
 * Routes {@code RestClient} and {@code RestTemplate} requests whose URL host is a Meshless service
 * ({@code http://inventory/stock/42}) through the service's resilient call path: each attempt goes
 * to the endpoint the locality-aware balancer picked, with the same scheme, path, query, headers,
 * attributes and body; failures are retried on another endpoint or locality as the service's
 * policy and the request's method allow (see {@link dev.meshless.call.CallOptions}). Requests to
 * other hosts pass through untouched.
 *
 * <p>A routed host is a service named under {@code meshless.services}, in the static registry or in
 * {@code meshless.http.services}, one already called through Meshless, or the service of an
 * {@link HttpRoute} request attribute.
 *
 * <p>What the caller sees:
 * <ul>
 *   <li>a successful response, or an answer the classifier calls the caller's (a 404), as usual;</li>
 *   <li>when every attempt failed and the last one produced a response (a 503 not retried, or the
 *       last of the allowed attempts), that response, so that the client's status handling applies
 *       as without Meshless; the bodies of the earlier failed responses are closed before each
 *       retry;</li>
 *   <li>otherwise the {@link ServiceCallException} naming the service, the reason and every
 *       attempt (connection refused everywhere, circuit open, no endpoint).</li>
 * </ul>
 *
 * <p>Each attempt reads its response's body, up to {@code meshless.http.buffer-limit} (1 MiB by
 * default), before it counts: a body that breaks off fails that attempt, which is retried elsewhere
 * as the policy allows, instead of failing the caller after a "successful" attempt. Larger bodies and
 * streaming media types are handed over unread, as without Meshless.
 *
 * <p>Per-try timeout: a synchronous interceptor cannot bound one attempt on Spring's request
 * factories (none takes a timeout per request), so the request factory's read timeout
 * ({@code spring.http.clients.read-timeout}) bounds each attempt; set it to the service's per-try
 * timeout. The call's deadline still stops retries. {@code WebClient} enforces the per-try timeout.
 *
 * <p>Thread-safe; one instance serves every client.
 */
public final class MeshlessClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {

    /** The default of {@code meshless.http.buffer-limit}: bodies up to 1 MiB are read within their attempt. */
    public static final int DEFAULT_BUFFER_LIMIT = 1024 * 1024;

    private final MeshlessClients clients;
    private final int bufferLimit;

    /** @param clients the application's Meshless clients */
    public MeshlessClientHttpRequestInterceptor(MeshlessClients clients) {
        this(clients, DEFAULT_BUFFER_LIMIT);
    }

    /**
     * @param clients the application's Meshless clients
     * @param bufferLimit the most bytes of a response's body read within its attempt; 0 reads none
     */
    public MeshlessClientHttpRequestInterceptor(MeshlessClients clients, int bufferLimit) {
        this.clients = Objects.requireNonNull(clients, "clients");
        if (bufferLimit < 0) {
            throw new IllegalArgumentException("bufferLimit must be 0 or more, was " + bufferLimit);
        }
        this.bufferLimit = bufferLimit;
    }

    /**
     * @throws ServiceCallException when no attempt produced a response to return
     */
    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        Routing.Target target = Routing.target(clients, request.getURI(), request.getAttributes(),
                request.getMethod().name());
        if (target == null) {
            return execution.execute(request, body);
        }
        return Routing.call(target, ClientHttpResponse.class,
                attempt -> BufferedResponse.read(
                        execution.execute(new RoutedRequest(request, attempt.endpoint()), body), bufferLimit));
    }

    /** The request, sent to one endpoint. */
    static final class RoutedRequest extends HttpRequestWrapper {
        private final URI uri;

        RoutedRequest(HttpRequest request, Endpoint endpoint) {
            super(request);
            this.uri = Routing.rewrite(request.getURI(), endpoint);
        }

        @Override
        public URI getURI() {
            return uri;
        }
    }
}
