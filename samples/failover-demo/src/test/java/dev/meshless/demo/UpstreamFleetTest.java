package dev.meshless.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The drill's {@code capacity} action (issue 14 §4) on real HTTP servers: at most N requests served at
 * once per instance, the rest queue. The servers' work is held on a semaphore the test releases, so
 * what is in service and what waits is decided by the test, not by the clock.
 */
class UpstreamFleetTest {

    private static final Duration BOUND = Duration.ofSeconds(20);

    private final Semaphore finish = new Semaphore(0);
    private final AtomicInteger working = new AtomicInteger();
    private final AtomicInteger most = new AtomicInteger();
    private final List<Duration> asked = new CopyOnWriteArrayList<>();
    private final UpstreamFleet fleet = new UpstreamFleet(new Scenario.Upstream("inventory", List.of("r1"),
            Map.of("r1-a", 2)), d -> {
                asked.add(d);
                most.accumulateAndGet(working.incrementAndGet(), Math::max);
                try {
                    finish.acquire();
                } finally {
                    working.decrementAndGet();
                }
            });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void close() {
        finish.release(1_000);
        fleet.close();
    }

    private List<CompletableFuture<HttpResponse<String>>> send(String instance, int n) {
        int port = fleet.instances().stream().filter(i -> i.id().equals(instance)).findFirst().orElseThrow().port();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/work"))
                    .timeout(BOUND).build(), HttpResponse.BodyHandlers.ofString()));
        }
        return answers;
    }

    private static Scenario.Action capacity(String target, int concurrency, Duration latency) {
        return new Scenario.Action(Scenario.Kind.CAPACITY, target, null, 0, "inventory", concurrency, latency);
    }

    @Test
    void aCapacityCutServesAtMostNAtOnceAndQueuesTheRest() throws Exception {
        fleet.apply(capacity("r1-a-0", 2, Duration.ofMillis(40)));

        List<CompletableFuture<HttpResponse<String>>> answers = send("r1-a-0", 5);
        await().atMost(BOUND).until(() -> fleet.serving("r1-a-0") == 2 && fleet.queued("r1-a-0") == 3);
        assertThat(answers).noneMatch(CompletableFuture::isDone);

        finish.release(1);
        CompletableFuture.anyOf(answers.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        await().atMost(BOUND).until(() -> fleet.serving("r1-a-0") == 2 && fleet.queued("r1-a-0") == 2);
        assertThat(answers.stream().filter(CompletableFuture::isDone)).hasSize(1);

        finish.release(4);
        for (CompletableFuture<HttpResponse<String>> a : answers) {
            HttpResponse<String> response = a.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("r1-a-0 r1-a r1");
        }
        assertThat(most.get()).as("served at once").isEqualTo(2);
        assertThat(asked).as("each request takes the cut's latency").hasSize(5)
                .containsOnly(Duration.ofMillis(40));
    }

    @Test
    void theCutHoldsPerInstanceAndOthersAreNotQueued() throws Exception {
        fleet.apply(capacity("r1-a-0", 1, Duration.ofMillis(40)));

        List<CompletableFuture<HttpResponse<String>>> cut = send("r1-a-0", 2);
        await().atMost(BOUND).until(() -> fleet.serving("r1-a-0") == 1 && fleet.queued("r1-a-0") == 1);
        HttpResponse<String> other = send("r1-a-1", 1).get(0).get(BOUND.toSeconds(), TimeUnit.SECONDS);

        assertThat(other.body()).isEqualTo("r1-a-1 r1-a r1");
        assertThat(fleet.queued("r1-a-1")).isZero();
        assertThat(cut).noneMatch(CompletableFuture::isDone);
    }

    @Test
    void healLiftsTheCutAndLetsTheQueueThrough() throws Exception {
        fleet.apply(capacity("r1-a", 1, Duration.ofMillis(40)));
        List<CompletableFuture<HttpResponse<String>>> answers = send("r1-a-0", 3);
        await().atMost(BOUND).until(() -> fleet.serving("r1-a-0") == 1 && fleet.queued("r1-a-0") == 2);

        fleet.apply(new Scenario.Action(Scenario.Kind.HEAL, "r1-a", null, 0));

        // The two that queued are served at once, without the cut's latency; the one in service finishes
        // when released.
        await().atMost(BOUND).until(() -> answers.stream().filter(CompletableFuture::isDone).count() == 2);
        finish.release(1);
        for (CompletableFuture<HttpResponse<String>> a : answers) {
            assertThat(a.get(BOUND.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(asked).hasSize(1);
        assertThat(fleet.queued("r1-a-0")).isZero();
    }

    @Test
    void arrivalsCountCallsToWorkButNotProbesOfTheBasePath() throws Exception {
        List<String> arrived = new CopyOnWriteArrayList<>();
        fleet.countArrivals((i, caller) -> arrived.add(fleet.service() + " " + i.id()));
        int port = fleet.instances().get(1).port();

        for (String path : List.of("/work", "/", "/work")) {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(BOUND).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        assertThat(arrived).containsExactly("inventory r1-a-1", "inventory r1-a-1");
    }
}
