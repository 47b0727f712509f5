package dev.meshless.spring.boot.http;

import dev.meshless.call.ServiceCallException;
import dev.meshless.spring.boot.MeshlessClients;
import feign.Client;
import feign.Request;
import feign.Response;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;

/**
 * Routes OpenFeign requests whose URL host is a Meshless service ({@code @FeignClient("inventory")}
 * calls {@code http://inventory/...}) through the service's call path, as
 * {@link MeshlessClientHttpRequestInterceptor} does for RestClient: each attempt goes through the
 * delegate client to the endpoint the locality-aware balancer picked, failures are retried as the
 * service's policy and the method allow, and the caller gets the answer — a failed one when retries
 * are exhausted, so that Feign's {@code ErrorDecoder} applies — or the {@link ServiceCallException}.
 * Requests to other hosts go to the delegate untouched. Each attempt is bounded by the request's
 * {@code Options} (Feign's connect and read timeouts).
 *
 * <p>Thread-safe; one instance serves every Feign client.
 */
public final class MeshlessFeignClient implements Client {

    private final Client delegate;
    private final MeshlessClients clients;

    /**
     * @param delegate the client that sends each attempt, such as {@code new Client.Default(null, null)}
     * @param clients the application's Meshless clients
     */
    public MeshlessFeignClient(Client delegate, MeshlessClients clients) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    /**
     * @throws ServiceCallException when no attempt produced an answer to return
     */
    @Override
    public Response execute(Request request, Request.Options options) throws IOException {
        URI uri = URI.create(request.url());
        Routing.Target target = Routing.target(clients, uri, null, request.httpMethod().name());
        if (target == null) {
            return delegate.execute(request, options);
        }
        return Routing.call(target, Response.class, attempt -> delegate.execute(Request.create(request.httpMethod(),
                Routing.rewrite(uri, attempt.endpoint()).toString(), request.headers(), request.body(),
                request.charset(), request.requestTemplate()), options));
    }
}
