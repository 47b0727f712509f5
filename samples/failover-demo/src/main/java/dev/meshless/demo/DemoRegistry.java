package dev.meshless.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The demo's service registry: a small HTTP server listing each upstream service's instances with
 * their region and zone at {@code GET /services/<service>} (an empty list for a service it does not
 * know) and the services at {@code GET /services} (the part of a discovery server the caller
 * needs). It can go down and come back, as a control plane does in an outage.
 */
public final class DemoRegistry implements AutoCloseable {

    private final Map<String, List<UpstreamFleet.Instance>> services;
    private final int port;
    private volatile HttpServer server;

    /** @param instances the instances of the service {@value Scenario#DEFAULT_SERVICE} */
    public DemoRegistry(List<UpstreamFleet.Instance> instances) {
        this(Map.of(Scenario.DEFAULT_SERVICE, instances));
    }

    /** @param services each service's instances */
    public DemoRegistry(Map<String, List<UpstreamFleet.Instance>> services) {
        Map<String, List<UpstreamFleet.Instance>> copy = new LinkedHashMap<>();
        services.forEach((name, instances) -> copy.put(name, List.copyOf(instances)));
        this.services = Collections.unmodifiableMap(copy);
        this.server = start(0);
        this.port = server.getAddress().getPort();
    }

    private HttpServer start(int onPort) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 64);
            s.createContext("/services", exchange -> {
                try (exchange) {
                    String path = exchange.getRequestURI().getPath();
                    String name = path.startsWith("/services/") ? path.substring("/services/".length()) : null;
                    byte[] body = (name == null ? names() : json(services.getOrDefault(name, List.of())))
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the demo registry on port " + onPort, e);
        }
    }

    private String names() {
        StringJoiner list = new StringJoiner(",", "[", "]");
        services.keySet().forEach(name -> list.add("\"" + name + "\""));
        return list.toString();
    }

    private static String json(List<UpstreamFleet.Instance> instances) {
        StringJoiner list = new StringJoiner(",", "[", "]");
        for (UpstreamFleet.Instance i : instances) {
            list.add("{\"id\":\"" + i.id() + "\",\"host\":\"127.0.0.1\",\"port\":" + i.port() + ",\"region\":\""
                    + i.region() + "\",\"zone\":\"" + i.zone() + "\"}");
        }
        return list.toString();
    }

    /** @return the registry's base URL */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** @param up whether the registry answers */
    public synchronized void setUp(boolean up) {
        if (up && server == null) {
            server = start(port);
        } else if (!up && server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public synchronized void close() {
        setUp(false);
    }
}
