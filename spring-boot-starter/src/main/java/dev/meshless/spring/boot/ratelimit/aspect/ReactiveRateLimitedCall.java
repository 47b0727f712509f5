package dev.meshless.spring.boot.ratelimit.aspect;

import dev.meshless.ratelimit.InboundRateLimit;
import org.aspectj.lang.ProceedingJoinPoint;
import org.reactivestreams.Publisher;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A {@code @RateLimited} method that returns a {@code Mono}, a {@code Flux} or another
 * {@link Publisher}, under a limit that may block — one that waits for a permit (a positive
 * timeout) or asks the shared store of an exact fleet-wide limit (Redis). Its decision must not run
 * on the calling thread, which in WebFlux is an event loop: the permit is taken on Reactor's
 * bounded-elastic scheduler when the result is subscribed to, then the method runs, as
 * {@code RateLimitWebFilter} does for routes. A refusal is the result's error signal
 * ({@code RateLimitedException}), which WebFlux's exception handler turns into a 429. The method
 * runs once per subscription, on the bounded-elastic thread: the Reactor context flows through, but
 * thread-locals of the calling thread (MDC, a thread-bound security context) are not there. A
 * method returning a subtype ({@code ParallelFlux}, {@code ConnectableFlux}, RxJava's types) keeps
 * the synchronous permit.
 *
 * <p>Only loaded when Reactor is on the class path ({@link RateLimitedAspect} checks).
 */
final class ReactiveRateLimitedCall {

    private ReactiveRateLimitedCall() {
    }

    /**
     * @param returnType the method's declared return type
     * @return whether it is {@code Mono}, {@code Flux} or {@link Publisher} itself, which this class can defer
     */
    static boolean returnsPublisher(Class<?> returnType) {
        // Exactly these: a subtype (ParallelFlux, ConnectableFlux, RxJava's Flowable) could not be
        // given the Mono or Flux this returns, and keeps the synchronous permit.
        return returnType == Mono.class || returnType == Flux.class || returnType == Publisher.class;
    }

    /**
     * @param limit the method's limit
     * @param key the call's key, evaluated from its arguments on the calling thread
     * @param call the intercepted call, run once the permit is taken
     * @param returnType the method's declared return type: {@code Mono}, {@code Flux} or a {@link Publisher}
     * @return the result, of the declared type, that takes the permit off the calling thread first
     */
    static Object deferred(InboundRateLimit limit, String key, ProceedingJoinPoint call, Class<?> returnType) {
        Mono<Object> permit = Mono.fromCallable(() -> (Object) limit.acquire(key))
                .subscribeOn(Schedulers.boundedElastic());
        if (Mono.class.isAssignableFrom(returnType)) {
            return permit.then(Mono.defer(() -> Mono.from(proceed(call))));
        }
        return permit.thenMany(Flux.defer(() -> proceed(call)));
    }

    @SuppressWarnings("unchecked")
    private static Publisher<Object> proceed(ProceedingJoinPoint call) {
        try {
            Publisher<Object> result = (Publisher<Object>) call.proceed();
            return result != null ? result : Mono.empty();
        } catch (Throwable t) {
            throw Exceptions.propagate(t);
        }
    }
}
