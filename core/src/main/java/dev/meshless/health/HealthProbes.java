package dev.meshless.health;

import dev.meshless.topology.Endpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The built-in {@link HealthProbe}s, in plain Java: HTTP with {@code java.net.http} and TCP with a
 * non-blocking connect. Neither blocks the calling thread. (The Spring Boot starter builds its HTTP
 * probe over the HTTP client settings of the application, TLS included.)
 */
public final class HealthProbes {

    /**
     * The header every built-in HTTP probe sends (value {@code "true"}), so that servers and test
     * fleets can tell probes from calls (the starter's {@code ZoneFleet} does not count them as
     * requests).
     */
    public static final String PROBE_HEADER = "X-Meshless-Health-Check";

    /** Endpoint metadata that, when {@code "true"}, makes the HTTP probe use {@code https}. */
    public static final String SECURE = "secure";

    private HealthProbes() {
    }

    /**
     * The probe a policy describes, over a {@code java.net.http} client.
     *
     * @param policy type, path, port and method
     * @param client the HTTP client for HTTP probes (its SSL context is used for {@code https})
     * @return the probe
     */
    public static HealthProbe of(HealthCheckPolicy policy, HttpClient client) {
        return policy.type() == ProbeType.TCP ? tcp(policy.port())
                : http(client, policy.method(), policy.path(), policy.port());
    }

    /**
     * An HTTP probe: {@code method} of {@code path} on the endpoint ({@code https} when its
     * {@value #SECURE} metadata is {@code "true"}); an answer {@linkplain #result(int) below 500,
     * except 429,} passes. The body is discarded.
     *
     * @param client the client to send with
     * @param method the method, such as {@code GET}
     * @param path the path, starting with {@code /}
     * @param port the port to probe, or {@code null} for the endpoint's own
     * @return the probe
     */
    public static HealthProbe http(HttpClient client, String method, String path, Integer port) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        return (endpoint, timeout) -> {
            HttpRequest request = HttpRequest.newBuilder(uri(endpoint, path, port)).timeout(timeout)
                    .method(method, HttpRequest.BodyPublishers.noBody()).header(PROBE_HEADER, "true")
                    .build();
            return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .thenApply(r -> result(r.statusCode()));
        };
    }

    /**
     * What an HTTP probe's status says. Any answer below 500 passes except 429: the server is up and
     * handling requests, and the default path, the service's base path, answers 404 on most services;
     * 5xx (a readiness endpoint's 503 included) and 429 (overloaded: do not bring more load) fail.
     *
     * @param status the HTTP status
     * @return the probe's result
     */
    public static ProbeResult result(int status) {
        return status < 500 && status != 429 ? ProbeResult.healthy("HTTP " + status)
                : ProbeResult.unhealthy("HTTP " + status);
    }

    /**
     * The URI an HTTP probe requests.
     *
     * @param endpoint the endpoint
     * @param path the path
     * @param port the port, or {@code null} for the endpoint's
     * @return {@code http(s)://host:port/path}
     */
    public static URI uri(Endpoint endpoint, String path, Integer port) {
        String scheme = "true".equalsIgnoreCase(endpoint.metadata().get(SECURE)) ? "https" : "http";
        return URI.create(scheme + "://" + Endpoint.hostPort(endpoint.host(), port == null ? endpoint.port() : port)
                + path);
    }

    /**
     * A TCP probe: connecting passes; the connection is closed at once.
     *
     * @param port the port to probe, or {@code null} for the endpoint's own
     * @return the probe
     */
    public static HealthProbe tcp(Integer port) {
        return (endpoint, timeout) -> connect(new InetSocketAddress(endpoint.host(),
                port == null ? endpoint.port() : port));
    }

    private static CompletionStage<ProbeResult> connect(InetSocketAddress address) {
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open();
        } catch (IOException e) {
            result.completeExceptionally(e);
            return result;
        }
        // The checker may give up first (its timeout): close the channel then too.
        result.whenComplete((r, e) -> closeQuietly(channel));
        channel.connect(address, null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void v, Void attachment) {
                result.complete(ProbeResult.healthy("connected"));
            }

            @Override
            public void failed(Throwable e, Void attachment) {
                result.complete(ProbeResult.unhealthy(e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage())));
            }
        });
        return result;
    }

    private static void closeQuietly(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do: the probe's result is settled
        }
    }

    /**
     * @return the {@code java.net.http} client plain-Java probes share, made on first use: HTTP/1.1,
     *     no redirects followed, the JVM's default TLS
     */
    public static HttpClient sharedClient() {
        return SharedClient.CLIENT;
    }

    /** Holds the shared client, so that it is made only when an HTTP probe runs. */
    private static final class SharedClient {
        static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }
}
