package dev.meshless.spring.boot.cloud.discovery;

import dev.meshless.spring.boot.registry.RegistryContributor;
import java.util.Objects;

/**
 * Adds a {@link DiscoveryClientRegistry} to the application's merged registry as the source named
 * {@value #NAME}, at order {@value #ORDER}: after the static endpoints (order 0), so that an endpoint
 * id both list keeps its static definition. Closing it stops the registry's reads.
 */
public final class DiscoveryClientContributor implements RegistryContributor, AutoCloseable {

    /** The source's order: after the static registry (0). */
    public static final int ORDER = 100;

    /** The source's name in logs and the actuator endpoint. */
    public static final String NAME = "discovery-client";

    private final DiscoveryClientRegistry registry;

    /** @param registry the registry reading the discovery client */
    public DiscoveryClientContributor(DiscoveryClientRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public DiscoveryClientRegistry registry() {
        return registry;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    /** Stops the registry's reads. */
    @Override
    public void close() {
        registry.close();
    }

    @Override
    public String toString() {
        return NAME + ": " + registry;
    }
}
