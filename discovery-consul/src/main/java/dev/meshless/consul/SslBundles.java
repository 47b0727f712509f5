package dev.meshless.consul;

import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The host's named sets of TLS material (Spring Boot's {@code spring.ssl.bundle.*}), for agents
 * whose {@code sslBundle} names one. The starter adapts Spring Boot's {@code SslBundles}; a plain
 * Java application can pass the context directly to {@link ConsulAgentConfig.Builder#sslBundle}.
 */
@FunctionalInterface
public interface SslBundles {

    /**
     * @param name a bundle's name
     * @return the bundle's current TLS context, asked before each request; the same context until
     *     the material changes
     * @throws dev.meshless.config.InvalidConfigurationException at {@code sslBundle} when there is
     *     no such bundle
     */
    Supplier<SSLContext> bundle(String name);
}
