package dev.meshless.spring.boot.http;

import dev.meshless.config.Values;
import dev.meshless.health.HealthCheckPolicy;
import dev.meshless.health.HealthProbe;
import dev.meshless.health.HealthProbes;
import dev.meshless.health.ProbeNotSentException;
import dev.meshless.health.ProbeResult;
import dev.meshless.health.ProbeType;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.topology.Endpoint;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * HTTP health-check probes over the application's HTTP client, so that probes reach endpoints the
 * way the application's calls do: with Spring Boot's {@code ClientHttpRequestFactoryBuilder} and
 * {@code HttpClientSettings} (those of {@code RestClient.Builder}: HTTP library, TLS bundle,
 * redirects) and the probe's timeout as connect and read timeout; without them, the application's
 * own {@link ClientHttpRequestFactory}, whose timeouts are its own.
 *
 * <p>The factories block, so probes run on at most {@value #THREADS} daemon threads and wait in no
 * queue: a probe started is sent at once, so its timeout measures the endpoint and not a queue. A
 * probe that finds every thread busy is not sent and completes with {@link ProbeNotSentException},
 * which the checker counts as nothing and tries again shortly: endpoints that swallow packets can
 * delay other probes, never fail them. Whatever the factory does, every probe's result is settled
 * at its timeout, and the thread running it is interrupted (which frees it with clients that wait
 * interruptibly; the others stop at their own timeouts, the probe's when built with Boot's builder).
 * TCP probes, and everything when there is no HTTP client, are core's.
 *
 * <p>Thread-safe.
 */
public final class SpringHealthProbes implements MeshlessClients.HealthProbeFactory, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SpringHealthProbes.class);

    /** Probe threads at most: enough for a few slow endpoints while the rest are probed. */
    static final int THREADS = 8;

    /** Request factories by probe timeout; {@code null} when there is no HTTP client. */
    private final Function<Duration, ClientHttpRequestFactory> factories;
    /** Factories this object built (one per distinct probe timeout), closed with it. */
    private final Map<Duration, ClientHttpRequestFactory> built = new ConcurrentHashMap<>();
    private final boolean owns;
    private final ThreadPoolExecutor executor;

    /**
     * Probes over one factory whose timeouts are its own; each probe is still settled at its timeout.
     *
     * @param requests the application's request factory, or {@code null} for core's probes
     */
    public SpringHealthProbes(ClientHttpRequestFactory requests) {
        this(requests == null ? null : timeout -> requests, false);
    }

    /**
     * Probes over factories built for each probe timeout, bounding connect and read by it (see
     * {@code MeshlessHttpClientAutoConfiguration}, which builds them with Spring Boot's builder).
     *
     * @param factories builds a request factory whose connect and read timeouts are the given one;
     *     called once per distinct timeout, the factories are closed with the probes
     * @return the probes
     */
    public static SpringHealthProbes withTimeouts(Function<Duration, ClientHttpRequestFactory> factories) {
        return new SpringHealthProbes(Objects.requireNonNull(factories, "factories"), true);
    }

    private SpringHealthProbes(Function<Duration, ClientHttpRequestFactory> factories, boolean owns) {
        this.factories = factories;
        this.owns = owns;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "meshless-health-probe-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    @Override
    public HealthProbe probe(String service, HealthCheckPolicy policy) {
        if (factories == null || policy.type() != ProbeType.HTTP) {
            return null;
        }
        HttpMethod method = HttpMethod.valueOf(policy.method());
        return (endpoint, timeout) -> {
            CompletableFuture<ProbeResult> result = new CompletableFuture<>();
            Future<?> task = start(() -> {
                try (ClientHttpResponse response = request(requests(timeout), endpoint, policy, method).execute()) {
                    result.complete(HealthProbes.result(response.getStatusCode().value()));
                } catch (Exception e) {
                    result.complete(ProbeResult.unhealthy(e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage())));
                }
            });
            if (task == null) {
                return CompletableFuture.failedFuture(new ProbeNotSentException("all " + THREADS
                        + " probe threads busy"));
            }
            // Settled at the timeout whoever else enforces it; the checker cancels on its own timeout.
            // Either way the thread stops waiting for the endpoint.
            CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
                if (result.complete(ProbeResult.unhealthy("timed out after " + Values.format(timeout)))) {
                    task.cancel(true);
                }
            });
            result.whenComplete((r, e) -> {
                if (result.isCancelled()) {
                    task.cancel(true);
                }
            });
            return result;
        };
    }

    /** Built on the probe thread: the caller is a timer that must not block. */
    private ClientHttpRequestFactory requests(Duration timeout) {
        return owns ? built.computeIfAbsent(timeout, factories) : factories.apply(timeout);
    }

    /** @return the running probe, or {@code null} when every thread is busy */
    private Future<?> start(Runnable probe) {
        try {
            return executor.submit(probe);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    private static ClientHttpRequest request(ClientHttpRequestFactory requests, Endpoint endpoint,
                                             HealthCheckPolicy policy, HttpMethod method) throws IOException {
        ClientHttpRequest request = requests.createRequest(HealthProbes.uri(endpoint, policy.path(), policy.port()),
                method);
        request.getHeaders().set(HealthProbes.PROBE_HEADER, "true");
        return request;
    }

    /** Stops the probe threads and closes the factories built for probes. */
    @Override
    public void close() {
        executor.shutdownNow();
        built.values().forEach(SpringHealthProbes::closeQuietly);
        built.clear();
    }

    private static void closeQuietly(ClientHttpRequestFactory factory) {
        try {
            if (factory instanceof org.springframework.beans.factory.DisposableBean disposable) {
                disposable.destroy();
            } else if (factory instanceof AutoCloseable closeable) {
                closeable.close();
            }
        } catch (Exception e) {
            log.debug("closing the health-check request factory {} failed", factory, e);
        }
    }
}
