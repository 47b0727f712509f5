package dev.meshless.spring.boot.http;

import dev.meshless.health.HealthCheckPolicy;
import dev.meshless.health.HealthProbe;
import dev.meshless.health.HealthProbes;
import dev.meshless.health.ProbeResult;
import dev.meshless.health.ProbeType;
import dev.meshless.spring.boot.MeshlessClients;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * HTTP health-check probes over the application's own {@link ClientHttpRequestFactory} (Spring
 * Boot's, built from {@code spring.http.clients.*}: its TLS bundle, timeouts and HTTP library), so
 * that probes reach endpoints the way the application's calls do. The factory blocks, so probes run
 * on two daemon threads with a bounded queue; a probe that finds the queue full fails at once.
 * TCP probes, and everything when the application has no request factory, are core's.
 *
 * <p>Thread-safe.
 */
public final class SpringHealthProbes implements MeshlessClients.HealthProbeFactory, AutoCloseable {

    private static final int THREADS = 2;
    private static final int QUEUE = 256;

    private final ClientHttpRequestFactory requests;
    private final ThreadPoolExecutor executor;

    /** @param requests the application's request factory, or {@code null} for core's probes */
    public SpringHealthProbes(ClientHttpRequestFactory requests) {
        this.requests = requests;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "meshless-health-probe-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    @Override
    public HealthProbe probe(String service, HealthCheckPolicy policy) {
        if (requests == null || policy.type() != ProbeType.HTTP) {
            return null;
        }
        HttpMethod method = HttpMethod.valueOf(policy.method());
        return (endpoint, timeout) -> {
            CompletableFuture<ProbeResult> result = new CompletableFuture<>();
            try {
                executor.execute(() -> {
                    try (ClientHttpResponse response = request(endpoint, policy, method).execute()) {
                        result.complete(HealthProbes.result(response.getStatusCode().value()));
                    } catch (Exception e) {
                        result.complete(ProbeResult.unhealthy(e.getClass().getSimpleName()
                                + (e.getMessage() == null ? "" : ": " + e.getMessage())));
                    }
                });
            } catch (RejectedExecutionException e) {
                result.complete(ProbeResult.unhealthy("not sent: " + QUEUE + " probes already waiting"));
            }
            return result;
        };
    }

    private org.springframework.http.client.ClientHttpRequest request(dev.meshless.topology.Endpoint endpoint,
                                                                      HealthCheckPolicy policy, HttpMethod method)
            throws java.io.IOException {
        org.springframework.http.client.ClientHttpRequest request = requests.createRequest(
                HealthProbes.uri(endpoint, policy.path(), policy.port()), method);
        request.getHeaders().set(HealthProbes.PROBE_HEADER, "true");
        return request;
    }

    /** Stops the probe threads; probes waiting are dropped. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
