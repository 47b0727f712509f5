package dev.meshless.registry;

import dev.meshless.concurrent.SerialExecutor;
import dev.meshless.topology.Endpoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory registry: endpoint sets declared in code or configuration, changed by
 * {@link #replace}. It is authoritative: a service it does not know has no endpoints.
 *
 * <p>Thread-safe. Deliveries to listeners are serialised and ordered for the whole registry; when
 * {@link #subscribe} or {@link #replace} is called from outside a delivery, the resulting
 * deliveries have happened by the time it returns.
 */
public final class StaticRegistry implements EndpointRegistry {

    private static final Logger log = LoggerFactory.getLogger(StaticRegistry.class);

    private final Map<String, ServiceEndpoints> services = new ConcurrentHashMap<>();
    private final Map<String, List<EndpointListener>> listeners = new ConcurrentHashMap<>();
    private final SerialExecutor deliveries = new SerialExecutor();

    private StaticRegistry(Map<String, ServiceEndpoints> initial) {
        services.putAll(initial);
    }

    /**
     * @param endpoints the endpoints of any number of services
     * @return a registry holding them
     * @throws IllegalArgumentException when an id repeats within a service
     */
    public static StaticRegistry of(Collection<Endpoint> endpoints) {
        Builder b = builder();
        endpoints.forEach(b::endpoint);
        return b.build();
    }

    /** @return a builder for a registry declared in code */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Subscription subscribe(String service, EndpointListener listener) {
        ServiceEndpoints.empty(service); // validates the name
        List<EndpointListener> forService = listeners.computeIfAbsent(service, s -> new CopyOnWriteArrayList<>());
        forService.add(listener);
        deliveries.execute(() -> {
            if (forService.contains(listener)) {
                deliver(listener, current(service));
            }
        });
        return () -> forService.remove(listener);
    }

    /**
     * Replaces every endpoint of a service and notifies its subscribers.
     *
     * @param service the service name
     * @param endpoints the new set; empty removes every endpoint
     * @throws IllegalArgumentException when an endpoint belongs to another service or an id repeats
     */
    public void replace(String service, Collection<Endpoint> endpoints) {
        ServiceEndpoints next = ServiceEndpoints.of(service, endpoints);
        deliveries.execute(() -> {
            services.put(service, next);
            for (EndpointListener l : listeners.getOrDefault(service, List.of())) {
                deliver(l, next);
            }
        });
    }

    /**
     * Replaces one endpoint, matched by service and id, or adds it, and notifies subscribers.
     *
     * @param endpoint the new version of the endpoint
     */
    public void put(Endpoint endpoint) {
        deliveries.execute(() -> {
            ServiceEndpoints next = current(endpoint.service()).with(endpoint);
            services.put(endpoint.service(), next);
            for (EndpointListener l : listeners.getOrDefault(endpoint.service(), List.of())) {
                deliver(l, next);
            }
        });
    }

    /**
     * @param service the service name
     * @return its current endpoints; empty when unknown
     */
    public ServiceEndpoints current(String service) {
        ServiceEndpoints known = services.get(service);
        return known != null ? known : ServiceEndpoints.empty(service);
    }

    /** @return names of the services with declared endpoints */
    public Set<String> services() {
        return Set.copyOf(services.keySet());
    }

    private static void deliver(EndpointListener listener, ServiceEndpoints endpoints) {
        try {
            listener.onEndpoints(endpoints);
        } catch (RuntimeException e) {
            log.warn("Endpoint listener for service '{}' failed; other listeners still receive the update",
                    endpoints.service(), e);
        }
    }

    /** Collects endpoints of several services; not thread-safe. */
    public static final class Builder {
        private final Map<String, List<Endpoint>> byService = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param endpoint an endpoint to declare
         * @return this builder
         */
        public Builder endpoint(Endpoint endpoint) {
            byService.computeIfAbsent(endpoint.service(), s -> new ArrayList<>()).add(endpoint);
            return this;
        }

        /**
         * @param service a service to declare with no endpoints (so that it is known)
         * @return this builder
         */
        public Builder service(String service) {
            byService.computeIfAbsent(service, s -> new ArrayList<>());
            return this;
        }

        /**
         * @return the registry
         * @throws IllegalArgumentException when an id repeats within a service
         */
        public StaticRegistry build() {
            Map<String, ServiceEndpoints> initial = new LinkedHashMap<>();
            byService.forEach((service, list) -> initial.put(service, ServiceEndpoints.of(service, list)));
            return new StaticRegistry(initial);
        }
    }
}
