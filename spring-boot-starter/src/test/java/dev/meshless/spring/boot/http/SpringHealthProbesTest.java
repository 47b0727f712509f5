package dev.meshless.spring.boot.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.meshless.call.ServiceClient;
import dev.meshless.health.HealthCheckPolicy;
import dev.meshless.health.HealthProbe;
import dev.meshless.health.HealthProbes;
import dev.meshless.health.ProbeResult;
import dev.meshless.health.ProbeType;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.topology.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
    void httpProbesUseTheApplicationsRequestFactoryAndTheConfiguredPath() {
        int port = server.getAddress().getPort();
        HttpClientContexts.runner().withBean(ClientHttpRequestFactory.class, this::applicationFactory)
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

                    ProbeResult result = probe.check(endpoint, policy.timeout()).toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);

                    assertThat(result).isEqualTo(ProbeResult.healthy("HTTP 204"));
                    assertThat(served).containsExactly("GET /ready");
                    assertThat(viaApplicationFactory).containsExactly(URI.create("http://127.0.0.1:" + port + "/ready"));
                });
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
        } finally {
            probes.close();
        }
    }
}
