package dev.meshless.spring.boot.ratelimit.aspect;

import dev.meshless.spring.boot.MeshlessRuntimeHints;
import dev.meshless.spring.boot.ratelimit.RateLimitProperties;
import dev.meshless.spring.boot.ratelimit.RateLimited;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

/**
 * What a native image needs for inbound rate limits: the {@code @RateLimited} aspect's advice
 * methods, which Spring AOP invokes by reflection (when AspectJ is present), the annotation's attributes, and the binding of
 * {@code meshless.rate-limit.*}, which the unknown-key check also binds by class name. Listed in
 * {@code META-INF/spring/aot.factories}.
 */
public class RateLimitAspectRuntimeHints implements RuntimeHintsRegistrar {

    private static final String ASPECTJ = "org.aspectj.lang.ProceedingJoinPoint";
    private static final String ASPECT = "dev.meshless.spring.boot.ratelimit.aspect.RateLimitedAspect";

    /** Created by Spring's AOT processing. */
    public RateLimitAspectRuntimeHints() {
    }

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        if (ClassUtils.isPresent(ASPECTJ, classLoader)) {
            hints.reflection().registerType(TypeReference.of(ASPECT), MemberCategory.INVOKE_PUBLIC_METHODS);
        }
        hints.reflection().registerType(RateLimited.class, MemberCategory.INVOKE_PUBLIC_METHODS);
        MeshlessRuntimeHints.registerBinding(hints, classLoader, RateLimitProperties.class);
    }
}
