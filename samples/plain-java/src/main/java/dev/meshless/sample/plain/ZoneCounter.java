package dev.meshless.sample.plain;

import dev.meshless.balancer.Pick;
import dev.meshless.call.CallMetrics;
import dev.meshless.outcome.Outcome;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts attempts per zone through the call path's {@link CallMetrics} hook, to show where calls
 * went, retries included. A real application passes {@code dev.meshless.micrometer.MicrometerCallMetrics}
 * instead and gets the {@code meshless.client.requests} timer, tagged by zone, tier and outcome.
 */
final class ZoneCounter implements CallMetrics {

    private final Map<String, LongAdder> attempts = new ConcurrentHashMap<>();

    /** Called by the call path once per attempt; must be fast and must not throw. */
    @Override
    public void attempt(String service, Pick pick, Outcome outcome, long nanos) {
        attempts.computeIfAbsent(pick.endpoint().locality().zone(), z -> new LongAdder()).increment();
    }

    /** @return attempts per zone since the last call, sorted by zone; and starts counting again */
    Map<String, Integer> drain() {
        Map<String, Integer> counts = new TreeMap<>();
        attempts.forEach((zone, n) -> counts.put(zone, (int) n.sumThenReset()));
        counts.values().removeIf(n -> n == 0);
        return counts;
    }
}
