package dev.meshless.spring.boot.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.meshless.adaptive.AdaptiveConcurrencyLimiter;
import dev.meshless.adaptive.ConcurrencyLimitExceededException;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.actuate.MeshlessActuatorAutoConfiguration;
import dev.meshless.spring.boot.actuate.MeshlessEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

/**
 * Adaptive concurrency as an application turns it on, in its properties, with a real upstream on
 * loopback: when the upstream stalls, the calls beyond the limit are refused at once instead of
 * each holding a thread until the upstream answers ({@code RestClient}); with {@code max-wait}, a
 * {@code WebClient} call beyond the limit waits in line without a thread and goes ahead once a held
 * request is let go, and without it is refused at once.
 */
class AdaptiveConcurrencyHttpTest {

    private static final int LIMIT = 4;
    private static final int CALLERS = 10;

    /** Released by the test, one per request: until then the upstream holds every request it receives. */
    private final Semaphore upstreamAnswers = new Semaphore(0);
    private final CountDownLatch atUpstream = new CountDownLatch(LIMIT);
    private final AtomicInteger received = new AtomicInteger();
    private final ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
    private final ExecutorService upstreamThreads = Executors.newFixedThreadPool(CALLERS);
    private HttpServer upstream;

    @AfterEach
    void stop() {
        upstreamAnswers.release(CALLERS);
        callers.shutdownNow();
        upstream.stop(0);
        upstreamThreads.shutdownNow();
    }

    /** Starts the upstream on a free loopback port: {@code /stock} answers "42" once the test lets a request go. */
    private void startUpstream() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.setExecutor(upstreamThreads);
        upstream.createContext("/stock", exchange -> {
            received.incrementAndGet();
            atUpstream.countDown();
            try {
                upstreamAnswers.tryAcquire(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "42".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
    }

    /** The application's properties: one endpoint, the upstream, and adaptive concurrency at {@link #LIMIT}. */
    private String[] properties(String... more) {
        List<String> all = new ArrayList<>(List.of("meshless.locality.region=r1", "meshless.locality.zone=r1-a",
                "meshless.registry.endpoints.inventory[0].host=127.0.0.1",
                "meshless.registry.endpoints.inventory[0].port=" + upstream.getAddress().getPort(),
                "meshless.registry.endpoints.inventory[0].region=r1",
                "meshless.registry.endpoints.inventory[0].zone=r1-a",
                "meshless.services.inventory.timeouts.deadline=60s",
                "meshless.services.inventory.adaptive-concurrency.enabled=true",
                "meshless.services.inventory.adaptive-concurrency.initial-limit=" + LIMIT));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    @SuppressWarnings("unchecked")
    void callsBeyondTheLimitAreRefusedAtOnceWhileTheUpstreamStalls() throws Exception {
        startUpstream();

        HttpClientContexts.runner()
                .withConfiguration(AutoConfigurations.of(MeshlessActuatorAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues(properties(
                        // Named as in properties, with a dash, in the actuator too.
                        "meshless.services.inventory.adaptive-concurrency.algorithm=envoy-gradient",
                        "management.endpoints.web.exposure.include=meshless"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    RestClient rest = context.getBean(RestClient.Builder.class).build();
                    CountDownLatch refused = new CountDownLatch(CALLERS - LIMIT);
                    List<Throwable> refusals = new ArrayList<>();
                    List<CompletableFuture<String>> calls = new ArrayList<>();
                    for (int i = 0; i < CALLERS; i++) {
                        calls.add(CompletableFuture.supplyAsync(() -> {
                            try {
                                return rest.get().uri("http://inventory/stock").retrieve().body(String.class);
                            } catch (ConcurrencyLimitExceededException e) {
                                synchronized (refusals) {
                                    refusals.add(e);
                                }
                                refused.countDown();
                                throw e;
                            }
                        }, callers));
                    }

                    // While the upstream still holds every request it got: as many as the limit reached
                    // it, and every other call has already been refused.
                    assertThat(atUpstream.await(30, TimeUnit.SECONDS)).isTrue();
                    assertThat(refused.await(30, TimeUnit.SECONDS)).as("refused without waiting for the upstream")
                            .isTrue();
                    assertThat(upstreamAnswers.hasQueuedThreads()).as("the upstream still holds them").isTrue();
                    assertThat(received).hasValue(LIMIT);
                    assertThat(refusals).hasSize(CALLERS - LIMIT).allSatisfy(e -> assertThat(e)
                            .hasMessage("Adaptive concurrency limit of service 'inventory' reached: 4 call(s) in"
                                    + " flight, limit 4"));

                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("meshless.client.concurrency.in-flight").tag("service", "inventory")
                            .gauge().value()).isEqualTo(LIMIT);
                    assertThat(meters.get("meshless.client.concurrency.limit").tag("service", "inventory")
                            .gauge().value()).isEqualTo(LIMIT);
                    assertThat(meters.get("meshless.client.concurrency.rejected").tag("service", "inventory")
                            .functionCounter().count()).isEqualTo(CALLERS - LIMIT);
                    Map<String, Object> report = (Map<String, Object>) context.getBean(MeshlessEndpoint.class)
                            .service("inventory").get("adaptiveConcurrency");
                    assertThat(report).containsEntry("enabled", true).containsEntry("algorithm", "envoy-gradient")
                            .containsEntry("limit", LIMIT).containsEntry("inFlight", LIMIT)
                            .containsEntry("rejected", (long) (CALLERS - LIMIT));

                    upstreamAnswers.release(CALLERS);
                    long answered = calls.stream().filter(c -> {
                        try {
                            return "42".equals(c.get(30, TimeUnit.SECONDS));
                        } catch (Exception refusedCall) {
                            return false;
                        }
                    }).count();
                    assertThat(answered).isEqualTo(LIMIT);
                    assertThat(context.getBean(MeshlessClients.class).client("inventory").concurrencyLimiter()
                            .inFlight()).as("every slot given back").isZero();
                });
    }

    @Test
    void withMaxWaitAWebClientCallBeyondTheLimitWaitsWithoutAThreadAndGoesOnceAHeldOneIsLetGoUnlessCancelled() throws Exception {
        startUpstream();
        HttpClientContexts.runner()
                .withPropertyValues(properties("meshless.services.inventory.adaptive-concurrency.min-limit=" + LIMIT,
                        "meshless.services.inventory.adaptive-concurrency.max-limit=" + LIMIT,
                        "meshless.services.inventory.adaptive-concurrency.max-wait=30s"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    WebClient web = context.getBean(WebClient.Builder.class).build();
                    AdaptiveConcurrencyLimiter limiter = context.getBean(MeshlessClients.class).client("inventory")
                            .concurrencyLimiter();
                    List<CompletableFuture<String>> calls = new ArrayList<>();
                    for (int i = 0; i <= LIMIT; i++) { // one more than the limit, subscribed from this one thread
                        calls.add(web.get().uri("http://inventory/stock").retrieve().bodyToMono(String.class)
                                .toFuture());
                    }
                    assertThat(atUpstream.await(30, TimeUnit.SECONDS)).isTrue();
                    await(() -> limiter.waiting() == 1, "the last call waits in line");
                    assertThat(received).as("the waiting call has not reached the upstream").hasValue(LIMIT);
                    CompletableFuture<String> last = calls.get(LIMIT);
                    assertThat(last).isNotDone();
                    Disposable givenUp = web.get().uri("http://inventory/stock").retrieve().bodyToMono(String.class)
                            .subscribe();
                    await(() -> limiter.waiting() == 2, "a second call waits behind it");
                    givenUp.dispose();
                    await(() -> limiter.waiting() == 1, "the call whose subscriber cancelled leaves the line");

                    upstreamAnswers.release(1); // one held request is let go: its slot goes to the waiting call

                    await(() -> received.get() == LIMIT + 1, "the waiting call reaches the upstream");
                    upstreamAnswers.release(LIMIT);
                    for (CompletableFuture<String> call : calls) {
                        assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("42");
                    }
                    assertThat(limiter.rejected()).isZero();
                    await(() -> limiter.inFlight() == 0, "every slot given back");
                    assertThat(received).as("the cancelled call never reached the upstream").hasValue(LIMIT + 1);
                });
    }

    @Test
    void withoutMaxWaitAWebClientCallBeyondTheLimitIsRefusedAtOnce() throws Exception {
        startUpstream();
        HttpClientContexts.runner()
                .withPropertyValues(properties("meshless.services.inventory.adaptive-concurrency.min-limit=" + LIMIT,
                        "meshless.services.inventory.adaptive-concurrency.max-limit=" + LIMIT))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    WebClient web = context.getBean(WebClient.Builder.class).build();
                    List<CompletableFuture<String>> calls = new ArrayList<>();
                    for (int i = 0; i <= LIMIT; i++) {
                        calls.add(web.get().uri("http://inventory/stock").retrieve().bodyToMono(String.class)
                                .toFuture());
                    }
                    assertThat(atUpstream.await(30, TimeUnit.SECONDS)).isTrue();
                    CompletableFuture<String> last = calls.get(LIMIT);
                    assertThatThrownBy(() -> last.get(30, TimeUnit.SECONDS))
                            .as("refused while the upstream still holds the others")
                            .hasRootCauseInstanceOf(ConcurrencyLimitExceededException.class)
                            .hasRootCauseMessage("Adaptive concurrency limit of service 'inventory' reached: 4 call(s)"
                                    + " in flight, limit 4");
                    assertThat(received).hasValue(LIMIT);

                    upstreamAnswers.release(LIMIT);
                    for (CompletableFuture<String> call : calls.subList(0, LIMIT)) {
                        assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("42");
                    }
                });
    }

    /** Waits, at most 30 s, until the condition holds, polling without taking a core from the server. */
    private static void await(BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(30)).until(condition::getAsBoolean);
    }
}
