package dev.meshless.registry;

/** Receives the endpoint sets of one service from an {@link EndpointRegistry}. */
@FunctionalInterface
public interface EndpointListener {

    /**
     * Called with the full, current set of endpoints of the service (not a delta).
     *
     * @param endpoints the new set; may be empty when the registry knows the service has none
     */
    void onEndpoints(ServiceEndpoints endpoints);
}
