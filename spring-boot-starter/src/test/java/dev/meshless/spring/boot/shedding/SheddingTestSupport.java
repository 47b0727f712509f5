package dev.meshless.spring.boot.shedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.spring.boot.testing.Http;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A real application with load shedding: its port, shedder, gate and meters, requests held at the
 * gate, and bounded waits for the shedder's count. Each test ends with the gate open, every held
 * request answered 200 and nothing in flight.
 */
abstract class SheddingTestSupport {

    static final Duration BOUND = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    LoadShedder shedder;

    @Autowired
    Gate gate;

    @Autowired
    MeterRegistry meters;

    Http http;

    private final List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    /** Held requests the shedder does not count ({@code never-shed}). */
    private final List<CompletableFuture<HttpResponse<String>>> uncounted = new ArrayList<>();

    @BeforeEach
    void closeTheGate() {
        http = new Http(port);
        gate.close();
    }

    @AfterEach
    void everyRequestEndsAndReleasesItsPlace() {
        gate.open();
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>(held);
        all.addAll(uncounted);
        for (CompletableFuture<HttpResponse<String>> response : all) {
            assertThat(response.join().statusCode()).isEqualTo(200);
        }
        awaitInFlight(0);
    }

    /**
     * Sends requests that wait at the gate, and waits until the shedder counts every request held so
     * far and no other (a fast request may still be counted for a moment after its answer).
     */
    void hold(String path, int count) {
        for (int i = 0; i < count; i++) {
            held.add(http.sendAsync(path));
        }
        awaitInFlight(held.size());
    }

    /**
     * Sends requests that wait at the gate on a route the shedder does not count ({@code never-shed}), and
     * waits until each has reached its handler.
     */
    void holdUncounted(String path, int count) {
        int before = gate.streams();
        for (int i = 0; i < count; i++) {
            uncounted.add(http.sendAsync(path));
        }
        await().atMost(BOUND).until(() -> gate.streams() - before == count);
    }

    void awaitInFlight(int expected) {
        await().atMost(BOUND).untilAsserted(() -> assertThat(shedder.inFlight()).isEqualTo(expected));
    }

    double rejected(String priority, boolean shadow) {
        var counter = meters.find(SheddingMeters.REJECTED).tags("priority", priority, "shadow", Boolean.toString(shadow))
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
