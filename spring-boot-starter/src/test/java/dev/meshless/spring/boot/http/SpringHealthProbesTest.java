package dev.meshless.spring.boot.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.meshless.call.ServiceClient;
import dev.meshless.health.HealthCheckPolicy;
import dev.meshless.health.HealthProbe;
import dev.meshless.health.HealthProbes;
import dev.meshless.health.ProbeNotSentException;
import dev.meshless.health.ProbeResult;
import dev.meshless.health.ProbeType;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.topology.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;

/**
 * The starter's health-check probes go through the application's own request factory (Spring
 * Boot's, with its TLS bundle and timeouts), read their settings from {@code application.yml}, and
 * leave TCP probes to core. A real HTTP server on an ephemeral loopback port answers.
 */
class SpringHealthProbesTest {

    private HttpServer server;
    private final List<String> served = new CopyOnWriteArrayList<>();
    private final List<URI> viaApplicationFactory = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            served.add(exchange.getRequestMethod() + " " + exchange.getRequestURI()
                    + (exchange.getRequestHeaders().containsKey(HealthProbes.PROBE_HEADER) ? "" : " (no probe header)"));
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/ready") ? 204 : 503, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    /** The application's factory, recording what it is asked to send. */
    private ClientHttpRequestFactory applicationFactory() {
        SimpleClientHttpRequestFactory real = new SimpleClientHttpRequestFactory();
        return new ClientHttpRequestFactory() {
            @Override
            public ClientHttpRequest createRequest(URI uri, HttpMethod method) throws IOException {
                viaApplicationFactory.add(uri);
                return real.createRequest(uri, method);
            }
        };
    }

    @Test
    void httpProbesUseSpringBootsHttpClientAndTheConfiguredPath() {
        int port = server.getAddress().getPort();
        HttpClientContexts.runner()
                .withPropertyValues("meshless.registry.endpoints.inventory[0].host=127.0.0.1",
                        "meshless.registry.endpoints.inventory[0].port=" + port,
                        "meshless.registry.endpoints.inventory[0].region=r1",
                        "meshless.registry.endpoints.inventory[0].zone=r1-a",
                        "meshless.services.inventory.health-check.path=/ready",
                        "meshless.defaults.health-check.interval=2s")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(SpringHealthProbes.class);
                    ServiceClient client = context.getBean(MeshlessClients.class).client("inventory");
                    HealthCheckPolicy policy = client.healthChecks().policy();
                    assertThat(policy.path()).isEqualTo("/ready");
                    assertThat(policy.interval()).isEqualTo(Duration.ofSeconds(2));
                    Endpoint endpoint = client.balancer().plan().endpoints().get(0).endpoint();
                    HealthProbe probe = context.getBean(SpringHealthProbes.class).probe("inventory", policy);

                    // A longer timeout than the policy's: the first request of a new client may be slow on a busy machine.
                    ProbeResult result = probe.check(endpoint, Duration.ofSeconds(10)).toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);

                    assertThat(result).isEqualTo(ProbeResult.healthy("HTTP 204"));
                    assertThat(served).containsExactly("GET /ready");
                });
    }

    /**
     * An endpoint that accepts connections and never answers (packets swallowed after the
     * handshake) holds each probe only until the probe's timeout, whatever HTTP library Spring Boot
     * uses, so the probe threads come free and other services' probes still pass. Probes that find
     * every thread busy are not sent (the checker counts them as nothing), never failed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jdk", "simple", "reactor"})
    void probesOfEndpointsThatNeverAnswerFailAtTheirTimeoutAndFreeTheirThreads(String factory) throws IOException {
        try (Blackhole blackhole = new Blackhole()) {
            HttpClientContexts.runner().withPropertyValues("spring.http.clients.imperative.factory=" + factory)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        SpringHealthProbes probes = context.getBean(SpringHealthProbes.class);
                        HealthCheckPolicy policy = HealthCheckPolicy.builder().path("/ready").build();
                        HealthProbe probe = probes.probe("inventory", policy);
                        Endpoint silent = Endpoint.builder("inventory", "e1").address("127.0.0.1", blackhole.port())
                                .locality("r1", "r1-a").build();
                        Endpoint healthy = Endpoint.builder("pricing", "p1")
                                .address("127.0.0.1", server.getAddress().getPort()).locality("r1", "r1-a").build();

                        Duration timeout = Duration.ofSeconds(1);
                        // Warm up: a new client's first request may be slow on a busy machine.
                        assertThat(firstPass(probe, healthy, timeout)).isEqualTo(ProbeResult.healthy("HTTP 204"));

                        List<CompletableFuture<ProbeResult>> stuck = new ArrayList<>();
                        for (int i = 0; i < 2 * SpringHealthProbes.THREADS; i++) {
                            stuck.add(probe.check(silent, timeout).toCompletableFuture());
                        }
                        List<String> outcomes = new ArrayList<>();
                        for (CompletableFuture<ProbeResult> f : stuck) {
                            try {
                                ProbeResult r = f.get(20, TimeUnit.SECONDS);
                                outcomes.add(r.healthy() ? "passed" : "failed: " + r.detail());
                            } catch (ExecutionException e) {
                                assertThat(e.getCause()).isInstanceOf(ProbeNotSentException.class);
                                outcomes.add("not sent");
                            }
                        }
                        assertThat(outcomes).noneMatch(o -> o.equals("passed")).anyMatch(o -> o.startsWith("failed"));
                        assertThat(blackhole.accepted()).as("probes reached the endpoint: %s", outcomes).isPositive();

                        // The threads come free: another service's endpoint passes.
                        assertThat(firstPass(probe, healthy, timeout)).isEqualTo(ProbeResult.healthy("HTTP 204"));
                    });
        }
    }

    /**
     * Probes until one passes (a probe may find the threads busy for a moment and not be sent, or
     * meet a cold client), for at most 30 s.
     *
     * @return the passing result, or the last one
     */
    private static ProbeResult firstPass(HealthProbe probe, Endpoint endpoint, Duration timeout) throws Exception {
        ProbeResult last = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((last == null || !last.healthy()) && System.nanoTime() < deadline) {
            try {
                last = probe.check(endpoint, timeout).toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(ProbeNotSentException.class);
                Thread.onSpinWait();
            }
        }
        return last;
    }

    /** Accepts connections on an ephemeral loopback port and never reads or answers. */
    private static final class Blackhole implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final Thread acceptor = new Thread(this::accept, "blackhole");

        Blackhole() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int accepted() {
            return held.size();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    held.add(socket.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aFailingAnswerFailsTheProbeAndTcpProbesAreLeftToCore() {
        SpringHealthProbes probes = new SpringHealthProbes(applicationFactory());
        try {
            HealthCheckPolicy policy = HealthCheckPolicy.builder().path("/down").build();
            Endpoint endpoint = Endpoint.builder("inventory", "e1").address("127.0.0.1", server.getAddress().getPort())
                    .locality("r1", "r1-a").build();

            assertThat(probes.probe("inventory", policy).check(endpoint, Duration.ofSeconds(5)).toCompletableFuture()
                    .join()).isEqualTo(ProbeResult.unhealthy("HTTP 503"));
            assertThat(probes.probe("inventory", HealthCheckPolicy.builder().type(ProbeType.TCP).build())).isNull();
            assertThat(new SpringHealthProbes(null).probe("inventory", policy)).as("no request factory").isNull();
            assertThat(viaApplicationFactory).as("without Spring Boot's builder, the application's factory")
                    .containsExactly(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/down"));
        } finally {
            probes.close();
        }
    }
}
