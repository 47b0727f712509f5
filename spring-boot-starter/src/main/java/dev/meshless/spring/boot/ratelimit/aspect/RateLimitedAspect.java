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

/**
 * Applies {@link RateLimited} limits: takes a permit before each call (waiting up to the limit's
 * timeout) and throws {@link RateLimitedException} instead of calling the method when the limit
 * refuses. The exception is thrown synchronously, also for methods returning a reactive type
 * (WebFlux turns it into an error signal and the exception handler into a 429).
 *
 * <p>Thread-safe; each method is resolved once and cached.
 */
@Aspect
public class RateLimitedAspect implements Ordered {

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
        target.limit().acquire(target.key(call.getArgs(), beanFactory));
        return call.proceed();
    }

    @Override
    public int getOrder() {
        return order;
    }
}
