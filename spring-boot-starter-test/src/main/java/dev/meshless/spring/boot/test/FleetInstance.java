package dev.meshless.spring.boot.test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meshless.topology.Endpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance of a {@link ZoneFleet}'s service: a JDK HTTP server on 127.0.0.1 in a zone, which
 * keeps its port when it stops and listens again. Its faults are set through the fleet.
 *
 * <p>Thread-safe: the fleet starts, stops and sets faults under its own lock; handler threads read
 * the fault and count requests.
 */
public final class FleetInstance {

    private static final String LOOPBACK = "127.0.0.1";

    private final String id;
    private final String service;
    private final String region;
    private final String zone;
    private final FleetResponder responder;
    private final AtomicInteger requests = new AtomicInteger();
    /** Written by the fleet: 0 until first started, then kept across stops. */
    private volatile int port;
    /** Written by the fleet: the running server, null while refusing connections. */
    private volatile HttpServer server;
    /** Written by the fleet, read by handler threads. */
    private volatile Fault fault = Fault.NONE;

    /** What an instance does besides answering: wait, or answer a status instead (0: the responder's). */
    record Fault(Duration delay, int status) {
        static final Fault NONE = new Fault(Duration.ZERO, 0);
    }

    FleetInstance(String id, String service, String region, String zone, FleetResponder responder) {
        this.id = id;
        this.service = service;
        this.region = region;
        this.zone = zone;
        this.responder = responder;
    }

    /** @return its id, {@code <zone>-<n>}, e.g. {@code eu-west-1a-0} */
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

    /** @return its port on 127.0.0.1, or 0 before the fleet started */
    public int port() {
        return port;
    }

    /** @return whether it accepts connections now */
    public boolean accepting() {
        return server != null;
    }

    /** @return the requests it received since it started or since its count was reset */
    public int requests() {
        return requests.get();
    }

    /**
     * @return it as a Meshless endpoint of the fleet's service: its id, 127.0.0.1 and its port,
     *     its region and zone
     * @throws IllegalStateException before the fleet started
     */
    public Endpoint endpoint() {
        if (port == 0) {
            throw new IllegalStateException(id + " of " + service + " has no port yet: start the fleet first");
        }
        return Endpoint.builder(service, id).address(LOOPBACK, port).locality(region, zone).build();
    }

    @Override
    public String toString() {
        return id + " (" + region + "/" + zone + ", " + LOOPBACK + ":" + port + ")";
    }

    boolean matches(String target) {
        return id.equals(target) || zone.equals(target) || region.equals(target);
    }

    Fault fault() {
        return fault;
    }

    void fault(Fault next) {
        fault = next;
    }

    void resetRequests() {
        requests.set(0);
    }

    /** Listens on its port (an ephemeral one the first time) unless it already does. */
    void listen(Executor handlers) {
        if (server != null) {
            return;
        }
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(LOOPBACK, port), 64);
            s.setExecutor(handlers);
            s.createContext("/", this::answer);
            s.start();
            port = s.getAddress().getPort();
            server = s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + LOOPBACK + ":" + port + " for " + this, e);
        }
    }

    /** Stops listening and closes its connections: its port refuses connections. */
    void stop() {
        HttpServer running = server;
        if (running != null) {
            server = null;
            running.stop(0);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            FleetRequest request = new FleetRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Fault now = fault;
            if (!now.delay().isZero()) {
                try {
                    Thread.sleep(now.delay().toMillis()); // the fault being simulated: a slow instance
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            FleetResponse response = now.status() != 0
                    ? FleetResponse.text(id + " in " + zone + " is failing").withStatus(now.status())
                    : respond(request);
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            if (response.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", response.contentType());
            }
            boolean none = body.length == 0 || request.method().equals("HEAD");
            exchange.sendResponseHeaders(response.status(), none ? -1 : body.length);
            if (!none) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** @return the responder's answer, or a 500 naming its exception */
    private FleetResponse respond(FleetRequest request) {
        try {
            return Objects.requireNonNull(responder.respond(request, this), "the responder's answer");
        } catch (RuntimeException e) {
            return FleetResponse.text("ZoneFleet responder failed: " + e).withStatus(500);
        }
    }
}
