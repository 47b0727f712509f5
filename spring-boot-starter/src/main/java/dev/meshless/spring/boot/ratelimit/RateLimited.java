package dev.meshless.spring.boot.ratelimit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.aot.hint.annotation.Reflective;

/**
 * Applies an inbound limit configured under {@code meshless.rate-limit.limits} to each call of a
 * bean method, for example a controller method: a call the limit refuses throws
 * {@link dev.meshless.ratelimit.RateLimitedException} instead of running the method (and an HTTP
 * request gets a 429 problem response). Needs AspectJ on the class path
 * ({@code spring-boot-starter-aspectj}).
 *
 * <pre>{@code
 * @RateLimited(name = "per-user", key = "#userId")
 * @GetMapping("/users/{userId}/orders")
 * List<Order> orders(@PathVariable String userId) { ... }
 * }</pre>
 *
 * <p>Checked at startup: an unknown limit name, a missing key for a per-key limit, a key for a
 * limit without keys or an expression that does not parse stops the application naming the method.
 * Like any Spring AOP advice it applies to calls through the bean's proxy, not to calls from
 * inside the same object.
 *
 * <p>Meta-annotated with {@link Reflective}, so that Spring AOT keeps annotated methods of beans
 * reachable by reflection in a native image.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective
public @interface RateLimited {

    /** @return the name of the limit under {@code meshless.rate-limit.limits} */
    String name();

    /**
     * @return for a per-key limit (required there): a SpEL expression over the method's parameters
     *     giving the key, such as {@code #userId}, {@code #p0} or {@code #request.tenant}; bean
     *     references ({@code @bean}) work too. A {@code null} or blank result counts under
     *     {@link dev.meshless.ratelimit.InboundRateLimit#ANONYMOUS_KEY}. Empty for a limit without keys.
     */
    String key() default "";
}
