package dev.meshless.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.aot.hint.annotation.Reflective;
import org.springframework.core.annotation.AliasFor;

/**
 * Sends calls to a service through Meshless's resilient call path: a locality-aware pick (the
 * caller's zone first, then its region, then other regions), retries on another endpoint or
 * locality, zone and service circuit breakers, outbound limits and metrics, all configured under
 * {@code meshless.services.<service>} (or the section named by {@link #policy()}).
 *
 * <p><b>On a Spring HTTP service interface</b> (an interface with {@code @HttpExchange},
 * {@code @GetExchange}, {@code @PostExchange} … methods) found in the application's packages or in
 * those of {@code @EnableZoneAwareClients}, the starter registers it with Spring's HTTP service
 * registry, in the group named after the service, so that {@code spring.http.serviceclient.<service>.*}
 * and the application's group configurers apply. Any HTTP service group holding such an interface,
 * including the application's own {@code @ImportHttpServices} groups, sends its requests to
 * {@code http://<service>/...} and every one runs through the call path. Interfaces with methods
 * returning {@code Mono} or {@code Flux} form a {@code WebClient} group (WebFlux must be present),
 * others a {@code RestClient} group.
 *
 * <pre>{@code
 * @ZoneAware("inventory")
 * @HttpExchange("/stock")
 * public interface InventoryClient {
 *     @GetExchange("/{sku}")
 *     Stock stock(@PathVariable String sku);
 *
 *     @ZoneAware(idempotent = true)            // retried like a GET, though it is a POST
 *     @PostExchange("/reservations")
 *     Reservation reserve(@RequestBody ReservationRequest request);
 * }
 * }</pre>
 *
 * A POST or PATCH is retried only after failures that never sent the request (connection refused),
 * unless the method is declared {@link #idempotent()} or the policy's
 * {@code retry.retryable-methods} list it; GET, HEAD, OPTIONS, PUT and DELETE are retried on any
 * retryable failure. On a method of such an interface {@link #idempotent()} and {@link #policy()}
 * apply to that method; the service comes from the interface (a different one is refused at
 * startup).
 *
 * <p><b>On a bean method</b> that talks to the service some other way (a gRPC stub, a JDBC
 * connection, a hand-built HTTP request), the method runs once per attempt, inside the call path,
 * and reads the endpoint picked for the attempt from
 * {@code dev.meshless.spring.boot.zoneaware.ZoneAwareContext.currentAttempt()}. Needs AspectJ
 * ({@code spring-boot-starter-aspectj}). Like any Spring AOP advice it applies to calls through the
 * bean's proxy, not to calls from inside the same object.
 *
 * <pre>{@code
 * @ZoneAware(service = "ledger", idempotent = true)
 * public Balance balance(String account) throws IOException {
 *     Attempt attempt = ZoneAwareContext.currentAttempt();
 *     return ledgerStub(attempt.endpoint().host(), attempt.endpoint().port())
 *             .withDeadlineAfter(attempt.timeout().toMillis(), MILLISECONDS)
 *             .balance(account);
 * }
 * }</pre>
 *
 * The method's result and exceptions are classified like HTTP answers (statuses of
 * {@code ResponseEntity} and of Spring's status exceptions, connection errors, timeouts). Methods
 * may return a plain value, a {@code CompletionStage} or a {@code Mono}; {@code Flux} is refused at
 * startup. When no attempt succeeds the caller gets a
 * {@link dev.meshless.call.ServiceCallException} naming the service, the reason and every attempt.
 *
 * <p>Meta-annotated with {@link Reflective}, so that Spring AOT keeps annotated methods and
 * interfaces of beans reachable by reflection in a native image.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective
public @interface ZoneAware {

    /** @return the service to call; alias of {@link #service()} */
    @AliasFor("service")
    String value() default "";

    /**
     * @return the service to call, as named in {@code meshless.services}, in the registry and in
     *     the URL host ({@code http://<service>}); required except on a method of a
     *     {@code @ZoneAware} HTTP service interface, which takes the interface's
     */
    @AliasFor("value")
    String service() default "";

    /**
     * @return the name of the {@code meshless.services.<name>} section whose policies (retries,
     *     timeouts, breakers, limits) apply instead of the service's own; empty for the service's
     *     own. Lets two uses of one service follow different policies, for example a batch job
     *     with a longer deadline.
     */
    String policy() default "";

    /**
     * @return whether the call may be repeated safely, so that it is retried on every retryable
     *     failure even when its HTTP method (POST, PATCH) or the lack of one would not allow it.
     *     Meant for methods; on an HTTP service interface it applies to the methods that do not
     *     carry their own {@code @ZoneAware}.
     */
    boolean idempotent() default false;
}
