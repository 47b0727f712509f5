package dev.meshless.registry;

import dev.meshless.concurrent.SerialExecutor;
import dev.meshless.topology.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several registries merged into one view, for example one Consul datacenter each.
 *
 * <p>For each service the merged set is the concatenation of every source's latest set, in the
 * order the sources were given. A source that has not delivered yet counts as empty; a source
 * that stops delivering (unreachable) keeps contributing its last set. When two sources report
 * the same endpoint id, the earlier source wins and the clash is logged once per id.
 *
 * <p>Thread-safe. Each subscription merges and delivers on its own serial executor, so deliveries
 * to one listener never overlap and follow the order of the source changes.
 */
public final class CompositeRegistry implements EndpointRegistry {

    private static final Logger log = LoggerFactory.getLogger(CompositeRegistry.class);

    private final List<EndpointRegistry> sources;

    private CompositeRegistry(List<EndpointRegistry> sources) {
        this.sources = sources;
    }

    /**
     * @param sources the registries to merge, in precedence order; at least one
     * @return the merged view
     */
    public static CompositeRegistry of(List<? extends EndpointRegistry> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("sources must name at least one registry, but was empty");
        }
        return new CompositeRegistry(List.copyOf(sources));
    }

    /**
     * @param sources the registries to merge, in precedence order; at least one
     * @return the merged view
     */
    public static CompositeRegistry of(EndpointRegistry... sources) {
        return of(List.of(sources));
    }

    /** @return the sources' regions by proximity, in precedence order, each region once */
    @Override
    public List<String> regionsByProximity() {
        java.util.LinkedHashSet<String> regions = new java.util.LinkedHashSet<>();
        for (EndpointRegistry source : sources) {
            regions.addAll(source.regionsByProximity());
        }
        return List.copyOf(regions);
    }

    @Override
    public Subscription subscribe(String service, EndpointListener listener) {
        Merger merger = new Merger(service, listener, sources.size());
        List<Subscription> subscriptions = new ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            int index = i;
            subscriptions.add(sources.get(i).subscribe(service, set -> merger.update(index, set)));
        }
        return () -> {
            merger.closed = true;
            subscriptions.forEach(Subscription::close);
        };
    }

    /** Keeps the latest set per source for one subscription; all state is confined to {@code serial}. */
    private static final class Merger {
        private final String service;
        private final EndpointListener listener;
        private final ServiceEndpoints[] latest;
        private final Set<String> reportedClashes = new HashSet<>();
        private final SerialExecutor serial = new SerialExecutor();
        private ServiceEndpoints lastDelivered;
        volatile boolean closed;

        Merger(String service, EndpointListener listener, int sources) {
            this.service = service;
            this.listener = listener;
            this.latest = new ServiceEndpoints[sources];
        }

        void update(int source, ServiceEndpoints set) {
            serial.execute(() -> {
                latest[source] = set;
                ServiceEndpoints merged = merge();
                if (closed || merged.equals(lastDelivered)) {
                    return;
                }
                lastDelivered = merged;
                try {
                    listener.onEndpoints(merged);
                } catch (RuntimeException e) {
                    log.warn("Endpoint listener for service '{}' failed", service, e);
                }
            });
        }

        private ServiceEndpoints merge() {
            Map<String, Integer> owner = new HashMap<>();
            List<Endpoint> merged = new ArrayList<>();
            for (int source = 0; source < latest.length; source++) {
                if (latest[source] == null) {
                    continue;
                }
                for (Endpoint e : latest[source].endpoints()) {
                    Integer first = owner.putIfAbsent(e.id(), source);
                    if (first == null) {
                        merged.add(e);
                    } else if (reportedClashes.add(e.id())) {
                        log.warn("Service '{}': endpoint id '{}' is reported by registry #{} and #{}; "
                                + "keeping the one from #{}", service, e.id(), first, source, first);
                    }
                }
            }
            return ServiceEndpoints.of(service, merged);
        }
    }
}
