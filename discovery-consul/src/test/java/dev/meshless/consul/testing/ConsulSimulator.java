package dev.meshless.consul.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Consul agent on the JDK's {@link HttpServer} (127.0.0.1, ephemeral port) in front of one or more
 * WAN-federated {@link SimDatacenter}s; the first is the agent's own. It serves the endpoints Meshless
 * uses in the shapes real agents send ({@link SimJson}), with blocking queries that wake on change or
 * after {@code wait}, {@code passing}, {@code dc}, {@code peer}, {@code ns}, {@code filter} (on
 * {@code Service.Meta} / {@code Node.Meta}), agent registration with TTL checks that expire, and the
 * catalog write API tests use to change state.
 *
 * <p>Answers carry the headers of {@code setMeta} in hashicorp/consul's agent/http.go
 * ({@code X-Consul-Index} never 0, {@code X-Consul-KnownLeader}, {@code X-Consul-LastContact},
 * {@code X-Consul-Query-Backend}, {@code X-Consul-Results-Filtered-By-ACLs} only when true,
 * {@code X-Consul-Translate-Addresses} only when the agent translates), are gzipped for clients that
 * accept it once they reach 1400 bytes ({@code gziphandler.DefaultMinSize}, the wrapper of every
 * endpoint in agent/http.go), and fail as agents fail: 500 "No path to datacenter" for an unknown or
 * unreachable datacenter, 500 for a filter that does not compile, 403 for a token it does not know,
 * 429 past {@code limits.http_max_conns_per_client}.
 *
 * <p>Switches make it misbehave: errors, garbage, slow answers, forced (backwards or zero) indexes,
 * empty answers, partitioned datacenters, a required ACL token, ACL-filtered answers, a lost leader,
 * the streaming backend, address translation, a connection limit, older agents' TTL errors, a
 * datacenter list that changes order or loses a member, and going down and up on the same port.
 * Every request is recorded.
 */
public final class ConsulSimulator implements AutoCloseable {

    /** One request as received. */
    public record Request(String method, String path, Map<String, String> query, String token, long nanos,
            Map<String, String> headers) {
        /** @return the datacenter asked ({@code dc}), or null */
        public String dc() {
            return query.get("dc");
        }

        /** @return the value of a request header (case-insensitive name), or null */
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** gziphandler.DefaultMinSize: smaller answers are not compressed. */
    private static final int GZIP_MIN_SIZE = 1400;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        // Like Consul (Go), answer without Nagle's delay; read once, when the first server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final Map<String, SimDatacenter> datacenters = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, SimDatacenter> peers = new ConcurrentHashMap<>();
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
    private volatile boolean legacyCheckErrors;
    private volatile boolean streaming;
    private volatile boolean translateWanAddrs;
    private volatile List<String> datacenterOrder;
    private volatile Semaphore connections;
    private final Deque<Long> forcedIndexes = new ArrayDeque<>();
    private final Map<String, Integer> emptyAnswers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> partitioned = new ConcurrentHashMap<>();
    private final Map<String, Duration> slowDatacenters = new ConcurrentHashMap<>();
    private final Map<String, Long> leaderless = new ConcurrentHashMap<>();
    private final Set<String> hiddenByAcl = ConcurrentHashMap.newKeySet();

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

    /**
     * @param name a cluster peer of the agent's cluster
     * @return the services it exported to this cluster ({@code ?peer=<name>}), created on first use
     */
    public SimDatacenter peer(String name) {
        return peers.computeIfAbsent(name, n -> new SimDatacenter(local, n));
    }

    private List<SimDatacenter> all() {
        List<SimDatacenter> all;
        synchronized (datacenters) {
            all = new ArrayList<>(datacenters.values());
        }
        all.addAll(peers.values());
        return all;
    }

    /** Federates one more datacenter (it appears in {@code /v1/catalog/datacenters} from now on). */
    public void addDatacenter(String name) {
        datacenters.putIfAbsent(name, new SimDatacenter(name));
    }

    /**
     * {@code /v1/catalog/datacenters} lists these, in this order, instead of every federated one: the
     * agent sorts them by round-trip time (GetDatacentersByDistance, agent/router/router.go), so the order
     * changes, and a datacenter whose servers all left is not listed; null lists every one again.
     */
    public void listDatacenters(String... names) {
        datacenterOrder = names == null ? null : List.of(names);
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

    /**
     * The token lacks {@code service:read} on this service, or {@code node:read} on this node: the
     * instances it covers are left out of answers, which then carry
     * {@code X-Consul-Results-Filtered-By-ACLs: true} (aclFilter.filterCheckServiceNodes,
     * agent/consul/acl_filter.go, which needs both permissions per entry).
     */
    public void hideByAcl(String serviceOrNode, boolean hidden) {
        if (hidden) {
            hiddenByAcl.add(serviceOrNode);
        } else {
            hiddenByAcl.remove(serviceOrNode);
        }
    }

    /**
     * The servers of the datacenter lost their leader {@code lastContactMillis} ago: stale answers say
     * {@code X-Consul-KnownLeader: false} with that {@code X-Consul-LastContact}; -1 restores the leader.
     */
    public void leaderless(String datacenter, long lastContactMillis) {
        if (lastContactMillis < 0) {
            leaderless.remove(datacenter);
        } else {
            leaderless.put(datacenter, lastContactMillis);
        }
    }

    /**
     * Blocking health queries are served by the streaming backend (use_streaming_backend): their answers
     * say {@code X-Consul-Query-Backend: streaming} and carry {@code KnownLeader} false and
     * {@code LastContact} 0 whatever the servers' state (HealthView.Result, agent/rpcclient/health/view.go).
     */
    public void streamingBackend(boolean on) {
        streaming = on;
    }

    /**
     * translate_wan_addrs: answers for other datacenters carry the addresses Agent.TranslateAddresses
     * (agent/translate_addr.go) picks, and every answer says {@code X-Consul-Translate-Addresses: true}.
     */
    public void translateWanAddrs(boolean on) {
        translateWanAddrs = on;
    }

    /** TTL updates for unknown checks answer 500, as agents before Consul 1.11 did, instead of 404. */
    public void legacyCheckErrors(boolean on) {
        legacyCheckErrors = on;
    }

    boolean legacyCheckErrors() {
        return legacyCheckErrors;
    }

    /**
     * limits.http_max_conns_per_client: a request beyond this many at once answers 429 (the connlimit
     * handler of agent/agent.go); 0 removes the limit.
     */
    public void maxConnsPerClient(int max) {
        connections = max <= 0 ? null : new Semaphore(max);
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
        leaderless.clear();
        hiddenByAcl.clear();
        datacenterOrder = null;
        connections = null;
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
        Semaphore limit = connections;
        if (limit != null && !limit.tryAcquire()) {
            try (ex) {
                reply(ex, 429, "Your IP is issuing too many concurrent connections, please rate limit your calls\n",
                        -1);
            }
            return;
        }
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            String token = ex.getRequestHeaders().getFirst("X-Consul-Token");
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT),
                    String.join(",", v)));
            requests.add(new Request(ex.getRequestMethod(), path, query, token, System.nanoTime(), headers));
            byte[] body = ex.getRequestBody().readAllBytes();
            if (!slow.isZero()) {
                Thread.sleep(slow.toMillis());
            }
            if (requiredToken != null && !requiredToken.equals(token)) {
                reply(ex, 403, "ACL not found", -1);
                return;
            }
            if (translateWanAddrs) {
                ex.getResponseHeaders().set("X-Consul-Translate-Addresses", "true");
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
        } finally {
            if (limit != null) {
                limit.release();
            }
        }
    }

    private void route(HttpExchange ex, String path, Map<String, String> query, String dc, byte[] body)
            throws IOException, InterruptedException {
        String method = ex.getRequestMethod();
        if (method.equals("GET") && path.equals("/v1/catalog/datacenters")) {
            List<String> names = datacenterOrder;
            if (names == null) {
                synchronized (datacenters) {
                    names = List.copyOf(datacenters.keySet());
                }
            }
            reply(ex, 200, JSON.writeValueAsString(names), -1);
        } else if (method.equals("GET") && path.equals("/v1/catalog/services")) {
            reply(ex, 200, JSON.writeValueAsString(dc(dc).catalog()), dc(dc).index());
        } else if (method.equals("GET") && path.startsWith("/v1/health/service/")) {
            String peer = query.get("peer");
            health(ex, path.substring("/v1/health/service/".length()), query, peer == null ? dc(dc) : peer(peer));
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
        boolean filtered = false;
        Integer empty = emptyAnswers.computeIfPresent(dc.name(), (k, n) -> n - 1);
        if (empty == null || empty < 0) {
            boolean passing = query.containsKey("passing") && !"false".equals(query.get("passing"));
            String namespace = query.getOrDefault("ns", "default");
            try {
                for (SimDatacenter.Entry e : dc.health(service, SimJson.filter(query.get("filter"))
                        .and(e -> !passing || SimJson.passing(e))
                        .and(e -> namespace.equals("*") || namespace.equals(e.service().namespaceOrDefault())))) {
                    if (hiddenByAcl.contains(e.service().name()) || hiddenByAcl.contains(e.node().name())) {
                        filtered = true;
                        continue;
                    }
                    entries.add(SimJson.entry(dc, translated(e, dc)));
                }
            } catch (IllegalArgumentException bad) {
                // A filter error reaches the HTTP handler as a plain error: 500 (wrap, agent/http.go).
                reply(ex, 500, bad.getMessage(), -1);
                return;
            }
        }
        boolean stale = query.containsKey("stale") || query.containsKey("max_stale");
        boolean streamed = streaming && index > 0;
        Long lostLeader = leaderless.get(dc.name());
        ex.getResponseHeaders().set("X-Consul-Query-Backend", streamed ? "streaming" : "blocking-query");
        ex.getResponseHeaders().set("X-Consul-KnownLeader", String.valueOf(!streamed && lostLeader == null));
        ex.getResponseHeaders().set("X-Consul-LastContact", streamed || !stale || lostLeader == null ? "0"
                : Long.toString(lostLeader));
        if (filtered) {
            ex.getResponseHeaders().set("X-Consul-Results-Filtered-By-ACLs", "true");
        }
        // Without stale, or with an answer older than max_stale (which the agent then asks the leader
        // again, agent/health_endpoint.go), a datacenter without a leader cannot answer.
        long maxStale = query.containsKey("max_stale") ? goDuration(query.get("max_stale")).toMillis() : Long.MAX_VALUE;
        if (lostLeader != null && !streamed && (!stale || lostLeader > maxStale)) {
            reply(ex, 500, "No cluster leader", -1);
            return;
        }
        reply(ex, 200, JSON.writeValueAsString(entries), answerIndex);
    }

    /** Agent.TranslateAddresses (agent/translate_addr.go) with TranslateAddressAcceptAny, for other datacenters. */
    private SimDatacenter.Entry translated(SimDatacenter.Entry e, SimDatacenter dc) {
        if (!translateWanAddrs || dc.name().equals(local) || dc.peer() != null) {
            return e;
        }
        SimDatacenter.Node n = e.node();
        Map<String, String> nt = n.taggedAddresses();
        String nodeAddress = pick(nt.getOrDefault("wan", n.address()),
                nt.getOrDefault("wan_ipv4", nt.get("lan_ipv4")), nt.getOrDefault("wan_ipv6", nt.get("lan_ipv6")));
        SimDatacenter.Service s = e.service();
        Map<String, SimDatacenter.TaggedAddress> st = s.taggedAddresses();
        String address = pick(st.containsKey("wan") ? st.get("wan").address() : s.address(),
                tagged(st, "wan_ipv4", "lan_ipv4"), tagged(st, "wan_ipv6", "lan_ipv6"));
        int port = st.containsKey("wan") && st.get("wan").port() != 0 ? st.get("wan").port() : s.port();
        return new SimDatacenter.Entry(new SimDatacenter.Node(n.name(), nodeAddress, n.meta(), nt, n.localityRegion(),
                n.localityZone(), n.partition(), n.createIndex()), new SimDatacenter.Service(s.node(), s.id(),
                s.name(), address, port, s.tags(), s.meta(), st, s.weightPassing(), s.weightWarning(),
                s.localityRegion(), s.localityZone(), s.namespace(), s.partition(), s.createIndex(), s.modifyIndex()),
                e.checks());
    }

    private static String tagged(Map<String, SimDatacenter.TaggedAddress> tagged, String wan, String lan) {
        SimDatacenter.TaggedAddress t = tagged.containsKey(wan) ? tagged.get(wan) : tagged.get(lan);
        return t == null ? null : t.address();
    }

    /** translateAddressAccept with every kind accepted: IPv6, then IPv4, then the default. */
    private static String pick(String def, String v4, String v6) {
        return v6 != null && !v6.isEmpty() ? v6 : v4 != null && !v4.isEmpty() ? v4 : def;
    }

    private void reply(HttpExchange ex, int status, String body, long index) {
        try {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "text/plain");
            if (index >= 0) {
                // setIndex (agent/http.go) never answers 0, so that blocking clients do not busy-loop.
                ex.getResponseHeaders().set("X-Consul-Index", Long.toString(Math.max(1, index)));
                ex.getResponseHeaders().putIfAbsent("X-Consul-KnownLeader", List.of("true"));
                ex.getResponseHeaders().putIfAbsent("X-Consul-LastContact", List.of("0"));
            }
            String accepts = ex.getRequestHeaders().getFirst("Accept-Encoding");
            if (bytes.length >= GZIP_MIN_SIZE && accepts != null && accepts.contains("gzip")) {
                ByteArrayOutputStream zipped = new ByteArrayOutputStream();
                try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
                    gzip.write(bytes);
                }
                bytes = zipped.toByteArray();
                ex.getResponseHeaders().set("Content-Encoding", "gzip");
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
