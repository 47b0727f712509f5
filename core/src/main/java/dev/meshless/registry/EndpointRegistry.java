package dev.meshless.registry;

/**
 * A source of endpoint sets per service that pushes changes to its subscribers (the registry SPI).
 *
 * <p>Implementations: {@link StaticRegistry} (in memory, from code or configuration),
 * {@link CompositeRegistry} (several registries merged into one view) and, in other modules,
 * Consul datacenters.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>{@link #subscribe} delivers the current set as soon as it is known (possibly before
 *       {@code subscribe} returns), then every change.</li>
 *   <li>For one subscription, calls to the listener never overlap and arrive in the order the
 *       changes happened. They may arrive on any thread.</li>
 *   <li>A registry that cannot reach its source keeps quiet (it does not deliver an empty set):
 *       subscribers keep routing on the last set they received.</li>
 *   <li>A listener's exception is logged by the registry and does not stop later deliveries.</li>
 * </ul>
 */
public interface EndpointRegistry {

    /**
     * Subscribes to the endpoints of a service.
     *
     * @param service the service name
     * @param listener receives the current set and every change
     * @return a handle that stops the deliveries when closed
     */
    Subscription subscribe(String service, EndpointListener listener);

    /**
     * The regions this registry knows, nearest first, when it knows their distance: Consul's
     * {@code /v1/catalog/datacenters} lists datacenters by round-trip time from the local agent.
     * The balancer orders the regions a policy does not list by it (see
     * {@code docs/load-balancing.md}). Called on the balancer's control side, not per request.
     *
     * @return region names nearest first; empty (the default) when unknown
     */
    default java.util.List<String> regionsByProximity() {
        return java.util.List.of();
    }
}
