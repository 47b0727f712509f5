package dev.meshless.sample.plain;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stand-ins for the called service, {@code inventory}: two instances per zone, each a JDK HTTP
 * server on 127.0.0.1 and an ephemeral port, answering {@code GET /stock/<sku>} with a line of JSON
 * that names the zone that answered. {@link #stopZone} closes a zone's ports, so that calls to it
 * are refused, as when a zone goes down.
 *
 * <p>Not part of what you copy: in real life these are your service's instances.
 */
final class InventoryServers implements AutoCloseable {

    /** One instance: its name ({@code <zone>-<n>}), where it runs and its server. */
    private record Instance(String name, Locality locality, HttpServer server) { }

    private final List<Instance> instances = new ArrayList<>();

    /**
     * @param zones the zones to start two instances in
     * @return the running instances
     * @throws IOException when a server cannot start
     */
    static InventoryServers start(Locality... zones) throws IOException {
        InventoryServers servers = new InventoryServers();
        try {
            for (Locality zone : zones) {
                for (int n = 0; n < 2; n++) {
                    servers.instances.add(startInstance(zone.zone() + "-" + n, zone));
                }
            }
        } catch (IOException | RuntimeException e) {
            servers.close();
            throw e;
        }
        return servers;
    }

    private static Instance startInstance(String name, Locality locality) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/stock/", exchange -> answer(exchange, name, locality));
        server.start();
        return new Instance(name, locality, server);
    }

    private static void answer(HttpExchange exchange, String name, Locality locality) throws IOException {
        String sku = exchange.getRequestURI().getPath().substring("/stock/".length());
        byte[] body = ("{\"sku\":\"" + sku + "\",\"available\":7,\"zone\":\"" + locality.zone()
                + "\",\"instance\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** @return every instance as a registry endpoint of {@code inventory}: id, address, locality */
    List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Instance i : instances) {
            endpoints.add(Endpoint.builder("inventory", i.name())
                    .address("127.0.0.1", i.server().getAddress().getPort())
                    .locality(i.locality())
                    .build());
        }
        return endpoints;
    }

    /** @param zone a zone whose instances stop: their ports close and connections are refused */
    void stopZone(String zone) {
        instances.stream().filter(i -> i.locality().zone().equals(zone)).forEach(i -> i.server().stop(0));
    }

    /** Stops every instance. */
    @Override
    public void close() {
        instances.forEach(i -> i.server().stop(0));
    }
}
