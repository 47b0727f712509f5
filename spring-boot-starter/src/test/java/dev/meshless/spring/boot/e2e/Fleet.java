package dev.meshless.spring.boot.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Twelve WireMock servers on 127.0.0.1 (ephemeral ports): 2 regions × 3 zones × 2 instances, ids
 * {@code r1-a-0} … {@code r2-c-1}, each answering any request with its id. A zone can stop
 * accepting connections and come back on the same ports.
 */
final class Fleet implements AutoCloseable {

    private final Map<String, WireMockServer> servers = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();

    Fleet() {
        for (String region : List.of("r1", "r2")) {
            for (String z : List.of("a", "b", "c")) {
                for (int i = 0; i < 2; i++) {
                    String id = region + "-" + z + "-" + i;
                    WireMockServer server = start(id, 0);
                    servers.put(id, server);
                    ports.put(id, server.port());
                }
            }
        }
    }

    private static WireMockServer start(String id, int port) {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").port(port)
                .containerThreads(10).jettyAcceptors(1).disableRequestJournal());
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody(id)));
        return server;
    }

    /**
     * @param services the service names that all these servers stand for
     * @return static-registry properties declaring the twelve endpoints for each service
     */
    List<String> properties(String... services) {
        List<String> p = new ArrayList<>();
        for (String service : services) {
            int i = 0;
            for (Map.Entry<String, Integer> e : ports.entrySet()) {
                String id = e.getKey();
                String prefix = "meshless.registry.endpoints." + service + "[" + i++ + "].";
                p.add(prefix + "id=" + id);
                p.add(prefix + "host=127.0.0.1");
                p.add(prefix + "port=" + e.getValue());
                p.add(prefix + "region=" + id.substring(0, 2));
                p.add(prefix + "zone=" + id.substring(0, 4));
            }
        }
        return p;
    }

    /** Stops the zone's servers: their ports refuse connections. */
    void stop(String zone) {
        servers.forEach((id, server) -> {
            if (id.startsWith(zone + "-") && server.isRunning()) {
                server.stop();
            }
        });
    }

    /** Starts the zone's servers again, on the same ports. */
    void start(String zone) {
        servers.replaceAll((id, server) -> id.startsWith(zone + "-") && !server.isRunning()
                ? start(id, ports.get(id)) : server);
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
