package dev.meshless.spring.boot.cloud.loadbalancer;

import dev.meshless.balancer.Pick;
import dev.meshless.call.AttemptToken;
import dev.meshless.call.ServiceClient;
import dev.meshless.outcome.Outcome;
import dev.meshless.spring.boot.MeshlessClients;
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
 * circuit breakers and metrics learn from {@code @LoadBalanced} and OpenFeign traffic too. It
 * reports through the call path's own attempt lifecycle ({@link ServiceClient#begin}): each call
 * is one {@link AttemptToken}, ended exactly once.
 *
 * <ul>
 *   <li>An instance chosen by {@link MeshlessReactorLoadBalancer} carries its {@link Pick}: the
 *       call's token is begun on it at {@link #onStartRequest} (the endpoint counts as in flight,
 *       for least-request balancing) and completed at {@link #onComplete} (outlier detection, the
 *       zone breaker and the {@code meshless.client.requests} meter). The outcome is also kept on
 *       the instance, for the balancer to decide where a retry goes.</li>
 *   <li>An instance that Spring Cloud's own balancer chose from
 *       {@link MeshlessServiceInstanceListSupplier} is shared between calls and has no pick: its
 *       call is reported when it completes, on the current plan's pick of that endpoint, timed
 *       with Spring Cloud's request start time.</li>
 *   <li>Other instances (another supplier's) are ignored.</li>
 * </ul>
 *
 * <p>Statuses come from Spring Cloud's {@link ResponseData} (or a raw client response) and are
 * classified by the service client's classifier; an exception is classified by the first I/O failure
 * or timeout in its cause chain (a {@code ResourceAccessException} or
 * {@code WebClientRequestException} wrapping a refused connection is a connect failure), else as it
 * is. A discarded call (nothing chosen, or cancelled) releases its token and records nothing. A
 * call's outcome is reported once. Never throws to the caller: failures here are logged.
 * Thread-safe.
 */
public final class MeshlessLoadBalancerLifecycle implements LoadBalancerLifecycle<Object, Object, ServiceInstance> {

    private static final Logger log = LoggerFactory.getLogger(MeshlessLoadBalancerLifecycle.class);

    private final MeshlessClients clients;

    /**
     * @param clients the application's Meshless clients, whose attempt lifecycle reports each call
     */
    public MeshlessLoadBalancerLifecycle(MeshlessClients clients) {
        this.clients = Objects.requireNonNull(clients, "clients");
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
        try {
            if (instance.pick() != null) {
                begin(instance);
            } else if (request != null && request.getContext() instanceof TimedRequestContext timed
                    && timed.getRequestStartTime() == 0) {
                timed.setRequestStartTime(System.nanoTime()); // Spring Cloud's clock for this field
            }
        } catch (RuntimeException e) {
            log.warn("{}: could not start reporting a call to {}", instance.getServiceId(), instance.getInstanceId(), e);
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

    /** @return the instance's token, begun now unless a start (or an earlier completion) began it */
    private AttemptToken begin(MeshlessServiceInstance instance) {
        AttemptToken token = instance.token();
        if (token != null) {
            return token;
        }
        AttemptToken begun = clients.client(instance.getServiceId()).begin(instance.pick());
        AttemptToken attached = instance.attach(begun);
        if (attached != begun) {
            begun.release(); // a second start of the same call: the first one counts
        }
        return attached;
    }

    private void completePicked(MeshlessServiceInstance instance, CompletionContext<Object, ServiceInstance, Object> c) {
        AttemptToken token = begin(instance); // completed without a start: an attempt of no duration
        if (discarded(c)) {
            token.release();
            return;
        }
        Outcome outcome = token.complete(result(c), failure(c));
        if (outcome != null) {
            instance.outcome(outcome);
        }
    }

    private void completeListed(MeshlessServiceInstance instance, CompletionContext<Object, ServiceInstance, Object> c) {
        if (discarded(c)) {
            return;
        }
        ServiceClient client = clients.client(instance.getServiceId());
        Pick pick = client.balancer().picker().pickOf(instance.getInstanceId());
        if (pick == null) {
            return; // no longer in the plan: nothing left to learn about it
        }
        long nanos = 0;
        Object requestContext = c.getLoadBalancerRequest() == null ? null : c.getLoadBalancerRequest().getContext();
        if (requestContext instanceof TimedRequestContext timed && timed.getRequestStartTime() > 0) {
            nanos = System.nanoTime() - timed.getRequestStartTime();
        }
        client.begin(pick, Duration.ofNanos(Math.max(0, nanos))).complete(result(c), failure(c));
    }

    /** A call that was never made, or whose end says nothing (a failure without an exception). */
    private static boolean discarded(CompletionContext<Object, ServiceInstance, Object> c) {
        return c.status() == CompletionContext.Status.DISCARD
                || (c.status() == CompletionContext.Status.FAILED && c.getThrowable() == null);
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
