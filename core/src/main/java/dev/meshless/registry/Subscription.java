package dev.meshless.registry;

/** A subscription to an {@link EndpointRegistry}; closing it stops deliveries. Idempotent. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    /** Stops deliveries to the listener. A delivery already under way may still complete. */
    @Override
    void close();
}
