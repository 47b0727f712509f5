package dev.meshless.consul;

import dev.meshless.consul.ConsulException.Reason;
import dev.meshless.consul.internal.Backoff;
import dev.meshless.consul.internal.Futures;
import dev.meshless.consul.internal.Location;
import dev.meshless.consul.internal.ServiceView;
import dev.meshless.consul.internal.ServiceWatch;
import dev.meshless.consul.internal.SnapshotStore;
import dev.meshless.consul.internal.SnapshotWriter;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Paths;
import dev.meshless.config.Specs;
import dev.meshless.config.Values;
import dev.meshless.concurrent.SerialExecutor;
import dev.meshless.registry.EndpointListener;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.registry.Subscription;
import dev.meshless.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consul as a Meshless {@link EndpointRegistry}: one merged view per service over every watched
 * datacenter, each endpoint labelled with its datacenter's region and its zone, kept current with
 * blocking queries and kept — in memory and in the snapshot file — while Consul cannot be reached.
 *
 * <p>Datacenters come from each agent's configured list or, when that is empty, from
 * {@code GET /v1/catalog/datacenters} (read again every {@code datacenterRefreshInterval}). WAN-
 * federated datacenters are read through the local agent with {@code ?dc=}; separate clusters through
 * their own agents ({@link ConsulConfig.Builder#cluster}). A datacenter listed by several agents is
 * read through the first.
 *
 * <p>Contract, as {@link EndpointRegistry} asks: a subscriber receives the merged set as soon as one
 * datacenter's view is known, then every change; deliveries per service never overlap and are
 * ordered; a datacenter that cannot be reached keeps its last good view (nothing is delivered for
 * it); listener exceptions are logged. An empty answer for a service that had endpoints in a
 * datacenter is only delivered after a second, non-stale read confirms it.
 *
 * <p>Thread-safe. {@link #close()} stops every watch and writes the snapshot one last time.
 */
public final class ConsulRegistry implements EndpointRegistry, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsulRegistry.class);

    private final ConsulConfig config;
    private final TimeSource time;
    private final ConsulMetrics metrics;
    private final List<Source> sources = new ArrayList<>();
    private final Map<String, ServiceView> views = new LinkedHashMap<>();
    private final SerialExecutor control = new SerialExecutor();
    private final SnapshotWriter snapshots;
    private final Context context = new Context();
    private volatile boolean closed;

    private ConsulRegistry(Builder b) {
        this.config = b.config;
        this.time = b.time;
        this.metrics = b.metrics;
        // An agent's TLS files are read here; a file that cannot be used is named by the agent's path.
        sources.add(new Source("agent", Specs.under("agent", () -> client(config.agent()))));
        config.clusters().forEach((name, agent) -> sources.add(new Source(name,
                Specs.under(Paths.key("clusters", name), () -> client(agent)))));
        this.snapshots = config.snapshotFile() == null ? null
                : new SnapshotWriter(new SnapshotStore(config.snapshotFile(), config.snapshotMaxBytes()), time,
                        config.snapshotWriteDelay(), config.maxServices(), this::liveViews);
        for (Source s : sources) {
            if (s.configured.isEmpty()) {
                discover(s);
            }
        }
    }

    /**
     * @param config the configuration
     * @return a started registry on the system clock, without metrics
     */
    public static ConsulRegistry create(ConsulConfig config) {
        return builder(config).build();
    }

    /**
     * @param config the configuration
     * @return a builder for the registry's collaborators
     */
    public static Builder builder(ConsulConfig config) {
        return new Builder(config);
    }

    @Override
    public Subscription subscribe(String service, EndpointListener listener) {
        ServiceEndpoints.empty(service); // validates the name
        Objects.requireNonNull(listener, "listener");
        ServiceView view;
        ServiceView.Subscriber subscriber;
        boolean created = false;
        synchronized (views) {
            if (closed) {
                throw new IllegalStateException("the Consul registry is closed; cannot watch service '" + service + "'");
            }
            view = views.get(service);
            if (view == null) {
                if (views.size() >= config.maxServices()) {
                    throw new IllegalStateException("maxServices must be at least " + (views.size() + 1)
                            + " to watch service '" + service + "', but was " + config.maxServices());
                }
                checkConnectionBudget(service, views.size() + 1);
                view = new ServiceView(service, context);
                views.put(service, view);
                created = true;
            }
            subscriber = view.register(listener);
        }
        // Outside the lock: both may call listeners on this thread.
        ServiceView watched = view;
        if (created) {
            control.execute(() -> place(watched));
        }
        subscriber.start();
        return () -> {
            subscriber.close();
            synchronized (views) {
                if (watched.unused() && views.get(service) == watched) {
                    views.remove(service);
                    watched.close();
                }
            }
        };
    }

    /** @return the status of every watched service in every datacenter, for metrics and the actuator */
    public List<ViewStatus> status() {
        List<ViewStatus> out = new ArrayList<>();
        for (ServiceView v : liveViews()) {
            out.addAll(v.status());
        }
        return out;
    }

    /** @return the datacenters (and peers) currently known, in watch order, each with the region it maps to */
    public Map<String, String> datacenters() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String dc : owners(liveViews().size()).keySet()) {
            out.put(dc, config.regionOf(dc));
        }
        return out;
    }

    /**
     * The regions of the known datacenters in watch order: configured datacenters in their order,
     * discovered ones as {@code /v1/catalog/datacenters} lists them, which Consul sorts by estimated
     * round-trip time from the local agent (the agent's own datacenter first).
     *
     * @return region names nearest first, each once
     */
    @Override
    public List<String> regionsByProximity() {
        return List.copyOf(new java.util.LinkedHashSet<>(datacenters().values()));
    }

    /**
     * @return the client of the local agent, with this registry's bounds and metrics; share it with
     *     {@link ConsulRegistration} so that registration requests are measured too
     */
    public ConsulClient agentClient() {
        return sources.get(0).client;
    }

    /** @return the configuration */
    public ConsulConfig config() {
        return config;
    }

    /** Stops every watch and datacenter refresh, then writes the snapshot one last time. */
    @Override
    public void close() {
        List<ServiceView> toClose;
        synchronized (views) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(views.values());
        }
        control.execute(() -> sources.forEach(s -> {
            if (s.timer != null) {
                s.timer.cancel();
            }
        }));
        if (snapshots != null) {
            snapshots.close();
        }
        synchronized (views) {
            views.clear();
        }
        toClose.forEach(ServiceView::close);
    }

    private List<ServiceView> liveViews() {
        synchronized (views) {
            return new ArrayList<>(views.values());
        }
    }

    private ConsulClient client(ConsulAgentConfig agent) {
        return ConsulClient.create(agent, config.maxResponseBytes(), config.maxEndpoints(), metrics);
    }

    /**
     * Each watched service holds one blocking query — one connection — per datacenter and peer of its
     * agent, and Consul refuses connections past {@code limits.http_max_conns_per_client} with 429.
     * Fails the subscription of a service that would take an agent past its {@code maxConnections}.
     */
    private void checkConnectionBudget(String service, int services) {
        Map<Source, Integer> perSource = new LinkedHashMap<>();
        owners(0).values().forEach(l -> perSource.merge(source(l), 1, Integer::sum));
        perSource.forEach((s, locations) -> {
            int budget = s.client.config().maxConnections();
            if ((long) services * locations > budget) {
                throw new IllegalStateException("Watching service '" + service + "' needs " + services + " service(s) × "
                        + locations + " datacenter(s) = " + (long) services * locations + " blocking queries to Consul"
                        + " agent '" + s.name + "' at " + s.client.address() + ", more than its maxConnections ("
                        + budget + "); the agent allows limits.http_max_conns_per_client (200 by default) connections"
                        + " per client IP, shared by every process on the host: watch fewer services or datacenters,"
                        + " or raise both limits");
            }
        });
    }

    private Source source(Location location) {
        for (Source s : sources) {
            if (s.client == location.client()) {
                return s;
            }
        }
        throw new IllegalStateException("no agent for " + location);
    }

    /** Runs on {@code control}: gives a new view its datacenters, or the snapshot while they are unknown. */
    private void place(ServiceView view) {
        view.datacenters(owners(liveViews().size()), authoritative());
        if (snapshots != null && sources.stream().anyMatch(s -> s.discovered == null && s.failedOnce)) {
            view.seedUnattached(snapshots.datacentersOf(view.service()));
        }
    }

    /**
     * Every datacenter and peer to watch, through the first agent that lists it. An agent whose
     * discovered datacenters grew past its connection budget for {@code services} watched services
     * gets only as many as fit; the others are reported once. {@code services} 0: no budget applied.
     */
    private Map<String, Location> owners(int services) {
        Map<String, Location> owners = new LinkedHashMap<>();
        for (Source s : sources) {
            List<Location> mine = new ArrayList<>();
            List<String> dcs = !s.configured.isEmpty() ? s.configured : s.discovered;
            if (dcs != null) {
                dcs.stream().filter(dc -> !owners.containsKey(dc)).forEach(dc -> mine.add(Location.datacenter(dc,
                        s.client)));
            }
            for (String peer : s.client.config().peers()) {
                if (owners.containsKey(peer) || mine.stream().anyMatch(l -> l.name().equals(peer))) {
                    s.report("peer-" + peer, () -> log.warn("Cluster peer '{}' of Consul agent '{}' has the name of a"
                            + " datacenter, which is watched instead; rename the peer", peer, s.name));
                } else {
                    mine.add(Location.peer(peer, s.client));
                }
            }
            int fit = services <= 0 ? Integer.MAX_VALUE : Math.max(1, s.client.config().maxConnections() / services);
            if (mine.size() > fit) {
                List<String> left = mine.subList(fit, mine.size()).stream().map(Location::name).toList();
                int listed = mine.size();
                s.report("budget-" + left, () -> log.error("Consul agent '{}' lists {} datacenter(s) and peer(s), more"
                        + " than {} service(s) can watch within its maxConnections ({}); not watching {}", s.name,
                        listed, services, s.client.config().maxConnections(), left));
                mine.subList(fit, mine.size()).clear();
            }
            mine.forEach(l -> owners.put(l.name(), l));
        }
        return owners;
    }

    private boolean authoritative() {
        return sources.stream().allMatch(s -> !s.configured.isEmpty() || s.discovered != null);
    }

    private void discover(Source s) {
        if (closed) {
            return;
        }
        CompletableFuture<List<String>> listed;
        try {
            listed = s.client.datacentersAsync();
        } catch (RuntimeException e) {
            listed = CompletableFuture.failedFuture(e);
        }
        listed.whenComplete((list, failure) -> control.execute(() -> {
            if (closed) {
                return;
            }
            if (failure == null) {
                s.backoff.reset();
                boolean confirming = listed(s, list);
                s.timer = time.schedule(() -> discover(s), confirming ? config.emptyConfirmationDelay()
                        : config.datacenterRefreshInterval());
                return;
            }
            Duration delay = s.backoff.nextDelay();
            Throwable cause = Futures.unwrap(failure);
            if (s.discovered == null && !s.failedOnce) {
                s.failedOnce = true;
                log.warn("Cannot list the datacenters of Consul agent '{}' at {} ({}); routing on the snapshot{} "
                        + "until it answers; retrying in {}", s.name, s.client.address(), cause.getMessage(),
                        snapshots == null ? " (none configured)" : snapshots.loadedAny()
                                ? " '" + config.snapshotFile() + "'"
                                : " '" + config.snapshotFile() + "' (absent or empty: no endpoints until Consul answers)",
                        Values.format(Duration.ofMillis(delay.toMillis())));
                liveViews().forEach(this::place);
            } else {
                log.debug("Cannot list the datacenters of Consul agent '{}': {}", s.name, cause.getMessage());
            }
            s.timer = time.schedule(() -> discover(s), delay);
        }));
    }

    /**
     * Takes an agent's datacenter list, which is a set: agents sort it by round-trip time
     * (GetDatacentersByDistance, agent/router/router.go), so a new order is no change; and a datacenter
     * whose servers all left drops out of it, as does one on a flaky WAN link for a moment, so a
     * datacenter missing from one list is only dropped when the next list, read soon after, confirms it.
     * Runs on {@code control}.
     *
     * @return whether a missing datacenter waits for confirmation
     */
    private boolean listed(Source s, List<String> list) {
        if (s.discovered == null) {
            log.info("Consul agent '{}' at {} lists datacenters {}", s.name, s.client.address(), list);
            s.discovered = List.copyOf(list);
            liveViews().forEach(this::place);
            return false;
        }
        List<String> next = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String dc : s.discovered) {
            if (list.contains(dc)) {
                next.add(dc);
            } else if (s.missing.contains(dc)) {
                log.warn("Consul agent '{}' no longer lists datacenter '{}' (two reads in a row); dropping it", s.name,
                        dc);
            } else {
                log.info("Consul agent '{}' does not list datacenter '{}' any more; keeping it until the next read"
                        + " confirms", s.name, dc);
                next.add(dc);
                missing.add(dc);
            }
        }
        list.stream().filter(dc -> !s.discovered.contains(dc)).forEach(dc -> {
            log.info("Consul agent '{}' lists a new datacenter '{}'", s.name, dc);
            next.add(dc);
        });
        s.missing = Set.copyOf(missing);
        if (!next.equals(s.discovered)) {
            s.discovered = List.copyOf(next);
            liveViews().forEach(this::place);
        }
        return !missing.isEmpty();
    }

    /** One agent and what it said about its datacenters; mutable fields are confined to {@code control}. */
    private final class Source {
        final String name;
        final ConsulClient client;
        final List<String> configured;
        final Backoff backoff = new Backoff(config.errorBackoffInitial(), config.errorBackoffMax());
        volatile List<String> discovered;
        /** Listed before, missing from the latest list: dropped if the next one confirms. */
        Set<String> missing = Set.of();
        boolean failedOnce;
        TimeSource.Cancellable timer;
        private final Set<String> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Source(String name, ConsulClient client) {
            this.name = name;
            this.client = client;
            this.configured = client.config().datacenters();
        }

        /** Logs a problem once per key. */
        void report(String key, Runnable logLine) {
            if (reported.add(key)) {
                logLine.run();
            }
        }
    }

    /** What views and watches need from the registry. */
    private final class Context implements ServiceView.Context {
        @Override
        public ConsulConfig config() {
            return config;
        }

        @Override
        public TimeSource time() {
            return time;
        }

        @Override
        public void failed(String service, String datacenter, Reason reason) {
            metrics.watchFailed(service, datacenter, reason);
        }

        @Override
        public void skipped(String service, String datacenter, String reason) {
            metrics.entrySkipped(service, datacenter, reason);
        }

        @Override
        public void changed() {
            if (snapshots != null) {
                snapshots.changed();
            }
        }

        @Override
        public void watchAdded(ServiceWatch watch) {
            ViewStatus first = watch.status();
            metrics.viewAdded(first.service(), first.datacenter(), watch::status);
        }

        @Override
        public void watchRemoved(String service, String datacenter) {
            metrics.viewRemoved(service, datacenter);
        }

        @Override
        public SnapshotStore.Entry snapshot(String service, String datacenter) {
            return snapshots == null ? null : snapshots.loaded(service, datacenter);
        }
    }

    /** Collaborators of a registry; not thread-safe. */
    public static final class Builder {
        private final ConsulConfig config;
        private TimeSource time = TimeSource.system();
        private ConsulMetrics metrics = ConsulMetrics.NONE;

        private Builder(ConsulConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * @param time clock and timers for rate limits, backoff, confirmations and snapshot ages;
         *     default {@link TimeSource#system()}
         * @return this builder
         */
        public Builder timeSource(TimeSource time) {
            this.time = Objects.requireNonNull(time, "timeSource");
            return this;
        }

        /**
         * @param metrics receives requests, failures and views; default {@link ConsulMetrics#NONE}
         * @return this builder
         */
        public Builder metrics(ConsulMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Builds the registry, loads the snapshot (if configured) and starts reading datacenter lists.
         * Never blocks on Consul.
         *
         * @return the registry
         * @throws InvalidConfigurationException when an agent's TLS files cannot be used, at the path of
         *     the agent's setting ({@code agent.caCert}, {@code clusters[eu].clientKey})
         */
        public ConsulRegistry build() {
            return new ConsulRegistry(this);
        }
    }

    @Override
    public String toString() {
        return "ConsulRegistry{datacenters=" + datacenters().keySet() + ", services=" + Set.copyOf(liveViews().stream()
                .map(ServiceView::service).toList()) + "}";
    }
}
