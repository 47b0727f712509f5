package dev.meshless.spring.boot.cloud.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WireMock backends of one service on 127.0.0.1 ephemeral ports, each answering {@code GET /who}
 * with its own name, declared by name, region and zone. Renders them as Meshless static endpoints
 * or as Spring Cloud simple discovery instances. Close to stop them all.
 */
public final class Backends implements AutoCloseable {

    /** The path every backend answers with its name. */
    public static final String WHO = "/who";

    private final String service;
    private final Map<String, Backend> byName = new LinkedHashMap<>();

    /** @param service the service the backends belong to */
    public Backends(String service) {
        this.service = service;
    }

    /**
     * Starts a backend.
     *
     * @param name its name, the body it answers with, and its endpoint id
     * @param region its region
     * @param zone its zone
     * @return this
     */
    public Backends start(String name, String region, String zone) {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(8).jettyAcceptors(1).jettyStopTimeout(0L).stubRequestLoggingDisabled(true));
        server.start();
        server.stubFor(get(urlEqualTo(WHO)).willReturn(aResponse().withStatus(200).withBody(name)));
        byName.put(name, new Backend(name, region, zone, server));
        return this;
    }

    /**
     * Makes a backend answer {@code GET /who} with a status and no body.
     *
     * @param name the backend
     * @param status the status
     */
    public void answer(String name, int status) {
        byName.get(name).server.stubFor(get(urlEqualTo(WHO)).willReturn(aResponse().withStatus(status)));
    }

    /** @param names backends to stop: their port then refuses connections */
    public void stop(String... names) {
        for (String name : names) {
            byName.get(name).server.stop();
        }
    }

    /**
     * @param name a backend
     * @return its port
     */
    public int port(String name) {
        return byName.get(name).port;
    }

    /**
     * @param name a backend
     * @return the requests it received for {@code GET /who}
     */
    public int hits(String name) {
        return byName.get(name).server.countRequestsMatching(getRequestedFor(urlEqualTo(WHO)).build()).getCount();
    }

    /** @return the backends as {@code meshless.registry.endpoints.<service>[i].*} properties (id = name) */
    public List<String> asStaticEndpoints() {
        List<String> properties = new ArrayList<>();
        int i = 0;
        for (Backend b : byName.values()) {
            String prefix = "meshless.registry.endpoints." + service + "[" + i++ + "].";
            properties.add(prefix + "id=" + b.name);
            properties.add(prefix + "host=127.0.0.1");
            properties.add(prefix + "port=" + b.port);
            properties.add(prefix + "region=" + b.region);
            properties.add(prefix + "zone=" + b.zone);
        }
        return properties;
    }

    /**
     * @return the backends as {@code spring.cloud.discovery.client.simple.instances.<service>[i].*}
     *     properties, with zone and region metadata (instance id = name)
     */
    public List<String> asSimpleDiscoveryInstances() {
        List<String> properties = new ArrayList<>();
        int i = 0;
        for (Backend b : byName.values()) {
            String prefix = "spring.cloud.discovery.client.simple.instances." + service + "[" + i++ + "].";
            properties.add(prefix + "instance-id=" + b.name);
            properties.add(prefix + "uri=http://127.0.0.1:" + b.port);
            properties.add(prefix + "metadata.zone=" + b.zone);
            properties.add(prefix + "metadata.region=" + b.region);
        }
        return properties;
    }

    @Override
    public void close() {
        for (Backend b : byName.values()) {
            if (b.server.isRunning()) {
                b.server.stop();
            }
        }
    }

    private static final class Backend {
        final String name;
        final String region;
        final String zone;
        final WireMockServer server;
        final int port;

        Backend(String name, String region, String zone, WireMockServer server) {
            this.name = name;
            this.region = region;
            this.zone = zone;
            this.server = server;
            this.port = server.port();
        }
    }
}
