package dev.meshless.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.meshless.testing.TestEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The built-in probes against real sockets on 127.0.0.1 (ephemeral ports). */
class HealthProbesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI()
                    + (exchange.getRequestHeaders().containsKey(HealthProbes.PROBE_HEADER) ? "" : " (no probe header)"));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private Endpoint endpoint(int port) {
        return Endpoint.builder(TestEndpoints.SERVICE, "e1").address("127.0.0.1", port).locality("r1", "r1-a")
                .health(HealthStatus.PASSING).build();
    }

    private static ProbeResult await(HealthProbe probe, Endpoint endpoint) throws Exception {
        return probe.check(endpoint, TIMEOUT).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theDefaultHttpProbeGetsTheServiceBasePath() throws Exception {
        HealthProbe probe = HealthProbes.of(HealthCheckPolicy.defaults(), HealthProbes.sharedClient());

        assertThat(await(probe, endpoint(server.getAddress().getPort()))).isEqualTo(ProbeResult.healthy("HTTP 200"));
        assertThat(requests).containsExactly("GET /");
    }

    @Test
    void theHttpProbeFailsOn5xxAndUsesTheConfiguredPathMethodAndPort() throws Exception {
        status = 503;
        HealthCheckPolicy policy = HealthCheckPolicy.builder().path("/actuator/health/readiness").method("head")
                .port(server.getAddress().getPort()).build();
        HealthProbe probe = HealthProbes.of(policy, HealthProbes.sharedClient());

        assertThat(await(probe, endpoint(1))).isEqualTo(ProbeResult.unhealthy("HTTP 503"));
        assertThat(requests).containsExactly("HEAD /actuator/health/readiness");
    }

    @Test
    void anyAnswerBelow500But429Passes() {
        assertThat(HealthProbes.result(404)).as("a base path without a handler: the server is up")
                .isEqualTo(ProbeResult.healthy("HTTP 404"));
        assertThat(HealthProbes.result(301).healthy()).isTrue();
        assertThat(HealthProbes.result(429)).isEqualTo(ProbeResult.unhealthy("HTTP 429"));
        assertThat(HealthProbes.result(503)).isEqualTo(ProbeResult.unhealthy("HTTP 503"));
    }

    @Test
    void theTcpProbePassesWhenItConnectsAndFailsWhenRefused() throws Exception {
        HealthProbe probe = HealthProbes.tcp(null);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
            assertThat(await(probe, endpoint(closedPort))).isEqualTo(ProbeResult.healthy("connected"));
        }

        ProbeResult refused = await(probe, endpoint(closedPort));

        assertThat(refused.healthy()).isFalse();
        assertThat(refused.detail()).contains("ConnectException");
    }

    @Test
    void httpsIsUsedForSecureEndpoints() {
        Endpoint secure = endpoint(8443).toBuilder().metadata(HealthProbes.SECURE, "true").build();

        assertThat(HealthProbes.uri(secure, "/health", null)).hasToString("https://127.0.0.1:8443/health");
        assertThat(HealthProbes.uri(endpoint(8080), "/", 9000)).hasToString("http://127.0.0.1:9000/");
    }
}
