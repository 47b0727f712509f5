package dev.meshless.spring.boot.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Real HTTP on loopback, the JDK client as Spring Boot configures it: an endpoint that sends its
 * headers and then stalls its body makes the client's read timeout fire while the body is read.
 * Read within the attempt, that is a failed attempt, retried on the other endpoint; the caller sees
 * the other endpoint's answer, not an exception after a "successful" attempt.
 */
class BrokenBodyRetryTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger stalled = new AtomicInteger();
    private HttpServer stalling;
    private HttpServer healthy;

    @AfterEach
    void stop() {
        release.countDown();
        stalling.stop(0);
        healthy.stop(0);
    }

    @Test
    void aBodyStalledPastTheReadTimeoutIsRetriedOnTheNextEndpoint() throws Exception {
        stalling = server(exchange -> {
            stalled.incrementAndGet();
            exchange.sendResponseHeaders(200, 100); // promises 100 bytes
            OutputStream out = exchange.getResponseBody();
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            out.flush();
            release.await(30, TimeUnit.SECONDS); // and sends no more until the test ends
            exchange.close();
        });
        healthy = server(exchange -> {
            byte[] body = "whole answer".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MeshlessAutoConfiguration.class,
                        MeshlessClassifierAutoConfiguration.class, MeshlessHttpClientAutoConfiguration.class))
                .withPropertyValues("meshless.locality.region=r1", "meshless.locality.zone=r1-a",
                        "meshless.services.inventory.timeouts.deadline=30s",
                        "meshless.registry.endpoints.inventory[0].host=127.0.0.1",
                        "meshless.registry.endpoints.inventory[0].port=" + stalling.getAddress().getPort(),
                        "meshless.registry.endpoints.inventory[0].region=r1",
                        "meshless.registry.endpoints.inventory[0].zone=r1-a",
                        "meshless.registry.endpoints.inventory[1].host=127.0.0.1",
                        "meshless.registry.endpoints.inventory[1].port=" + healthy.getAddress().getPort(),
                        "meshless.registry.endpoints.inventory[1].region=r1",
                        "meshless.registry.endpoints.inventory[1].zone=r1-b")
                .run(context -> {
                    JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory();
                    requests.setReadTimeout(Duration.ofMillis(300));
                    RestClient client = RestClient.builder().requestFactory(requests)
                            .requestInterceptor(context.getBean(MeshlessClientHttpRequestInterceptor.class))
                            .build();

                    String answer = client.get().uri("http://inventory/stock").retrieve().body(String.class);

                    assertThat(answer).isEqualTo("whole answer");
                    assertThat(stalled).as("the local endpoint was tried first").hasValue(1);
                });
    }

    private static HttpServer server(Handler handler) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try {
                handler.handle(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "broken-body-server");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return server;
    }

    /** Answers one exchange. */
    @FunctionalInterface
    private interface Handler {
        void handle(com.sun.net.httpserver.HttpExchange exchange) throws java.io.IOException, InterruptedException;
    }
}
