package dev.meshless.spring.boot.zoneaware;

import dev.meshless.call.Attempt;
import dev.meshless.call.ServiceCallException;
import dev.meshless.call.ServiceClient;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.ZoneAware;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.Ordered;
import reactor.core.publisher.Mono;

/**
 * Runs {@link ZoneAware} bean methods through their service's resilient call path: the method runs
 * once per attempt with the attempt bound to {@link ZoneAwareContext}, inside the service's gate
 * (outbound limit), service breaker, zone breakers and retry loop. Blocking methods use
 * {@link ServiceClient#call}; methods returning a {@code CompletionStage} or a {@code Mono} use
 * {@link ServiceClient#callAsync}, which also enforces the per-try timeout (a {@code Mono} is
 * subscribed once per attempt).
 *
 * <p>Failures: a {@link ServiceCallException} naming the service, the reason and every attempt; an
 * unchecked exception the classifier calls the caller's is rethrown as it is, and so is a checked
 * exception the method declares when it says nothing about the endpoint.
 *
 * <p>Order: {@link #getOrder()} (property {@code meshless.zone-aware.aspect.order}; by default the
 * lowest precedence, inside Resilience4j's aspects and {@code @RateLimited}). Methods of HTTP
 * service interfaces are left to their client. Thread-safe; each method is resolved once and cached.
 */
@Aspect
public class ZoneAwareAspect implements Ordered {

    private final MeshlessClients clients;
    private final int order;
    private final Map<Method, ZoneAwareMethod> methods = new ConcurrentHashMap<>();

    /**
     * @param clients the application's Meshless clients
     * @param order the aspect's order among the application's advice
     */
    public ZoneAwareAspect(MeshlessClients clients, int order) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.order = order;
    }

    /**
     * @param call the intercepted call
     * @return the method's answer
     * @throws ServiceCallException when the call could not be served
     * @throws Throwable what the method throws, when it is the caller's own failure
     */
    @Around("@annotation(dev.meshless.spring.boot.ZoneAware) && execution(* *(..))")
    public Object zoneAware(ProceedingJoinPoint call) throws Throwable {
        Method method = ((MethodSignature) call.getSignature()).getMethod();
        if (call.getTarget() != null) {
            method = AopUtils.getMostSpecificMethod(method, call.getTarget().getClass());
        }
        ZoneAwareMethod target = methods.get(method);
        if (target == null) {
            target = methods.computeIfAbsent(method, ZoneAwareMethod::resolve);
        }
        if (target.kind() == ZoneAwareMethod.Kind.HTTP_EXCHANGE) {
            return call.proceed();
        }
        ServiceClient client = clients.client(target.service(), target.policy());
        switch (target.kind()) {
            case COMPLETION_STAGE:
                AtomicBoolean started = new AtomicBoolean();
                return callerErrorsAsThemselves(client.callAsync(attempt -> {
                    started.set(true);
                    return stage(call, attempt);
                }, target.options()), started);
            case MONO:
                return Reactive.mono(client, call, target);
            default:
                try {
                    return client.call(attempt -> proceed(call, attempt), target.options());
                } catch (ServiceCallException e) {
                    throw callerError(e);
                }
        }
    }

    private static Object proceed(ProceedingJoinPoint call, Attempt attempt) throws Exception {
        ZoneAwareContext.Scope bound = ZoneAwareContext.bind(attempt);
        try {
            return call.proceed();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        } finally {
            bound.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static CompletionStage<Object> stage(ProceedingJoinPoint call, Attempt attempt) {
        try {
            Object stage = proceed(call, attempt);
            return stage != null ? (CompletionStage<Object>) stage : CompletableFuture.failedFuture(
                    new NullPointerException("the @ZoneAware method returned a null CompletionStage"));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * @param e the call's failure
     * @return the method's own checked exception when the call failed with it as a caller error,
     *     else the failure
     */
    static Throwable callerError(ServiceCallException e) {
        Throwable cause = e.getCause();
        return e.reason() == ServiceCallException.Reason.CALLER_ERROR && cause instanceof Exception
                && !(cause instanceof RuntimeException) ? cause : e;
    }

    /**
     * @param answer the call's answer
     * @param started whether an attempt of the call has started
     * @return what the caller gets: the answer, the method's checked exceptions as themselves; completed
     *     by the caller (cancelled, timed out) before any attempt started (while the call waits for an
     *     adaptive concurrency slot), it cancels the call too, which then leaves the line and never runs the method. A call already
     *     started keeps its slot until its attempt ends.
     */
    private static CompletableFuture<Object> callerErrorsAsThemselves(CompletableFuture<Object> answer,
                                                                      AtomicBoolean started) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        result.whenComplete((value, failure) -> {
            // Completed by the caller while the call still waits (cancelled, or completed with a
            // timeout by orTimeout, or by hand): nobody waits for it any more.
            if (!started.get() && !answer.isDone()) {
                answer.cancel(false);
            }
        });
        answer.whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else {
                Throwable t = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                result.completeExceptionally(t instanceof ServiceCallException e ? callerError(e) : t);
            }
        });
        return result;
    }

    @Override
    public int getOrder() {
        return order;
    }

    /** Reactor types; loaded only for methods returning {@code Mono}. */
    private static final class Reactive {
        static Mono<Object> mono(ServiceClient client, ProceedingJoinPoint call, ZoneAwareMethod target) {
            return Mono.deferContextual(context -> Mono.fromFuture(() -> {
                AtomicBoolean started = new AtomicBoolean(); // one call per subscription
                return callerErrorsAsThemselves(client.callAsync(attempt -> {
                    started.set(true);
                    Object mono;
                    try {
                        mono = proceed(call, attempt);
                    } catch (Exception e) {
                        return CompletableFuture.failedFuture(e);
                    }
                    if (mono == null) {
                        return CompletableFuture.failedFuture(
                                new NullPointerException("the @ZoneAware method returned a null Mono"));
                    }
                    ZoneAwareContext.Scope bound = ZoneAwareContext.bind(attempt);
                    try {
                        // subscribes now: work the Mono does synchronously still sees the attempt
                        return ((Mono<?>) mono).contextWrite(context).map(Object.class::cast).toFuture();
                    } finally {
                        bound.close();
                    }
                }, target.options()), started);
            }));
        }
    }
}
