package dev.meshless.spring.boot.http;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WireMock servers on 127.0.0.1, on ephemeral ports, acting as the endpoints of one service: two in
 * zone r1-a (the caller's) and two in zone r1-b of region r1. {@link #properties()} describes them
 * to Meshless as static endpoints, with the caller in r1-a. Stopping a zone closes its ports, so
 * that calls to it are refused. Used by the HTTP client and {@code @ZoneAware} tests.
 */
public final class ZoneBackends implements AutoCloseable {

    /** The caller's zone. */
    public static final String ZONE_A = "r1-a";
    /** The other zone of the caller's region. */
    public static final String ZONE_B = "r1-b";

    private final String service;
    private final Map<String, List<WireMockServer>> zones = new LinkedHashMap<>();
    /** Ports by server, kept because a stopped server no longer tells its port. */
    private final Map<WireMockServer, Integer> ports = new java.util.IdentityHashMap<>();

    private ZoneBackends(String service) {
        this.service = service;
    }

    /**
     * @param service the service the servers stand for
     * @return four running servers, two per zone
     */
    public static ZoneBackends start(String service) {
        ZoneBackends backends = new ZoneBackends(service);
        try {
            for (String zone : List.of(ZONE_A, ZONE_B)) {
                List<WireMockServer> servers = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                            .containerThreads(12).jettyAcceptors(1));
                    server.start();
                    servers.add(server);
                    backends.ports.put(server, server.port());
                }
                backends.zones.put(zone, servers);
            }
        } catch (RuntimeException e) {
            backends.close();
            throw e;
        }
        return backends;
    }

    /**
     * @param service the service the servers stand for
     * @param stub what every server answers
     * @return four running servers, two per zone, answering with the stub
     */
    public static ZoneBackends answering(String service, MappingBuilder stub) {
        ZoneBackends backends = start(service);
        backends.stubAll(stub);
        return backends;
    }

    /** @return the service's name */
    public String service() {
        return service;
    }

    /**
     * @return Meshless properties: the caller in r1/r1-a and the four servers as static endpoints
     *     of the service
     */
    public String[] properties() {
        return properties(List.of(service));
    }

    /**
     * @param services services the servers stand for, each with its own balancer, breakers and
     *     outlier detection
     * @return Meshless properties: the caller in r1/r1-a and the four servers as static endpoints
     *     of every one of the services
     */
    public String[] properties(List<String> services) {
        List<String> p = new ArrayList<>(List.of("meshless.locality.region=r1", "meshless.locality.zone=" + ZONE_A));
        for (String name : services) {
            int i = 0;
            for (Map.Entry<String, List<WireMockServer>> zone : zones.entrySet()) {
                for (WireMockServer server : zone.getValue()) {
                    String prefix = "meshless.registry.endpoints." + name + "[" + i++ + "].";
                    p.add(prefix + "host=127.0.0.1");
                    p.add(prefix + "port=" + ports.get(server));
                    p.add(prefix + "region=r1");
                    p.add(prefix + "zone=" + zone.getKey());
                }
            }
        }
        return p.toArray(String[]::new);
    }

    /**
     * @param zone {@link #ZONE_A} or {@link #ZONE_B}
     * @return its servers
     */
    public List<WireMockServer> zone(String zone) {
        return zones.get(zone);
    }

    /** @param stub a stub every server answers with */
    public void stubAll(MappingBuilder stub) {
        zones.values().forEach(servers -> servers.forEach(s -> s.stubFor(stub)));
    }

    /**
     * @param zone the zone
     * @param stub a stub the zone's servers answer with (it wins over earlier stubs)
     */
    public void stubZone(String zone, MappingBuilder stub) {
        zones.get(zone).forEach(s -> s.stubFor(stub));
    }

    /** @param zone the zone whose servers stop: its ports refuse connections */
    public void stopZone(String zone) {
        zones.get(zone).forEach(WireMockServer::stop);
    }

    /**
     * @param zone the zone
     * @param request the requests to count
     * @return how many its running servers received
     */
    public int requests(String zone, RequestPatternBuilder request) {
        return zones.get(zone).stream().filter(WireMockServer::isRunning)
                .mapToInt(s -> s.countRequestsMatching(request.build()).getCount()).sum();
    }

    /**
     * @param zone the zone
     * @return the port of its first server
     */
    public int port(String zone) {
        return ports.get(zones.get(zone).get(0));
    }

    @Override
    public void close() {
        zones.values().forEach(servers -> servers.forEach(s -> {
            if (s.isRunning()) {
                s.stop();
            }
        }));
    }
}
