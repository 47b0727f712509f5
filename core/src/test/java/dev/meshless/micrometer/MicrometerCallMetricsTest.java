package dev.meshless.micrometer;

import static dev.meshless.testing.TestEndpoints.concat;
import static dev.meshless.testing.TestEndpoints.zone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.call.CallOptions;
import dev.meshless.call.CallPolicy;
import dev.meshless.call.ServiceCallException;
import dev.meshless.call.ServiceClient;
import dev.meshless.micrometer.observation.DefaultAttemptObservationConvention;
import dev.meshless.micrometer.observation.ObservationCallObserver;
import dev.meshless.outlier.OutlierDetectionPolicy;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.call.AttemptFunction;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MicrometerCallMetricsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final FakeTime time = new FakeTime();
    private final MicrometerCallMetrics metrics = new MicrometerCallMetrics(meters);

    /** A client of the fleet, on fake time, measured by {@link #metrics} as its metrics and listener. */
    private ServiceClient.Builder measured(List<Endpoint> fleet, CallPolicy policy) {
        return ServiceClient.builder(TestEndpoints.SERVICE).registry(StaticRegistry.of(fleet))
                .caller(TestEndpoints.CALLER).timeSource(time).callPolicy(policy).metrics(metrics).listener(metrics);
    }

    @Test
    void attemptsRetriesEjectionsAndBreakersBecomeMeters() {
        ServiceClient client = measured(concat(zone("r1", "r1-a", 1, 0), zone("r1", "r1-b", 1, 0)),
                CallPolicy.builder().outlierDetection(OutlierDetectionPolicy.builder()
                        .consecutiveLocalOriginFailures(2).build()).build())
                .balancingPolicy(dev.meshless.balancer.LoadBalancingPolicy.builder().probeSharePercent(50).build())
                .build();

        for (int i = 0; i < 4; i++) {
            client.call(a -> {
                time.advance(Duration.ofMillis(3));
                if (a.endpoint().id().equals("r1-a-0")) {
                    throw new ConnectException("refused");
                }
                return "ok";
            }, CallOptions.idempotent());
        }

        assertThat(meters.get("meshless.client.requests").tags("service", "inventory", "tier", "0",
                "zone", "r1-a", "region", "r1", "outcome", "endpoint_failure").timer().count()).isEqualTo(2);
        assertThat(meters.get("meshless.client.requests").tags("tier", "1", "outcome", "success")
                .timer().count()).isEqualTo(4);
        assertThat(meters.get("meshless.client.requests").tags("outcome", "success").timer().totalTime(
                java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(12.0);
        assertThat(meters.get("meshless.client.retries").tag("service", "inventory").counter().count()).isEqualTo(2);
        assertThat(meters.get("meshless.outlier.ejected").tags("service", "inventory", "zone", "r1-a").gauge().value())
                .isEqualTo(1);
        assertThat(meters.get("meshless.locality.share").tags("service", "inventory", "tier", "1").gauge().value())
                .isEqualTo(1.0);
        assertThat(meters.get("meshless.zone.breaker.state").tags("service", "inventory", "region", "r1",
                "zone", "r1-a", "state", "closed").gauge().value()).isEqualTo(1);
        assertThat(meters.get("meshless.service.breaker.state").tags("service", "inventory", "state", "closed")
                .gauge().value()).isEqualTo(1);
        assertThat(meters.find("resilience4j.circuitbreaker.calls").timers())
                .as("no per-call breaker timer").isEmpty();

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
    void zoneBreakerGaugesFollowTheBreakerOpenHalfOpenAndClosed() {
        ServiceClient client = measured(concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 2, 0)),
                CallPolicy.builder().outlierDetection(OutlierDetectionPolicy.builder().enabled(false).build())
                        .build()).build();
        boolean[] zoneAFails = {true};
        AttemptFunction<String> call = a -> {
            if (zoneAFails[0] && a.endpoint().locality().zone().equals("r1-a")) {
                throw new ConnectException("refused");
            }
            return "ok";
        };

        assertThat(meters.find("meshless.zone.breaker.state").gauges()).as("bound on the zone's first use").isEmpty();
        for (int i = 0; i < 10; i++) {
            client.call(call, CallOptions.idempotent());
        }
        assertThat(zoneBreakerState()).isEqualTo("open");
        assertThat(zoneBreaker("failure.rate")).isEqualTo(100.0);
        assertThat(meters.get("meshless.zone.breaker.failure.rate").gauge().getId().getBaseUnit()).isEqualTo("percent");
        assertThat(zoneBreaker("buffered.calls", "kind", "failed")).isEqualTo(10);
        assertThat(zoneBreaker("not.permitted.calls")).isZero();
        assertThat(client.zoneBreakers().tryAcquire(TestEndpoints.CALLER)).as("open: refused").isFalse();
        assertThat(zoneBreaker("not.permitted.calls")).isEqualTo(1);

        zoneAFails[0] = false;
        time.advance(Duration.ofSeconds(10)); // the breaker's wait in the open state
        assertThat(zoneBreakerState()).isEqualTo("half_open");
        assertThat(zoneBreaker("buffered.calls", "kind", "failed")).as("a new window for the probes").isZero();

        // Half-open, the zone is only probed: it gets the probe share of first attempts (5 %), so its
        // permitted calls come within a few hundred calls, at random.
        for (int i = 0; i < 2_000 && !zoneBreakerState().equals("closed"); i++) {
            client.call(call, CallOptions.idempotent());
        }
        assertThat(zoneBreakerState()).isEqualTo("closed");
        for (int i = 0; i < 20; i++) {
            client.call(call, CallOptions.idempotent()); // a closed window with its minimum of calls
        }
        assertThat(zoneBreaker("failure.rate")).isZero();
        assertThat(zoneBreaker("buffered.calls", "kind", "failed")).isZero();
        client.close();
    }

    private String zoneBreakerState() {
        List<String> on = meters.find("meshless.zone.breaker.state").tags("zone", "r1-a").gauges().stream()
                .filter(g -> g.value() == 1).map(g -> g.getId().getTag("state")).toList();
        assertThat(on).as("exactly one state reads 1").hasSize(1);
        return on.get(0);
    }

    private double zoneBreaker(String gauge, String... tags) {
        return meters.get("meshless.zone.breaker." + gauge).tags("service", "inventory", "region", "r1", "zone", "r1-a")
                .tags(tags).gauge().value();
    }

    @Test
    void tierMeansTheTierNumberOnEveryMeterAndObservation() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        ServiceClient client = measured(concat(zone("r1", "r1-b", 1, 0), zone("r2", "r2-a", 1, 0),
                zone("r3", "r3-a", 1, 0)), CallPolicy.defaults())
                .balancingPolicy(LoadBalancingPolicy.builder().regionOrder("r1", "r3").build())
                .observer(new ObservationCallObserver(observations))
                .build();

        for (String zone : List.of("r1-b", "r3-a", "r2-a")) {
            client.call(a -> {
                if (!a.endpoint().locality().zone().equals(zone)) {
                    throw new ConnectException("refused");
                }
                return "ok";
            }, CallOptions.idempotent());
        }

        Map<String, String> expected = Map.of("r1-b", "1", "r3-a", "2", "r2-a", "3");
        assertThat(tierByZone(meters.find("meshless.client.requests").timers())).isEqualTo(expected);
        Set<String> planned = meters.find("meshless.locality.share").gauges().stream()
                .map(g -> g.getId().getTag("tier")).collect(Collectors.toSet());
        assertThat(planned).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(meters.get("meshless.locality.share").tag("tier", "1").gauge().getId().getTags())
                .extracting(Tag::getKey).containsExactly("service", "tier");
        Map<String, String> observed = new TreeMap<>();
        assertThat(observations).hasHandledContextsThatSatisfy(contexts -> contexts.stream()
                .filter(c -> c.getName().equals(DefaultAttemptObservationConvention.NAME))
                .forEach(c -> observed.put(c.getLowCardinalityKeyValue("zone").getValue(),
                        c.getLowCardinalityKeyValue("tier").getValue())));
        assertThat(observed).isEqualTo(expected);
        client.close();
    }

    private static Map<String, String> tierByZone(Collection<? extends Meter> meters) {
        Map<String, String> tiers = new TreeMap<>();
        meters.forEach(m -> tiers.put(m.getId().getTag("zone"), m.getId().getTag("tier")));
        return tiers;
    }

    @Test
    void aSpentBudgetIsCounted() {
        ServiceClient client = measured(zone("r1", "r1-a", 2, 0),
                CallPolicy.builder().retryBudgetPercent(0).retryBudgetMinRetriesPerSecond(0).build()).build();

        assertThatThrownBy(() -> client.call(a -> {
            throw new ConnectException("refused");
        })).isInstanceOf(ServiceCallException.class);

        assertThat(meters.get("meshless.client.retry.budget.exhausted").counter().count()).isEqualTo(1);
        client.close();
    }

    @Test
    void probesAndTheRecoveriesTheyConfirmAreCounted() {
        MicrometerCallMetrics metrics = new MicrometerCallMetrics(meters);
        java.util.Set<String> down = new java.util.HashSet<>(java.util.List.of("r1-a-0"));
        ServiceClient client = ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(zone("r1", "r1-a", 2, 0))).caller(TestEndpoints.CALLER)
                .timeSource(time).metrics(metrics).listener(metrics)
                .healthProbe((endpoint, timeout) -> java.util.concurrent.CompletableFuture.completedFuture(
                        down.contains(endpoint.id()) ? dev.meshless.health.ProbeResult.unhealthy("refused")
                                : dev.meshless.health.ProbeResult.healthy("HTTP 200")))
                .build();
        for (int i = 0; i < 5; i++) {
            client.begin(client.balancer().picker().pickOf("r1-a-0")).complete(null, new ConnectException("refused"));
        }
        time.advance(Duration.ofSeconds(3));
        down.clear();

        time.advance(Duration.ofSeconds(3));

        // the first probe at a random point of the first second, then about one a second
        assertThat(meters.get("meshless.health.probes").tag("result", "fail").counter().count()).isBetween(3.0, 4.0);
        assertThat(meters.get("meshless.health.probes").tag("result", "pass").counter().count())
                .as("one pass brings it back; then it is not probed any more").isEqualTo(1);
        assertThat(meters.get("meshless.health.recoveries").counter().count()).isEqualTo(1);
        assertThat(client.outlierDetector().ejected()).isEmpty();
        client.close();
    }

    @Test
    void anAdaptiveConcurrencyLimitShowsItsLimitCallsInFlightAndRefusals() {
        ServiceClient client = measured(zone("r1", "r1-a", 1, 0), CallPolicy.builder()
                .adaptiveConcurrency(dev.meshless.adaptive.AdaptiveConcurrencyPolicy.builder().enabled(true)
                        .initialLimit(1).minLimit(1).build()).build()).build();

        client.call(a -> {
            assertThat(meters.get("meshless.client.concurrency.in-flight").tag("service", TestEndpoints.SERVICE)
                    .gauge().value()).isEqualTo(1);
            assertThatThrownBy(() -> client.call(b -> "nested"))
                    .isInstanceOf(dev.meshless.adaptive.ConcurrencyLimitExceededException.class);
            return "ok";
        });

        assertThat(meters.get("meshless.client.concurrency.limit").tag("service", TestEndpoints.SERVICE).gauge()
                .value()).isEqualTo(1);
        assertThat(meters.get("meshless.client.concurrency.in-flight").gauge().value()).isZero();
        assertThat(meters.get("meshless.client.concurrency.rejected").tag("service", TestEndpoints.SERVICE)
                .functionCounter().count()).isEqualTo(1);
        client.close();
    }

    @Test
    void noConcurrencyMetersWhileAdaptiveConcurrencyIsOff() {
        ServiceClient client = measured(zone("r1", "r1-a", 1, 0), CallPolicy.defaults()).build();
        client.call(a -> "ok");
        assertThat(meters.find("meshless.client.concurrency.limit").meters()).isEmpty();
        client.close();
    }
}
