package dev.meshless.spring.boot.ratelimit.aspect;

import dev.meshless.ratelimit.RateLimitedException;
import dev.meshless.spring.boot.ratelimit.RateLimited;
import dev.meshless.spring.boot.ratelimit.RateLimiters;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Applies {@link RateLimited} limits: takes a permit before each call (waiting up to the limit's
 * timeout) and throws {@link RateLimitedException} instead of calling the method when the limit
 * refuses. For a method returning a reactive type ({@code Mono}, {@code Flux}, a
 * {@code Publisher}) under a limit that may block — a positive timeout, or an exact limit kept in
 * Redis — the permit is taken when the result is subscribed to, on Reactor's bounded-elastic
 * scheduler, never on the calling thread (an event loop in WebFlux), and a refusal is the result's
 * error signal; under a limit that answers at once, the exception is thrown synchronously (WebFlux
 * turns either into a 429).
 *
 * <p>Thread-safe; each method is resolved once and cached.
 */
@Aspect
public class RateLimitedAspect implements Ordered {

    private static final boolean REACTOR = ClassUtils.isPresent("reactor.core.publisher.Mono",
            RateLimitedAspect.class.getClassLoader());

    private final RateLimiters limiters;
    private final BeanFactory beanFactory;
    private final int order;
    private final Map<Method, RateLimitedMethod> methods = new ConcurrentHashMap<>();

    /**
     * @param limiters the application's limits
     * @param beanFactory resolves {@code @bean} references in key expressions, or {@code null}
     * @param order the aspect's order among the application's advice
     */
    public RateLimitedAspect(RateLimiters limiters, BeanFactory beanFactory, int order) {
        this.limiters = limiters;
        this.beanFactory = beanFactory;
        this.order = order;
    }

    /**
     * @param call the intercepted call
     * @param rateLimited the method's annotation
     * @return the method's result
     * @throws RateLimitedException when the limit refuses the call
     * @throws Throwable what the method throws
     */
    @Around(value = "@annotation(rateLimited)", argNames = "call,rateLimited")
    public Object rateLimited(ProceedingJoinPoint call, RateLimited rateLimited) throws Throwable {
        Method method = ((MethodSignature) call.getSignature()).getMethod();
        if (call.getTarget() != null) {
            method = AopUtils.getMostSpecificMethod(method, call.getTarget().getClass());
        }
        RateLimitedMethod target = methods.get(method);
        if (target == null) {
            target = methods.computeIfAbsent(method, m -> RateLimitedMethod.resolve(m, rateLimited, limiters));
        }
        String key = target.key(call.getArgs(), beanFactory);
        if (REACTOR && target.limit().mayWait() && ReactiveRateLimitedCall.returnsPublisher(method.getReturnType())) {
            return ReactiveRateLimitedCall.deferred(target.limit(), key, call, method.getReturnType());
        }
        target.limit().acquire(key);
        return call.proceed();
    }

    @Override
    public int getOrder() {
        return order;
    }
}
