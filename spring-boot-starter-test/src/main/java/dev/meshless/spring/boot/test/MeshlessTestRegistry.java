package dev.meshless.spring.boot.test;

import dev.meshless.registry.EndpointListener;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.registry.Subscription;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * A registry a test changes while the application runs: add and remove endpoints, set their health
 * as a registry's checks would. Every change reaches the running Meshless clients before the method
 * returns. {@link AutoConfigureMeshlessTest} makes it the application's registry; a
 * {@link ZoneFleet} registers its endpoints here. It is authoritative, as the static registry is: a
 * service it holds nothing for has no endpoints.
 *
 * <p>Thread-safe: changes are applied one at a time, in the order they are made. Deliveries follow
 * core's {@link StaticRegistry}, on which this is built.
 */
public final class MeshlessTestRegistry implements EndpointRegistry {

    private final StaticRegistry registry = StaticRegistry.builder().build();

    /** Creates an empty registry. */
    public MeshlessTestRegistry() {
    }

    @Override
    public Subscription subscribe(String service, EndpointListener listener) {
        return registry.subscribe(service, listener);
    }

    /**
     * Adds an endpoint, or replaces the one of its service with the same id.
     *
     * @param endpoint the endpoint
     */
    public synchronized void add(Endpoint endpoint) {
        registry.put(endpoint);
    }

    /**
     * Replaces every endpoint of a service.
     *
     * @param service the service
     * @param endpoints its endpoints from now on; empty leaves it none
     * @throws IllegalArgumentException when an endpoint belongs to another service or an id repeats
     */
    public synchronized void replace(String service, Collection<Endpoint> endpoints) {
        registry.replace(service, endpoints);
    }

    /**
     * @param service the service
     * @param id the endpoint's id
     * @return whether there was such an endpoint
     */
    public synchronized boolean remove(String service, String id) {
        List<Endpoint> kept = endpoints(service).stream().filter(e -> !e.id().equals(id)).toList();
        if (kept.size() == endpoints(service).size()) {
            return false;
        }
        registry.replace(service, kept);
        return true;
    }

    /**
     * Sets one endpoint's health, as its registry checks would report it.
     *
     * @param service the service
     * @param id the endpoint's id
     * @param health {@code CRITICAL} takes it out of routing (outside panic)
     * @throws IllegalArgumentException when the service has no endpoint with that id
     */
    public synchronized void setHealth(String service, String id, HealthStatus health) {
        setHealth(service, e -> e.id().equals(id), health, "no endpoint '" + id + "'");
    }

    /**
     * Sets the health of every endpoint of a service in one zone.
     *
     * @param service the service
     * @param zone the zone, e.g. {@code eu-west-1a}
     * @param health the health of each of them
     * @throws IllegalArgumentException when the service has no endpoint in that zone
     */
    public synchronized void setZoneHealth(String service, String zone, HealthStatus health) {
        setHealth(service, e -> zone.equals(e.locality().zone()), health,
                "no endpoint in zone '" + zone + "'");
    }

    private void setHealth(String service, Predicate<Endpoint> which, HealthStatus health, String none) {
        List<Endpoint> current = endpoints(service);
        if (current.stream().noneMatch(which)) {
            throw new IllegalArgumentException("service '" + service + "' has " + none + "; it has " + current);
        }
        registry.replace(service, current.stream()
                .map(e -> which.test(e) ? e.toBuilder().health(health).build() : e).toList());
    }

    /**
     * @param service the service
     * @return its endpoints now, in the order they were added
     */
    public List<Endpoint> endpoints(String service) {
        return registry.current(service).endpoints();
    }

    /**
     * @param service the service
     * @return its endpoints now, as subscribers see them
     */
    public ServiceEndpoints current(String service) {
        return registry.current(service);
    }

    /** Removes every endpoint of every service. */
    public synchronized void clear() {
        registry.services().forEach(s -> registry.replace(s, List.of()));
    }
}
