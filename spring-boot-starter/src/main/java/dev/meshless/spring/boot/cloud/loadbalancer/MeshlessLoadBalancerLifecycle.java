package dev.meshless.spring.boot.cloud.loadbalancer;

import dev.meshless.balancer.Pick;
import dev.meshless.breaker.ZoneCircuitBreakers;
import dev.meshless.call.ServiceClient;
import dev.meshless.outcome.Outcome;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.time.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.ResponseData;
import org.springframework.cloud.client.loadbalancer.TimedRequestContext;
import org.springframework.http.ResponseEntity;

/**
 * Reports the outcome of every call that Spring Cloud LoadBalancer clients make to a Meshless
 * instance — its HTTP status or exception, and its duration — so that outlier detection, zone
 * circuit breakers and metrics learn from {@code @LoadBalanced} and OpenFeign traffic too.
 *
 * <ul>
 *   <li>An instance chosen by {@link MeshlessReactorLoadBalancer} carries its {@link Pick}: the call
 *       counts as in flight on it (least-request balancing) from
 *       {@link #onStartRequest} to {@link #onComplete}, and the outcome goes to
 *       {@link ServiceClient#record}: outlier detection, the zone breaker and the
 *       {@code meshless.client.requests} meter. The outcome is also kept on the instance, for the
 *       balancer to decide where a retry goes.</li>
 *   <li>An instance that Spring Cloud's own balancer chose from
 *       {@link MeshlessServiceInstanceListSupplier} has no pick: its outcome goes to outlier detection
 *       and the zone breaker only, timed with Spring Cloud's request start time.</li>
 *   <li>Other instances (another supplier's) are ignored.</li>
 * </ul>
 *
 * <p>Statuses come from Spring Cloud's {@link ResponseData} (or a raw client response) and are
 * classified by the service client's classifier; an exception is classified by the first I/O failure
 * or timeout in its cause chain (a {@code ResourceAccessException} or
 * {@code WebClientRequestException} wrapping a refused connection is a connect failure), else as it
 * is. A discarded call (nothing chosen, or cancelled) records nothing. A call's outcome is reported
 * once. Never throws to the caller: failures here are logged. Thread-safe.
 */
public final class MeshlessLoadBalancerLifecycle implements LoadBalancerLifecycle<Object, Object, ServiceInstance> {

    private static final Logger log = LoggerFactory.getLogger(MeshlessLoadBalancerLifecycle.class);

    private final MeshlessClients clients;
    private final TimeSource time;

    /**
     * @param clients the application's Meshless clients
     * @param time the time source that times calls on picked instances
     */
    public MeshlessLoadBalancerLifecycle(MeshlessClients clients, TimeSource time) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.time = Objects.requireNonNull(time, "time");
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean supports(Class requestContextClass, Class responseClass, Class serverTypeClass) {
        return ServiceInstance.class.isAssignableFrom(serverTypeClass);
    }

    @Override
    public void onStart(Request<Object> request) {
        // Nothing is chosen yet.
    }

    @Override
    public void onStartRequest(Request<Object> request, Response<ServiceInstance> lbResponse) {
        if (!(server(lbResponse) instanceof MeshlessServiceInstance instance)) {
            return;
        }
        if (instance.pick() != null) {
            if (instance.start(time.nanoTime())) {
                instance.pick().callStarted();
            }
        } else if (request != null && request.getContext() instanceof TimedRequestContext timed
                && timed.getRequestStartTime() == 0) {
            timed.setRequestStartTime(System.nanoTime()); // Spring Cloud's clock for this field
        }
    }

    @Override
    public void onComplete(CompletionContext<Object, ServiceInstance, Object> context) {
        if (!(server(context.getLoadBalancerResponse()) instanceof MeshlessServiceInstance instance)) {
            return;
        }
        try {
            if (instance.pick() != null) {
                completePicked(instance, context);
            } else {
                completeListed(instance, context);
            }
        } catch (RuntimeException e) {
            log.warn("{}: could not report the outcome of a call to {}", instance.getServiceId(),
                    instance.getInstanceId(), e);
        }
    }

    private void completePicked(MeshlessServiceInstance instance, CompletionContext<Object, ServiceInstance, Object> c) {
        long end = time.nanoTime();
        if (!instance.finish()) {
            return;
        }
        Pick pick = instance.pick();
        boolean started = instance.started();
        if (started) {
            pick.callFinished();
        }
        if (c.status() == CompletionContext.Status.DISCARD || (c.status() == CompletionContext.Status.FAILED
                && c.getThrowable() == null)) {
            return;
        }
        Duration duration = started ? Duration.ofNanos(Math.max(0, end - instance.startNanos())) : Duration.ZERO;
        ServiceClient client = clients.client(instance.getServiceId());
        Outcome outcome = client.record(pick, result(c), failure(c), duration);
        instance.outcome(outcome);
    }

    private void completeListed(MeshlessServiceInstance instance, CompletionContext<Object, ServiceInstance, Object> c) {
        if (c.status() == CompletionContext.Status.DISCARD || (c.status() == CompletionContext.Status.FAILED
                && c.getThrowable() == null)) {
            return;
        }
        long nanos = 0;
        Object requestContext = c.getLoadBalancerRequest() == null ? null : c.getLoadBalancerRequest().getContext();
        if (requestContext instanceof TimedRequestContext timed && timed.getRequestStartTime() > 0) {
            nanos = Math.max(0, System.nanoTime() - timed.getRequestStartTime());
        }
        ServiceClient client = clients.client(instance.getServiceId());
        Outcome outcome = client.classify(result(c), failure(c));
        client.outlierDetector().record(instance.endpoint(), outcome);
        ZoneCircuitBreakers zones = client.zoneBreakers();
        if (zones != null) {
            zones.record(instance.endpoint().locality(), outcome, nanos);
        }
    }

    private static ServiceInstance server(Response<ServiceInstance> response) {
        return response != null && response.hasServer() ? response.getServer() : null;
    }

    /** A response the starter's classifier reads by status, or {@code null} for a failure. */
    private static Object result(CompletionContext<Object, ServiceInstance, Object> c) {
        if (c.status() != CompletionContext.Status.SUCCESS) {
            return null;
        }
        Object response = c.getClientResponse();
        if (response instanceof ResponseData data) {
            if (data.getHttpStatus() == null) {
                return null;
            }
            ResponseEntity.BodyBuilder entity = ResponseEntity.status(data.getHttpStatus());
            if (data.getHeaders() != null) {
                entity.headers(data.getHeaders()); // for Retry-After
            }
            return entity.build();
        }
        return response;
    }

    /** The failure to classify: the I/O failure or timeout the client wrapped, else the exception itself. */
    private static Throwable failure(CompletionContext<Object, ServiceInstance, Object> c) {
        if (c.status() != CompletionContext.Status.FAILED) {
            return null;
        }
        Throwable thrown = c.getThrowable();
        Throwable t = thrown;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof IOException || t instanceof TimeoutException) {
                return t;
            }
        }
        return thrown;
    }
}
