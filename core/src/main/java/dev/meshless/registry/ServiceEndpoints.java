package dev.meshless.registry;

import dev.meshless.topology.Endpoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The full set of endpoints of one service at one moment: what a registry delivers.
 *
 * <p>Immutable. Every endpoint belongs to the named service and ids are unique.
 */
public final class ServiceEndpoints {

    private final String service;
    private final List<Endpoint> endpoints;

    private ServiceEndpoints(String service, List<Endpoint> endpoints) {
        this.service = service;
        this.endpoints = endpoints;
    }

    /**
     * @param service the service name, not blank
     * @param endpoints the endpoints, all of that service, with unique ids
     * @return the set
     * @throws IllegalArgumentException when an endpoint belongs to another service or an id repeats
     */
    public static ServiceEndpoints of(String service, Collection<Endpoint> endpoints) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("service must be a non-blank name, but was "
                    + (service == null ? "null" : "'" + service + "'"));
        }
        List<Endpoint> copy = List.copyOf(endpoints);
        Set<String> ids = new HashSet<>();
        for (Endpoint e : copy) {
            if (!e.service().equals(service)) {
                throw new IllegalArgumentException("endpoint '" + e.id() + "' belongs to service '" + e.service()
                        + "', not to '" + service + "'");
            }
            if (!ids.add(e.id())) {
                throw new IllegalArgumentException("duplicate endpoint id '" + e.id() + "' in service '" + service
                        + "'");
            }
        }
        return new ServiceEndpoints(service, copy);
    }

    /**
     * @param service the service name
     * @return a set with no endpoints
     */
    public static ServiceEndpoints empty(String service) {
        return of(service, List.of());
    }

    /** @return the service name */
    public String service() {
        return service;
    }

    /** @return the endpoints, unmodifiable, in registry order */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** @return whether there are no endpoints */
    public boolean isEmpty() {
        return endpoints.isEmpty();
    }

    /**
     * @param updated a replacement for one endpoint, matched by id
     * @return a copy with that endpoint replaced, or appended when its id is new
     */
    public ServiceEndpoints with(Endpoint updated) {
        List<Endpoint> copy = new ArrayList<>(endpoints.size() + 1);
        boolean replaced = false;
        for (Endpoint e : endpoints) {
            if (e.id().equals(updated.id())) {
                copy.add(updated);
                replaced = true;
            } else {
                copy.add(e);
            }
        }
        if (!replaced) {
            copy.add(updated);
        }
        return of(service, copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServiceEndpoints && service.equals(((ServiceEndpoints) o).service)
                && endpoints.equals(((ServiceEndpoints) o).endpoints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, endpoints);
    }

    @Override
    public String toString() {
        return service + " " + endpoints;
    }
}
