package dev.meshless.call;

import static dev.meshless.testing.TestEndpoints.concat;
import static dev.meshless.testing.TestEndpoints.zone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.health.HealthCheckPolicy;
import dev.meshless.health.ProbeResult;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeTime;
import dev.meshless.testing.TestEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Recovery with the default policies (30 s ejections, 10 s zone-breaker waits, 1 s probes), on a fake
 * clock: a healed zone is home within two probe intervals, and a zone that flaps (up 1 s, down 1 s)
 * cannot pull traffic back more often than the healthy threshold allows. Calls go every 10 ms; the
 * caller's zone r1-a refuses connections while it is down, like a dead listener.
 */
class RecoveryScenariosTest {

    private static final Locality R1A = Locality.of("r1", "r1-a");
    private static final long MS = 1_000_000L;

    private final FakeTime time = new FakeTime();
    private ServiceClient client;
    private final List<String> failures = new ArrayList<>();
    private int confirmations;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    /** @param up whether r1-a works at a time (fake nanos); probes and calls both see it */
    private ServiceClient client(LongPredicate up) {
        client = ServiceClient.builder(TestEndpoints.SERVICE)
                .registry(StaticRegistry.of(concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 2, 0))))
                .caller(TestEndpoints.CALLER).timeSource(time)
                .healthProbe((endpoint, timeout) -> CompletableFuture.completedFuture(
                        works(endpoint, up) ? ProbeResult.healthy("HTTP 200") : ProbeResult.unhealthy("refused")))
                .listener(new CallListener() {
                    @Override
                    public void onRecoveryConfirmed(String service, Endpoint endpoint, String evidence) {
                        confirmations++;
                    }
                })
                .build();
        return client;
    }

    private boolean works(Endpoint endpoint, LongPredicate up) {
        return !endpoint.locality().sameZoneAs(R1A) || up.test(time.nanoTime());
    }

    /** One call; its attempt on r1-a fails with a refused connection when r1-a is down. */
    private void call(LongPredicate up) {
        try {
            client.call(a -> {
                if (!works(a.endpoint(), up)) {
                    throw new ConnectException("Connection refused");
                }
                return "ok";
            });
        } catch (ServiceCallException e) {
            failures.add(time.elapsed().toMillis() + "ms " + e.getMessage());
        }
    }

    private double local() {
        return client.balancer().plan().shareByZone().getOrDefault(R1A, 0.0);
    }

    @Test
    void aHealedZoneIsHomeWithinTwoProbeIntervalsWithTheDefaultEjectionTimes() {
        long healAt = 10_000 * MS;
        LongPredicate up = t -> t >= healAt;
        client(up);
        assertThat(client.policy().outlierDetection().baseEjectionTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(client.policy().healthCheck()).isEqualTo(HealthCheckPolicy.defaults());
        long home = -1;
        while (time.nanoTime() < 20_000 * MS) {
            call(up);
            time.advance(Duration.ofMillis(10));
            if (time.nanoTime() > 1_000 * MS && time.nanoTime() < healAt) {
                assertThat(local()).as("r1-a is down at %s", time.elapsed()).isZero();
            }
            if (home < 0 && time.nanoTime() >= healAt && local() >= 0.99) {
                home = time.nanoTime() - healAt;
            }
        }

        assertThat(failures).isEmpty();
        assertThat(home).as("nanos from heal until 99 %% of the plan is home").isBetween(0L, 2_000 * MS);
        assertThat(local()).isEqualTo(1.0);
        assertThat(confirmations).isPositive();
    }

    @Test
    void aFlappingZoneCannotDragTrafficBackFasterThanTheHealthyThresholdAllows() {
        // r1-a is up in even seconds and down in odd ones, for a minute after the first second.
        LongPredicate up = t -> t < 1_000 * MS || (t / (1_000 * MS)) % 2 == 0;
        client(up);
        HealthCheckPolicy probes = client.policy().healthCheck();
        int returns = 0;
        int slotsLocalWhileDown = 0;
        int slots = 0;
        boolean wasHome = true;
        while (time.nanoTime() < 61_000 * MS) {
            for (int i = 0; i < 10; i++) {
                call(up);
                time.advance(Duration.ofMillis(10));
            }
            boolean home = local() > 0.0;
            if (time.nanoTime() > 1_000 * MS) {
                slots++;
                returns += home && !wasHome ? 1 : 0;
                slotsLocalWhileDown += home && !up.test(time.nanoTime()) ? 1 : 0;
            }
            wasHome = home;
        }

        assertThat(failures).as("retries cover every refused attempt").isEmpty();
        // Coming back takes healthy-threshold passes in a row, probes at least interval - jitter apart:
        // at most one return per 2 x 0.9 s, whatever the flapping.
        long minGapNanos = probes.healthyThreshold()
                * (probes.interval().toNanos() - probes.intervalJitter().toNanos());
        assertThat(returns).as("times traffic came back to r1-a in 60 s").isLessThanOrEqualTo(
                (int) (60_000 * MS / minGapNanos));
        // Per endpoint, each confirmation takes healthy-threshold passes in a row; two endpoints.
        assertThat(confirmations).as("recoveries confirmed by probes").isLessThanOrEqualTo(
                2 * (int) (60_000 * MS / minGapNanos));
        assertThat(slotsLocalWhileDown).as("100 ms slots planning traffic to r1-a while it was down, of %d", slots)
                .isLessThan(slots / 10);
    }
}
