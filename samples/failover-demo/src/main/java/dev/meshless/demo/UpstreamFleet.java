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
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The upstream service: one real HTTP server per instance on 127.0.0.1 (ephemeral ports), each
 * answering {@code GET /work} (and any other path) with {@code <instance> <zone> <region>}, and each able to refuse
 * connections, answer slowly or answer an error status on command.
 */
public final class UpstreamFleet implements AutoCloseable {

    /** One instance of the upstream service. */
    public static final class Instance {
        final String id;
        final String region;
        final String zone;
        final int port;
        volatile HttpServer server;
        volatile Duration delay = Duration.ZERO;
        volatile int status = 200;

        Instance(String id, String region, String zone, HttpServer server) {
            this.id = id;
            this.region = region;
            this.zone = zone;
            this.server = server;
            this.port = server.getAddress().getPort();
        }

        /** Accepts connections and answers at once with 200. */
        boolean healthy() {
            return server != null && delay.isZero() && status == 200;
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

    private final Map<String, Instance> instances = new LinkedHashMap<>();
    /**
     * Each instance's own request threads, as each server has its own capacity: a slow instance holding
     * its threads (a comparison drill sends it two callers' retries) must not stop the others answering.
     */
    private final Map<String, ExecutorService> handlers = new LinkedHashMap<>();

    /** @param scenario how many regions, zones and instances */
    public UpstreamFleet(Scenario scenario) {
        for (String zone : scenario.zones()) {
            String region = scenario.regionOf(zone);
            for (int i = 0; i < scenario.zoneSizes().get(zone); i++) {
                String id = zone + "-" + i;
                handlers.put(id, new ThreadPoolExecutor(4, 512, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "upstream-" + id);
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

    private static void answer(HttpExchange exchange, Instance instance) throws IOException {
        try (exchange) {
            Duration delay = instance.delay;
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay.toMillis()); // the fault being simulated: a slow instance
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] body = (instance.id + " " + instance.zone + " " + instance.region).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(instance.status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** @return every instance, zone by zone */
    public List<Instance> instances() {
        return new ArrayList<>(instances.values());
    }

    /**
     * Applies an action to the instances it targets.
     *
     * @param action refuse, slow, status or heal
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
                case HEAL:
                    i.delay = Duration.ZERO;
                    i.status = 200;
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
            if (i.server != null) {
                i.server.stop(0);
            }
        });
        handlers.values().forEach(ExecutorService::shutdownNow);
    }
}
