package dev.meshless.spring.boot.shedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.spring.boot.testing.Http;
import dev.meshless.testing.FakeTime;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * {@code meshless.load-shedding.algorithm: envoy-gradient} in a real application, the same for the
 * servlet and the WebFlux stack: the filter's requests feed Envoy's gradient controller, whose periodic
 * min RTT measurement holds the limit at {@code min-limit}. Latencies are read from a {@link FakeTime}
 * (the application's {@code TimeSource}), so every request takes no time until the test moves the clock.
 */
abstract class EnvoyGradientSheddingScenarios extends SheddingTestSupport {

    /** The properties of both applications, over {@code application-shedding.yml}'s fixed limit. */
    static final String ALGORITHM = "meshless.load-shedding.algorithm=envoy-gradient";
    static final String INITIAL = "meshless.load-shedding.initial-limit=20";
    static final String MAX = "meshless.load-shedding.max-limit=100";

    /** The application's {@code TimeSource}, which the shedder measures latencies on. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Clock {
        @Bean
        FakeTime fakeTime() {
            return new FakeTime();
        }
    }

    @Autowired
    FakeTime time;

    @Test
    void envoyGradientIsInForceAndItsMinRttMeasurementHoldsTheLimitAtTheMinimum() {
        assertThat(shedder.algorithm()).isEqualTo(LoadShedder.Algorithm.ENVOY_GRADIENT);
        assertThat(shedder.limit()).as("the initial limit").isEqualTo(20);
        for (int i = 0; i < 50; i++) { // the first min RTT measurement, at the initial limit
            assertThat(http.get("/items").statusCode()).isEqualTo(200);
        }
        assertThat(shedder.limit()).as("the measurement at the initial limit keeps it").isEqualTo(20);

        // Past the next measurement's time (30 s and up to 15 % jitter), a request ends a window and starts
        // the measurement. A request's sample is taken just after its answer is sent, so the first
        // measurement's last one may come after the clock moved and end it late: move again then.
        await().atMost(BOUND).until(() -> {
            time.advance(Duration.ofSeconds(35));
            return http.get("/items").statusCode() == 200 && shedder.limit() == 10;
        });

        awaitInFlight(0); // the last /items may hold its place until just after its answer
        hold("/slow", Priority.NORMAL.threshold(10));
        HttpResponse<String> shed = http.get("/items");
        assertThat(shed.statusCode()).isEqualTo(503);
        assertThat(Http.json(shed).get("limit").asInt()).isEqualTo(10);
        assertThat(http.get("/checkout").statusCode()).as("critical, below 10").isEqualTo(200);
    }
}
