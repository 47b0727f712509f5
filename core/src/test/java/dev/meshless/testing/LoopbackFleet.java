package dev.meshless.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.topology.Endpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real HTTP backends on loopback: one WireMock server per endpoint, 2 regions × 3 zones × 2
 * instances (ids {@code r1-a-0} … {@code r2-c-1}), each answering {@code GET /work} with its id.
 * Faults are per endpoint: stop accepting connections, answer an error status, answer slowly.
 * Servers bind 127.0.0.1 on ephemeral ports; {@link #close()} stops them all.
 */
public final class LoopbackFleet implements AutoCloseable {

    public static final String SERVICE = "inventory";

    private final Map<String, WireMockServer> servers = new LinkedHashMap<>();
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

    public LoopbackFleet() {
        for (String region : List.of("r1", "r2")) {
            for (String z : List.of("a", "b", "c")) {
                String zone = region + "-" + z;
                for (int i = 0; i < 2; i++) {
                    String id = zone + "-" + i;
                    WireMockServer server = start(0);
                    servers.put(id, server);
                    healthy(id, server);
                    endpoints.put(id, Endpoint.builder(SERVICE, id).address("127.0.0.1", server.port())
                            .locality(region, zone).build());
                }
            }
        }
    }

    private static WireMockServer start(int port) {
        WireMockServer server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .port(port)
                .containerThreads(12)
                .jettyAcceptors(1)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(2)
                .disableRequestJournal());
        server.start();
        return server;
    }

    private static void healthy(String id, WireMockServer server) {
        server.resetMappings(); // no fault left on the probe path either (it answers 404, which passes)
        server.stubFor(get(urlEqualTo("/work")).willReturn(aResponse().withStatus(200).withBody(id)));
    }

    /** Sends {@code rounds} GETs to every endpoint, outside any measurement. */
    public void warmUp(int rounds) throws java.io.IOException, InterruptedException {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        for (int r = 0; r < rounds; r++) {
            for (Endpoint e : endpoints.values()) {
                http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://" + e.address() + "/work")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
            }
        }
    }

    /** @return a registry holding the twelve endpoints */
    public StaticRegistry registry() {
        return StaticRegistry.of(new ArrayList<>(endpoints.values()));
    }

    /** @return ids of the endpoints of a zone, e.g. {@code r1-a} */
    public List<String> zone(String zone) {
        List<String> ids = new ArrayList<>();
        endpoints.keySet().stream().filter(id -> id.startsWith(zone + "-")).forEach(ids::add);
        return ids;
    }

    /** @return ids of the endpoints of a region, e.g. {@code r1} */
    public List<String> region(String region) {
        return zone(region);
    }

    /** @return every endpoint id */
    public List<String> all() {
        return new ArrayList<>(endpoints.keySet());
    }

    /** Stops the endpoints' servers: their ports refuse connections. */
    public void refuseConnections(List<String> ids) {
        ids.forEach(id -> servers.get(id).stop());
    }

    /** Starts the endpoints' servers again on their ports, healthy. */
    public void acceptConnections(List<String> ids) {
        for (String id : ids) {
            WireMockServer old = servers.get(id);
            if (!old.isRunning()) {
                WireMockServer server = start(endpoints.get(id).port());
                healthy(id, server);
                servers.put(id, server);
            }
        }
    }

    /** Makes the endpoints answer every call with the status. */
    public void answer(List<String> ids, int status) {
        // Everything: /work and "/", the active health checks' default path, as a broken server would.
        ids.forEach(id -> {
            servers.get(id).stubFor(get(urlEqualTo("/work")).willReturn(aResponse().withStatus(status).withBody(id)));
            servers.get(id).stubFor(get(urlEqualTo("/")).willReturn(aResponse().withStatus(status).withBody(id)));
        });
    }

    /** Makes the endpoints answer after a delay. */
    public void slow(List<String> ids, int delayMillis) {
        ids.forEach(id -> servers.get(id).stubFor(get(urlEqualTo("/work"))
                .willReturn(aResponse().withStatus(200).withBody(id).withFixedDelay(delayMillis))));
    }

    /** Makes the endpoints healthy again (status and delay). */
    public void heal(List<String> ids) {
        ids.forEach(id -> healthy(id, servers.get(id)));
    }

    @Override
    public void close() {
        servers.values().forEach(s -> {
            if (s.isRunning()) {
                s.stop();
            }
        });
    }
}
