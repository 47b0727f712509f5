package dev.meshless.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One upstream service: one real HTTP server per instance on 127.0.0.1 (ephemeral ports), each
 * answering {@code GET /work} (and any other path) with {@code <instance> <zone> <region>}, and each able to refuse
 * connections, answer slowly, answer an error status, or serve a bounded number of requests at once
 * (the rest queue) on command. It counts the calls to {@code /work} each instance receives.
 */
public final class UpstreamFleet implements AutoCloseable {

    static {
        // The JDK's HTTP server leaves Nagle's algorithm on: its answer goes out as two small writes
        // (headers, then body), and the second can wait for the client's delayed ACK — about 40 ms on
        // Linux. A real server sets TCP_NODELAY; so does the drill's, before the first server starts
        // (the setting is read once), so that latencies are the callers' own.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** How a server waits while it simulates slow work; {@link Thread#sleep} but in tests. */
    @FunctionalInterface
    interface Work {
        /**
         * @param duration how long the work takes
         * @throws InterruptedException when the server stops
         */
        void take(Duration duration) throws InterruptedException;
    }

    /** The request header a drill caller names itself in; calls without it are the Meshless caller's. */
    public static final String CALLER_HEADER = "X-Drill-Caller";

    /** Told of every call to {@code /work} as it arrives, before it waits for capacity. */
    @FunctionalInterface
    public interface Arrivals {
        /**
         * @param instance the instance called
         * @param caller the {@link #CALLER_HEADER} of the call, {@code null} when it has none
         */
        void arrived(Instance instance, String caller);
    }

    /**
     * A capacity cut: at most {@code concurrency} requests served at once, each taking at least
     * {@code latency}; the rest wait, first come first served. Lifted by {@link #lift()}, which lets
     * every waiting request through.
     */
    static final class Capacity {
        final Semaphore permits;
        final Duration latency;
        final java.util.concurrent.atomic.AtomicInteger serving = new java.util.concurrent.atomic.AtomicInteger();
        volatile boolean lifted;

        Capacity(int concurrency, Duration latency) {
            this.permits = new Semaphore(concurrency, true);
            this.latency = latency == null ? Duration.ZERO : latency;
        }

        void lift() {
            lifted = true;
            permits.release(Integer.MAX_VALUE / 2); // whoever waits goes through; later arrivals too
        }
    }

    /** One instance of the upstream service. */
    public static final class Instance {
        final String id;
        final String region;
        final String zone;
        final int port;
        volatile HttpServer server;
        volatile Duration delay = Duration.ZERO;
        volatile int status = 200;
        volatile Capacity capacity;

        Instance(String id, String region, String zone, HttpServer server) {
            this.id = id;
            this.region = region;
            this.zone = zone;
            this.server = server;
            this.port = server.getAddress().getPort();
        }

        /** Accepts connections and answers at once with 200, without a capacity cut. */
        boolean healthy() {
            return server != null && delay.isZero() && status == 200 && capacity == null;
        }

        /** @return the instance id, e.g. {@code r1-a-0} */
        public String id() {
            return id;
        }

        /** @return its region */
        public String region() {
            return region;
        }

        /** @return its zone */
        public String zone() {
            return zone;
        }

        /** @return its port on 127.0.0.1 */
        public int port() {
            return port;
        }
    }

    private final String service;
    private final Work work;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    /**
     * Each instance's own request threads, as each server has its own capacity: a slow instance holding
     * its threads (a comparison drill sends it two callers' retries) must not stop the others answering.
     */
    private final Map<String, ExecutorService> handlers = new LinkedHashMap<>();
    private volatile Arrivals arrivals = (i, caller) -> { };

    /** @param scenario how many regions, zones and instances its first upstream service has */
    public UpstreamFleet(Scenario scenario) {
        this(scenario.upstreams().get(0));
    }

    /** @param upstream the service: its regions, zones and instances */
    public UpstreamFleet(Scenario.Upstream upstream) {
        this(upstream, d -> Thread.sleep(d.toMillis()));
    }

    UpstreamFleet(Scenario.Upstream upstream, Work work) {
        this.service = upstream.name();
        this.work = work;
        for (String zone : upstream.zones()) {
            String region = upstream.regionOf(zone);
            for (int i = 0; i < upstream.zoneSizes().get(zone); i++) {
                String id = zone + "-" + i;
                handlers.put(id, new ThreadPoolExecutor(4, 512, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, upstream.name() + "-" + id);
                    t.setDaemon(true);
                    return t;
                }));
                HttpServer server = start(0, id);
                Instance instance = new Instance(id, region, zone, server);
                bind(server, instance);
                instances.put(id, instance);
            }
        }
    }

    private HttpServer start(int port, String id) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
            server.setExecutor(handlers.get(id));
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start upstream " + id + " on port " + port, e);
        }
    }

    private void bind(HttpServer server, Instance instance) {
        // Every path answers, so the callers' health probes (GET of the base path, /) see what calls see.
        server.createContext("/", exchange -> answer(exchange, instance));
    }

    private void answer(HttpExchange exchange, Instance instance) throws IOException {
        try (exchange) {
            if (exchange.getRequestURI().getPath().equals("/work")) {
                arrivals.arrived(instance, exchange.getRequestHeaders().getFirst(CALLER_HEADER));
            }
            // Probes wait for capacity as calls do: an overloaded server is slow to everyone.
            Capacity capacity = instance.capacity;
            try {
                if (capacity != null) {
                    capacity.permits.acquire();
                }
                try {
                    if (capacity != null) {
                        capacity.serving.incrementAndGet();
                    }
                    Duration delay = instance.delay.plus(capacity == null || capacity.lifted ? Duration.ZERO
                            : capacity.latency);
                    if (!delay.isZero()) {
                        work.take(delay); // the fault being simulated: a slow or overloaded instance
                    }
                    respond(exchange, instance);
                } finally {
                    if (capacity != null) {
                        capacity.serving.decrementAndGet();
                        capacity.permits.release();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void respond(HttpExchange exchange, Instance instance) throws IOException {
        byte[] body = (instance.id + " " + instance.zone + " " + instance.region).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(instance.status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** @return the service these instances serve */
    public String service() {
        return service;
    }

    /** @param listener told of every call to {@code /work} as it arrives */
    public void countArrivals(Arrivals listener) {
        this.arrivals = listener;
    }

    /**
     * @param id an instance
     * @return requests it is serving now under a capacity cut; 0 without one
     */
    int serving(String id) {
        Capacity c = instances.get(id).capacity;
        return c == null ? 0 : c.serving.get();
    }

    /**
     * @param id an instance
     * @return requests waiting for its capacity now; 0 without a cut
     */
    int queued(String id) {
        Capacity c = instances.get(id).capacity;
        return c == null ? 0 : c.permits.getQueueLength();
    }

    /** @return every instance, zone by zone */
    public List<Instance> instances() {
        return new ArrayList<>(instances.values());
    }

    /**
     * Applies an action to the instances it targets.
     *
     * @param action refuse, slow, status, capacity or heal
     */
    public synchronized void apply(Scenario.Action action) {
        for (Instance i : targets(action.target())) {
            switch (action.kind()) {
                case REFUSE:
                    if (i.server != null) {
                        i.server.stop(0);
                        i.server = null;
                    }
                    break;
                case SLOW:
                    i.delay = action.delay();
                    break;
                case STATUS:
                    i.status = action.code();
                    break;
                case CAPACITY:
                    lift(i);
                    i.capacity = new Capacity(action.concurrency(), action.latency());
                    break;
                case HEAL:
                    i.delay = Duration.ZERO;
                    i.status = 200;
                    lift(i);
                    if (i.server == null) {
                        i.server = start(i.port, i.id);
                        bind(i.server, i);
                    }
                    break;
                default:
                    throw new IllegalArgumentException("not an upstream action: " + action);
            }
        }
    }

    private static void lift(Instance i) {
        Capacity old = i.capacity;
        i.capacity = null;
        if (old != null) {
            old.lift();
        }
    }

    private List<Instance> targets(String target) {
        List<Instance> matched = new ArrayList<>();
        for (Instance i : instances.values()) {
            if (target.equals("all") || target.equals(i.id) || target.equals(i.zone) || target.equals(i.region)) {
                matched.add(i);
            }
        }
        return matched;
    }

    /**
     * @param zone a zone
     * @return whether every instance of it accepts connections and answers at once with 200
     */
    public synchronized boolean healthy(String zone) {
        return instances.values().stream().filter(i -> i.zone.equals(zone)).allMatch(Instance::healthy);
    }

    /**
     * @param zone a zone
     * @return whether at least one of its instances answers normally
     */
    public synchronized boolean canServe(String zone) {
        return instances.values().stream().filter(i -> i.zone.equals(zone)).anyMatch(Instance::healthy);
    }

    @Override
    public void close() {
        instances.values().forEach(i -> {
            lift(i);
            if (i.server != null) {
                i.server.stop(0);
            }
        });
        handlers.values().forEach(ExecutorService::shutdownNow);
    }
}
