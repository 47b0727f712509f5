package dev.meshless.spring.boot.ratelimit.aspect;

import dev.meshless.ratelimit.InboundRateLimit;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.spring.boot.ratelimit.RateLimitProperties;
import dev.meshless.spring.boot.ratelimit.RateLimited;
import dev.meshless.spring.boot.ratelimit.RateLimiters;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionException;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * A {@link RateLimited} method, checked: its limit and its parsed key expression. Immutable;
 * thread-safe.
 */
final class RateLimitedMethod {

    private static final SpelExpressionParser PARSER = new SpelExpressionParser();
    private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

    private final Method method;
    private final InboundRateLimit limit;
    private final Expression key;

    private RateLimitedMethod(Method method, InboundRateLimit limit, Expression key) {
        this.method = method;
        this.limit = limit;
        this.key = key;
    }

    /**
     * @param method the annotated method
     * @param annotation its annotation
     * @param limiters the application's limits
     * @return the checked method
     * @throws InvalidMeshlessConfigurationException naming the method when the annotation cannot work
     */
    static RateLimitedMethod resolve(Method method, RateLimited annotation, RateLimiters limiters) {
        String where = " on " + describe(method);
        InboundRateLimit limit = limiters.find(annotation.name()).orElseThrow(() ->
                new InvalidMeshlessConfigurationException("@RateLimited(name)" + where, annotation.name(),
                        "must name a limit configured under " + RateLimitProperties.PREFIX + ".limits (configured: "
                                + limiters.describeNames() + ")"));
        String text = annotation.key();
        if (text.isBlank()) {
            if (limit.isKeyed()) {
                throw new InvalidMeshlessConfigurationException("@RateLimited(key)" + where, text,
                        "is required: limit '" + limit.name() + "' is per-key; give a SpEL expression over the"
                                + " method's parameters, such as #userId or #p0");
            }
            return new RateLimitedMethod(method, limit, null);
        }
        if (!limit.isKeyed()) {
            throw new InvalidMeshlessConfigurationException("@RateLimited(key)" + where, text,
                    "must be empty: limit '" + limit.name() + "' has no keys (its scope is not per-key)");
        }
        try {
            return new RateLimitedMethod(method, limit, PARSER.parseExpression(text));
        } catch (ExpressionException e) {
            throw new InvalidMeshlessConfigurationException("@RateLimited(key)" + where, text,
                    "must be a valid SpEL expression: " + e.getMessage(), e);
        }
    }

    /** @return the limit the method is under */
    InboundRateLimit limit() {
        return limit;
    }

    /**
     * @param args the call's arguments
     * @param beanFactory resolves {@code @bean} references, or {@code null}
     * @return the call's key, or {@code null} (a limit without keys, or an expression giving none)
     */
    String key(Object[] args, BeanFactory beanFactory) {
        if (key == null) {
            return null;
        }
        MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(null, method, args, PARAMETER_NAMES);
        if (beanFactory != null) {
            context.setBeanResolver(new BeanFactoryResolver(beanFactory));
        }
        Object value = key.getValue(context);
        return value == null ? null : value.toString();
    }

    /** @return {@code com.acme.Orders.list(String, int)} */
    static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName() + Arrays.stream(method.getParameterTypes())
                .map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }
}
