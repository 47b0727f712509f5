package dev.meshless.micrometer;

import static dev.meshless.testing.TestEndpoints.concat;
import static dev.meshless.testing.TestEndpoints.zone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.call.CallOptions;
import dev.meshless.call.CallPolicy;
import dev.meshless.call.ServiceCallException;
import dev.meshless.call.ServiceClient;
import dev.meshless.outlier.OutlierDetectionPolicy;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MicrometerCallMetricsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final FakeTime time = new FakeTime();

    @Test
    void attemptsRetriesEjectionsAndBreakersBecomeMeters() {
        MicrometerCallMetrics metrics = new MicrometerCallMetrics(meters);
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        MicrometerCallMetrics.bindCircuitBreakers(breakers, meters);
        ServiceClient client = ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(concat(zone("r1", "r1-a", 1, 0), zone("r1", "r1-b", 1, 0))))
                .caller(TestEndpoints.CALLER).timeSource(time).circuitBreakerRegistry(breakers)
                .callPolicy(CallPolicy.builder().outlierDetection(OutlierDetectionPolicy.builder()
                        .consecutiveLocalOriginFailures(2).build()).build())
                .balancingPolicy(dev.meshless.balancer.LoadBalancingPolicy.builder().probeSharePercent(50).build())
                .metrics(metrics).listener(metrics).build();

        for (int i = 0; i < 4; i++) {
            client.call(a -> {
                time.advance(Duration.ofMillis(3));
                if (a.endpoint().id().equals("r1-a-0")) {
                    throw new ConnectException("refused");
                }
                return "ok";
            }, CallOptions.idempotent());
        }

        assertThat(meters.get("meshless.client.requests").tags("service", "inventory", "tier", "same-zone",
                "zone", "r1-a", "region", "r1", "outcome", "endpoint_failure").timer().count()).isEqualTo(2);
        assertThat(meters.get("meshless.client.requests").tags("tier", "same-region", "outcome", "success")
                .timer().count()).isEqualTo(4);
        assertThat(meters.get("meshless.client.requests").tags("outcome", "success").timer().totalTime(
                java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(12.0);
        assertThat(meters.get("meshless.client.retries").tag("service", "inventory").counter().count()).isEqualTo(2);
        assertThat(meters.get("meshless.outlier.ejected").tags("service", "inventory", "zone", "r1-a").gauge().value())
                .isEqualTo(1);
        assertThat(meters.get("meshless.locality.share").tags("service", "inventory", "tier", "1").gauge().value())
                .isEqualTo(1.0);
        assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", "inventory-zone-r1-r1-a").gauges())
                .isNotEmpty();

        assertThat(meters.get("meshless.client.calls.retried").tag("service", "inventory").counter().count())
                .isEqualTo(2);
        assertThat(meters.find("meshless.client.probes").counter()).isNull();

        time.advance(Duration.ofSeconds(40));
        assertThat(meters.get("meshless.outlier.ejected").tags("zone", "r1-a").gauge().value()).isZero();
        // Back from its ejection, r1-a-0 is probed with the probe share of first attempts.
        for (int i = 0; i < 100 && meters.find("meshless.client.probes").counter() == null; i++) {
            client.call(a -> "ok", CallOptions.idempotent());
        }
        assertThat(meters.get("meshless.client.probes").tag("service", "inventory").counter().count()).isEqualTo(1);
        client.close();
    }

    @Test
    void aSpentBudgetIsCounted() {
        MicrometerCallMetrics metrics = new MicrometerCallMetrics(meters);
        ServiceClient client = ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(zone("r1", "r1-a", 2, 0))).caller(TestEndpoints.CALLER)
                .timeSource(time).metrics(metrics)
                .callPolicy(CallPolicy.builder().retryBudgetPercent(0).retryBudgetMinRetriesPerSecond(0).build())
                .build();

        assertThatThrownBy(() -> client.call(a -> {
            throw new ConnectException("refused");
        })).isInstanceOf(ServiceCallException.class);

        assertThat(meters.get("meshless.client.retry.budget.exhausted").counter().count()).isEqualTo(1);
        client.close();
    }
}
