package dev.meshless.consul.internal;

import dev.meshless.consul.ViewStatus;
import dev.meshless.concurrent.SerialExecutor;
import dev.meshless.registry.EndpointListener;
import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.topology.Endpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service across every watched datacenter: a {@link ServiceWatch} per datacenter, the merged view
 * (datacenters in watch order, each endpoint labelled with its region and zone) and the listeners.
 *
 * <p>Every change of state and every delivery runs on one {@link SerialExecutor}, so deliveries to a
 * listener never overlap and follow the order of the changes. A listener is first called once the
 * merged set is known — some datacenter has endpoints (from Consul or the snapshot), or every
 * datacenter has answered or failed once — then on every change of the merged set.
 */
public final class ServiceView {

    private static final Logger log = LoggerFactory.getLogger(ServiceView.class);

    /** What a view needs from its registry beyond what a watch needs. */
    public interface Context extends ServiceWatch.Context {
        /** A view changed: the snapshot should be written. */
        void changed();

        /**
         * A watch started; the registry's metrics may follow it.
         *
         * @param watch the watch
         */
        void watchAdded(ServiceWatch watch);

        /**
         * @param service the service
         * @param datacenter the datacenter
         */
        void watchRemoved(String service, String datacenter);

        /**
         * @param service the service
         * @param datacenter the datacenter
         * @return the snapshot's view of the service in the datacenter, or null
         */
        SnapshotStore.Entry snapshot(String service, String datacenter);
    }

    private final String service;
    private final Context context;
    private final SerialExecutor serial = new SerialExecutor();
    /** Confined to {@code serial}. */
    private final Map<String, ServiceWatch> watches = new LinkedHashMap<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile List<ServiceWatch> watchList = List.of();
    private boolean closed;

    /**
     * @param service the service
     * @param context the registry
     */
    public ServiceView(String service, Context context) {
        this.service = service;
        this.context = context;
    }

    /** @return the service */
    public String service() {
        return service;
    }

    /**
     * Adds a listener; call {@link Subscriber#start()} next (outside any lock) to deliver the merged
     * set if one is known.
     *
     * @param listener the listener
     * @return a handle that removes it
     */
    public Subscriber register(EndpointListener listener) {
        Subscriber s = new Subscriber(listener);
        subscribers.add(s);
        return s;
    }

    /** @return whether no listener is left */
    public boolean unused() {
        return subscribers.isEmpty();
    }

    /**
     * Makes the watched datacenters (and peers) those given (in that order): new ones start, missing ones
     * stop when {@code authoritative}, parked ones (no agent yet) start once their agent is known.
     *
     * @param locations datacenter or peer name → where it is read
     * @param authoritative whether datacenters not listed are gone (every agent answered its list)
     */
    public void datacenters(Map<String, Location> locations, boolean authoritative) {
        serial.execute(() -> {
            if (closed) {
                return;
            }
            boolean removed = false;
            if (authoritative) {
                for (Iterator<Map.Entry<String, ServiceWatch>> it = watches.entrySet().iterator(); it.hasNext();) {
                    Map.Entry<String, ServiceWatch> e = it.next();
                    if (!locations.containsKey(e.getKey())) {
                        log.info("Service '{}': datacenter '{}' is no longer listed by Consul; dropping its endpoints",
                                service, e.getKey());
                        e.getValue().close();
                        context.watchRemoved(service, e.getKey());
                        it.remove();
                        removed = true;
                    }
                }
            }
            locations.forEach((name, where) -> watch(name).attach(where));
            watchList = List.copyOf(watches.values());
            if (removed) {
                changed();
            }
        });
    }

    /**
     * For datacenters whose agent is not known yet (its datacenter list could not be read): routes on
     * the snapshot until it is.
     *
     * @param datacenters the datacenters the snapshot has for this service
     */
    public void seedUnattached(Iterable<String> datacenters) {
        serial.execute(() -> {
            if (closed) {
                return;
            }
            for (String dc : datacenters) {
                ServiceWatch w = watches.get(dc);
                if (w == null || !w.attached()) {
                    seed(watch(dc));
                }
            }
            watchList = List.copyOf(watches.values());
        });
    }

    /** @return the status of every datacenter's view; safe from any thread */
    public List<ViewStatus> status() {
        List<ViewStatus> out = new ArrayList<>();
        for (ServiceWatch w : watchList) {
            out.add(w.status());
        }
        return out;
    }

    /** @return every datacenter's last good view with its time, for the snapshot; safe from any thread */
    public Map<String, SnapshotStore.Entry> lastGood() {
        Map<String, SnapshotStore.Entry> out = new LinkedHashMap<>();
        for (ServiceWatch w : watchList) {
            ServiceEndpoints view = w.lastGood();
            Instant at = w.lastGoodAt();
            if (view != null && at != null) {
                out.put(w.datacenter(), new SnapshotStore.Entry(at, view));
            }
        }
        return out;
    }

    /** Stops every watch, on the view's executor; listeners receive nothing more. */
    public void close() {
        serial.execute(() -> {
            closed = true;
            for (ServiceWatch w : watches.values()) {
                w.close();
                context.watchRemoved(service, w.datacenter());
            }
        });
    }

    private ServiceWatch watch(String dc) {
        ServiceWatch w = watches.get(dc);
        if (w == null) {
            ServiceWatch[] self = new ServiceWatch[1];
            w = new ServiceWatch(service, dc, context, serial, this::changed, () -> seed(self[0]));
            self[0] = w;
            watches.put(dc, w);
            context.watchAdded(w);
        }
        return w;
    }

    private void seed(ServiceWatch w) {
        SnapshotStore.Entry entry = context.snapshot(service, w.datacenter());
        if (entry != null && w.seed(entry.endpoints(), entry.lastGood())) {
            log.warn("Service '{}' in datacenter '{}': Consul cannot be reached; routing on the snapshot's {} "
                    + "endpoint(s), last confirmed at {}", service, w.datacenter(), entry.endpoints().endpoints().size(),
                    entry.lastGood());
            changed();
        }
    }

    /** Runs on {@code serial}. */
    private void changed() {
        if (closed) {
            return;
        }
        context.changed();
        ServiceEndpoints merged = merged();
        if (merged == null) {
            return;
        }
        for (Subscriber s : subscribers) {
            s.deliver(merged);
        }
    }

    /**
     * The concatenation of the known views, once it can be trusted: when some datacenter has endpoints,
     * or every datacenter has answered or failed at least once. So an empty datacenter that answers
     * first does not make the service look empty while the others are still being read, and a service
     * no datacenter can be asked about stays silent. Runs on {@code serial}.
     *
     * @return the merged set, or null when it is not known yet
     */
    private ServiceEndpoints merged() {
        List<Endpoint> all = new ArrayList<>();
        boolean anyView = false;
        boolean settled = true;
        for (ServiceWatch w : watches.values()) {
            ServiceEndpoints view = w.lastGood();
            if (view != null) {
                anyView = true;
                all.addAll(view.endpoints());
            } else if (!w.settled()) {
                settled = false;
            }
        }
        return anyView && (!all.isEmpty() || settled) ? ServiceEndpoints.of(service, all) : null;
    }

    /** One listener and what it last received; delivered to on {@code serial} only. */
    public final class Subscriber {
        private final EndpointListener listener;
        private ServiceEndpoints lastDelivered;
        private volatile boolean active = true;

        private Subscriber(EndpointListener listener) {
            this.listener = listener;
        }

        /** Delivers the merged set, if one is known, on the view's executor (possibly on this thread). */
        public void start() {
            serial.execute(() -> {
                ServiceEndpoints merged = merged();
                if (merged != null && !closed) {
                    deliver(merged);
                }
            });
        }

        /** Stops deliveries to this listener. */
        public void close() {
            active = false;
            subscribers.remove(this);
        }

        private void deliver(ServiceEndpoints merged) {
            if (!active || merged.equals(lastDelivered)) {
                return;
            }
            lastDelivered = merged;
            try {
                listener.onEndpoints(merged);
            } catch (RuntimeException e) {
                log.warn("Endpoint listener for service '{}' failed; later changes are still delivered", service, e);
            }
        }
    }
}
