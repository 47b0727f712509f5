package dev.meshless.spring.boot.zoneaware;

import dev.meshless.call.CallOptions;
import dev.meshless.spring.boot.ZoneAware;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.util.ClassUtils;

/**
 * A {@link ZoneAware} bean method, checked: the service, the policy section, the call options and
 * how the method returns its answer. Immutable; thread-safe.
 *
 * @param method the method
 * @param service the service to call; {@code null} for an HTTP exchange method
 * @param policy the policy section, or {@code null} for the service's own
 * @param options idempotence
 * @param kind how the method answers
 */
record ZoneAwareMethod(Method method, String service, String policy, CallOptions options, Kind kind) {

    private static final String HTTP_EXCHANGE = "org.springframework.web.service.annotation.HttpExchange";
    private static final String PUBLISHER = "org.reactivestreams.Publisher";
    private static final String MONO = "reactor.core.publisher.Mono";

    /** How a method answers, and so how the aspect runs it. */
    enum Kind {
        /** Returns its answer or throws: {@code ServiceClient.call}. */
        BLOCKING,
        /** Returns a {@code CompletionStage}: {@code ServiceClient.callAsync}. */
        COMPLETION_STAGE,
        /** Returns a {@code Mono}: {@code ServiceClient.callAsync}, one subscription per attempt. */
        MONO,
        /** A method of an HTTP service interface: its client routes the request; the aspect stays out. */
        HTTP_EXCHANGE
    }

    /**
     * @param method a method carrying {@link ZoneAware} (or whose interface method does)
     * @return the checked method
     * @throws InvalidMeshlessConfigurationException naming the method when the annotation cannot work
     */
    static ZoneAwareMethod resolve(Method method) {
        if (MergedAnnotations.from(method, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY).isPresent(HTTP_EXCHANGE)) {
            return new ZoneAwareMethod(method, null, null, CallOptions.defaults(), Kind.HTTP_EXCHANGE);
        }
        ZoneAware annotation = AnnotatedElementUtils.findMergedAnnotation(method, ZoneAware.class);
        String where = " on " + describe(method);
        if (annotation == null) {
            throw new IllegalArgumentException("no @ZoneAware" + where);
        }
        String service = annotation.service();
        if (service.isBlank()) {
            throw new InvalidMeshlessConfigurationException("@ZoneAware(service)" + where, service,
                    "must name the service to call, as in meshless.services and the registry");
        }
        Class<?> returns = method.getReturnType();
        Kind kind;
        if (CompletionStage.class.isAssignableFrom(returns)) {
            if (!returns.isAssignableFrom(CompletableFuture.class)) {
                throw new InvalidMeshlessConfigurationException("@ZoneAware" + where, returns.getName(),
                        "must return CompletionStage or CompletableFuture to run asynchronously, not a subtype");
            }
            kind = Kind.COMPLETION_STAGE;
        } else if (isType(returns, PUBLISHER)) {
            if (!returns.getName().equals(MONO)) {
                throw new InvalidMeshlessConfigurationException("@ZoneAware" + where, returns.getName(),
                        "must return Mono (or a value or CompletionStage): a stream cannot be retried on another"
                                + " endpoint once it has emitted; collect it with Flux.collectList()");
            }
            kind = Kind.MONO;
        } else {
            kind = Kind.BLOCKING;
        }
        String policy = annotation.policy().isBlank() ? null : annotation.policy();
        return new ZoneAwareMethod(method, service, policy,
                annotation.idempotent() ? CallOptions.idempotent() : CallOptions.defaults(), kind);
    }

    private static boolean isType(Class<?> type, String name) {
        ClassLoader loader = type.getClassLoader();
        if (!ClassUtils.isPresent(name, loader)) {
            return false;
        }
        return ClassUtils.resolveClassName(name, loader).isAssignableFrom(type);
    }

    /** @return {@code com.acme.Ledger.balance(String)} */
    static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName() + Arrays.stream(method.getParameterTypes())
                .map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }
}
