package dev.meshless.spring.boot.actuate;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * What a native image needs for {@code /actuator/meshless}: the endpoint's operations, registered
 * the way Spring Boot registers those of its own endpoints (through the {@code @Reflective} on
 * {@code @Endpoint} and {@code @ReadOperation}), whether or not the endpoint is a bean when the
 * application is processed ahead of time. Its answers are maps of strings, numbers and lists, which
 * need no further hints. Listed in {@code META-INF/spring/aot.factories}.
 */
public class MeshlessActuatorRuntimeHints implements RuntimeHintsRegistrar {

    private static final String ACTUATOR = "org.springframework.boot.actuate.endpoint.annotation.Endpoint";

    /** Created by Spring's AOT processing. */
    public MeshlessActuatorRuntimeHints() {
    }

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        if (ClassUtils.isPresent(ACTUATOR, classLoader)) {
            Endpoint.register(hints);
        }
    }

    /** Refers to the endpoint, whose annotations need the actuator, only when it is present. */
    private static final class Endpoint {
        static void register(RuntimeHints hints) {
            new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, MeshlessEndpoint.class);
        }
    }
}
