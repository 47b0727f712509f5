package dev.meshless.spring.boot.consul;

import dev.meshless.spring.boot.MeshlessRuntimeHints;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * What a native image needs for Consul, when {@code meshless-discovery-consul} is present: the
 * binding of {@code meshless.consul.*} onto discovery-consul's {@code ConsulSpec} (and its agent and
 * registration sections), which the unknown-key check also binds by class name. Consul's JSON needs
 * nothing more: discovery-consul reads answers and its snapshot file as Jackson trees
 * ({@code ConsulJson}) and writes registrations and snapshots from maps, lists, strings and numbers,
 * so no Meshless type is (de)serialised by reflection. Listed in {@code META-INF/spring/aot.factories}.
 */
public class ConsulRuntimeHints implements RuntimeHintsRegistrar {

    static final String SPEC = "dev.meshless.consul.ConsulSpec";

    /** Created by Spring's AOT processing. */
    public ConsulRuntimeHints() {
    }

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        if (ClassUtils.isPresent(SPEC, classLoader)) {
            MeshlessRuntimeHints.registerBinding(hints, classLoader, ClassUtils.resolveClassName(SPEC, classLoader));
        }
    }
}
