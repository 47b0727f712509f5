package dev.meshless.consul.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Consul agent on the JDK's {@link HttpServer} (127.0.0.1, ephemeral port) in front of one or more
 * WAN-federated {@link SimDatacenter}s; the first is the agent's own. It serves the endpoints Meshless
 * uses, in the shapes of Consul's API docs, with blocking queries that wake on change or after
 * {@code wait}, {@code passing}, {@code dc}, {@code filter} (on {@code Service.Meta} / {@code Node.Meta}),
 * agent registration with TTL checks that expire, and the catalog write API tests use to change state.
 *
 * <p>Switches make it misbehave: errors, garbage, slow answers, forced (backwards or zero) indexes,
 * empty answers, partitioned datacenters, a required ACL token, and going down and up on the same port.
 * Every request is recorded.
 */
public final class ConsulSimulator implements AutoCloseable {

    /** One request as received. */
    public record Request(String method, String path, Map<String, String> query, String token, long nanos) {
        /** @return the datacenter asked ({@code dc}), or null */
        public String dc() {
            return query.get("dc");
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        // Like Consul (Go), answer without Nagle's delay; read once, when the first server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final Map<String, SimDatacenter> datacenters = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final String local;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ExecutorService handlers = Executors.newCachedThreadPool(daemon("consul-sim"));
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("consul-sim-ttl"));
    private final SimAgent agent;
    private HttpServer server;
    private int port;
    private volatile boolean down;

    private volatile int failStatus;
    private volatile String failBody;
    private volatile String garbage;
    private volatile Duration slow = Duration.ZERO;
    private volatile String requiredToken;
    private final Deque<Long> forcedIndexes = new ArrayDeque<>();
    private final Map<String, Integer> emptyAnswers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> partitioned = new ConcurrentHashMap<>();
    private final Map<String, Duration> slowDatacenters = new ConcurrentHashMap<>();

    private ConsulSimulator(List<String> names) {
        names.forEach(n -> datacenters.put(n, new SimDatacenter(n)));
        this.local = names.get(0);
        this.agent = new SimAgent(this);
        bind(0);
        ticker.scheduleAtFixedRate(() -> all().forEach(d -> d.expireTtls(System.nanoTime())),
                20, 20, TimeUnit.MILLISECONDS);
    }

    /**
     * @param datacenters the federated datacenters; the first is the agent's own
     * @return a running simulator
     */
    public static ConsulSimulator start(String... datacenters) {
        return new ConsulSimulator(List.of(datacenters));
    }

    /** @return {@code http://127.0.0.1:<port>} */
    public String address() {
        return "http://127.0.0.1:" + port;
    }

    /** @return the agent's own datacenter */
    public String localDatacenter() {
        return local;
    }

    /** @param name a datacenter @return its state */
    public SimDatacenter dc(String name) {
        SimDatacenter d = datacenters.get(name);
        if (d == null) {
            throw new IllegalArgumentException("no datacenter " + name);
        }
        return d;
    }

    private List<SimDatacenter> all() {
        synchronized (datacenters) {
            return List.copyOf(datacenters.values());
        }
    }

    /** Federates one more datacenter (it appears in {@code /v1/catalog/datacenters} from now on). */
    public void addDatacenter(String name) {
        datacenters.putIfAbsent(name, new SimDatacenter(name));
    }

    /** @return every request received so far */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /**
     * @param service a service
     * @param datacenter a datacenter (null: the local one)
     * @return the health queries received for it
     */
    public List<Request> healthRequests(String service, String datacenter) {
        String dc = datacenter == null ? local : datacenter;
        return requests.stream().filter(r -> r.path().equals("/v1/health/service/" + service))
                .filter(r -> dc.equals(r.dc() == null ? local : r.dc())).toList();
    }

    /** Every health query answers with this status and body. */
    public void failHealth(int status, String body) {
        failBody = body;
        failStatus = status;
    }

    /** Health queries answer 200 with this body (and a valid index). */
    public void garbage(String body) {
        garbage = body;
    }

    /** Every answer is delayed by this much. */
    public void slow(Duration delay) {
        slow = delay;
    }

    /** Health answers for one datacenter are delayed by this much (on top of {@link #slow}). */
    public void slow(String datacenter, Duration delay) {
        slowDatacenters.put(datacenter, delay);
    }

    /** The next health answers carry these {@code X-Consul-Index} values instead of the real ones. */
    public synchronized void forceIndexes(long... indexes) {
        for (long i : indexes) {
            forcedIndexes.add(i);
        }
    }

    /** The next {@code count} health answers for the datacenter list no instances. */
    public void answerEmpty(String datacenter, int count) {
        emptyAnswers.put(datacenter, count);
    }

    /** Queries for the datacenter fail as when the WAN link is cut. */
    public void partition(String datacenter, boolean cut) {
        partitioned.put(datacenter, cut);
    }

    /** Requests without this {@code X-Consul-Token} get 403; null accepts all. */
    public void requireToken(String token) {
        requiredToken = token;
    }

    /** Clears every fault switch. */
    public synchronized void heal() {
        failStatus = 0;
        garbage = null;
        slow = Duration.ZERO;
        forcedIndexes.clear();
        emptyAnswers.clear();
        partitioned.clear();
        slowDatacenters.clear();
    }

    /** Stops listening (connections are refused) and drops the requests in flight. */
    public synchronized void down() {
        down = true;
        server.stop(0);
        all().forEach(SimDatacenter::wakeAll);
    }

    /** Listens again on the same port. */
    public synchronized void up() {
        bind(port);
        down = false;
    }

    @Override
    public void close() {
        down();
        handlers.shutdownNow();
        ticker.shutdownNow();
    }

    private void bind(int onPort) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            String token = ex.getRequestHeaders().getFirst("X-Consul-Token");
            requests.add(new Request(ex.getRequestMethod(), path, query, token, System.nanoTime()));
            byte[] body = ex.getRequestBody().readAllBytes();
            if (!slow.isZero()) {
                Thread.sleep(slow.toMillis());
            }
            if (requiredToken != null && !requiredToken.equals(token)) {
                reply(ex, 403, "ACL not found", -1);
                return;
            }
            String dc = query.getOrDefault("dc", local);
            if (!datacenters.containsKey(dc) || partitioned.getOrDefault(dc, false)) {
                reply(ex, 500, "No path to datacenter", -1);
                return;
            }
            route(ex, path, query, dc, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (!down) {
                reply(ex, 500, String.valueOf(e), -1);
            }
        }
    }

    private void route(HttpExchange ex, String path, Map<String, String> query, String dc, byte[] body)
            throws IOException, InterruptedException {
        String method = ex.getRequestMethod();
        if (method.equals("GET") && path.equals("/v1/catalog/datacenters")) {
            List<String> names;
            synchronized (datacenters) {
                names = List.copyOf(datacenters.keySet());
            }
            reply(ex, 200, JSON.writeValueAsString(names), -1);
        } else if (method.equals("GET") && path.equals("/v1/catalog/services")) {
            reply(ex, 200, JSON.writeValueAsString(dc(dc).catalog()), dc(dc).index());
        } else if (method.equals("GET") && path.startsWith("/v1/health/service/")) {
            health(ex, path.substring("/v1/health/service/".length()), query, dc(dc));
        } else if (method.equals("GET") && path.equals("/v1/agent/self")) {
            reply(ex, 200, JSON.writeValueAsString(Map.of("Config", Map.of("Datacenter", local, "NodeName",
                    SimAgent.nodeName(local)))), -1);
        } else if (method.equals("PUT") && path.startsWith("/v1/")) {
            SimAgent.Result r = agent.write(path, query, body.length == 0 ? null : JSON.readTree(body));
            reply(ex, r.status(), r.body(), -1);
        } else {
            reply(ex, 404, "Invalid URL path: not a recognized HTTP API endpoint", -1);
        }
    }

    private void health(HttpExchange ex, String service, Map<String, String> query, SimDatacenter dc)
            throws IOException, InterruptedException {
        Duration delay = slowDatacenters.get(dc.name());
        if (delay != null) {
            Thread.sleep(delay.toMillis());
        }
        if (failStatus != 0) {
            reply(ex, failStatus, failBody, -1);
            return;
        }
        long index = query.containsKey("index") ? Long.parseLong(query.get("index")) : 0;
        if (index > 0) {
            Duration wait = query.containsKey("wait") ? goDuration(query.get("wait")) : Duration.ofMinutes(5);
            dc.awaitChange(service, index, wait.compareTo(Duration.ofMinutes(10)) > 0 ? Duration.ofMinutes(10) : wait);
            if (down) {
                return;
            }
        }
        long answerIndex = dc.serviceIndex(service);
        synchronized (this) {
            Long forced = forcedIndexes.poll();
            if (forced != null) {
                answerIndex = forced;
            }
        }
        if (garbage != null) {
            reply(ex, 200, garbage, answerIndex);
            return;
        }
        List<Object> entries = new ArrayList<>();
        Integer empty = emptyAnswers.computeIfPresent(dc.name(), (k, n) -> n - 1);
        if (empty == null || empty < 0) {
            boolean passing = query.containsKey("passing") && !"false".equals(query.get("passing"));
            try {
                for (SimDatacenter.Entry e : dc.health(service, SimJson.filter(query.get("filter"))
                        .and(e -> !passing || SimJson.passing(e)))) {
                    entries.add(SimJson.entry(dc.name(), e));
                }
            } catch (IllegalArgumentException bad) {
                reply(ex, 400, bad.getMessage(), -1);
                return;
            }
        }
        reply(ex, 200, JSON.writeValueAsString(entries), answerIndex);
    }

    private static void reply(HttpExchange ex, int status, String body, long index) {
        try {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "text/plain");
            if (index >= 0) {
                ex.getResponseHeaders().set("X-Consul-Index", Long.toString(index));
                ex.getResponseHeaders().set("X-Consul-KnownLeader", "true");
                ex.getResponseHeaders().set("X-Consul-LastContact", "0");
            }
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            ex.getResponseBody().write(bytes);
        } catch (IOException ignored) {
            // the client went away (closed watch, stopped server)
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            out.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Parses the single-unit Go durations clients send: {@code 300s}, {@code 1500ms}, {@code 5m}. */
    static Duration goDuration(String text) {
        String[][] units = {{"ms", "1000000"}, {"us", "1000"}, {"ns", "1"}, {"s", "1000000000"}, {"m", "60000000000"},
            {"h", "3600000000000"}};
        for (String[] u : units) {
            if (text.endsWith(u[0])) {
                return Duration.ofNanos(Long.parseLong(text.substring(0, text.length() - u[0].length()))
                        * Long.parseLong(u[1]));
            }
        }
        throw new IllegalArgumentException("bad duration " + text);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
