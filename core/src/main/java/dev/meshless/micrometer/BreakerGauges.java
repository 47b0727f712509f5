package dev.meshless.micrometer;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A circuit breaker's gauges, read from the breaker only when meters are published: nothing runs
 * per call, so a breaker measured this way keeps the call path's fast recording
 * ({@code BreakerRecorder}), which Resilience4j's own event-based meters turn off. Each name is
 * the prefix ({@code meshless.zone.breaker} or {@code meshless.service.breaker}) followed by:
 * <ul>
 *   <li>{@code .state} (tag {@code state}): 1 for the breaker's state, 0 for the others;</li>
 *   <li>{@code .failure.rate}, {@code .slow.call.rate}: the rates the breaker judges, in percent,
 *       -1 until its minimum number of calls;</li>
 *   <li>{@code .not.permitted.calls}: calls refused since the breaker entered its current state;</li>
 *   <li>{@code .buffered.calls} (tag {@code kind} = {@code successful} / {@code failed}): the calls
 *       in its sliding window.</li>
 * </ul>
 * Fast successes reach the breaker up to a second late ({@code BreakerRecorder}), and so do these
 * gauges. Thread-safe.
 */
final class BreakerGauges {

    private BreakerGauges() {
    }

    /**
     * Registers the breaker's gauges; registering the same breaker again changes nothing.
     *
     * @param registry where to register them
     * @param prefix the meter name prefix
     * @param tags tags naming the breaker
     * @param breaker the breaker
     */
    static void bind(MeterRegistry registry, String prefix, Tags tags, CircuitBreaker breaker) {
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            gauge(registry, prefix + ".state", tags.and("state", state.name().toLowerCase(Locale.ROOT)), breaker,
                    cb -> cb.getState() == state ? 1 : 0, "1 for the breaker's current state, 0 for the others", null);
        }
        gauge(registry, prefix + ".failure.rate", tags, breaker, cb -> cb.getMetrics().getFailureRate(),
                "failure rate the breaker judges, in percent; -1 until its minimum number of calls", "percent");
        gauge(registry, prefix + ".slow.call.rate", tags, breaker, cb -> cb.getMetrics().getSlowCallRate(),
                "slow-call rate the breaker judges, in percent; -1 until its minimum number of calls", "percent");
        gauge(registry, prefix + ".not.permitted.calls", tags, breaker,
                cb -> cb.getMetrics().getNumberOfNotPermittedCalls(),
                "calls the breaker refused since it entered its current state", null);
        gauge(registry, prefix + ".buffered.calls", tags.and("kind", "successful"), breaker,
                cb -> cb.getMetrics().getNumberOfSuccessfulCalls(), "successful calls in the breaker's window", null);
        gauge(registry, prefix + ".buffered.calls", tags.and("kind", "failed"), breaker,
                cb -> cb.getMetrics().getNumberOfFailedCalls(), "failed calls in the breaker's window", null);
    }

    private static void gauge(MeterRegistry registry, String name, Tags tags, CircuitBreaker breaker,
                              ToDoubleFunction<CircuitBreaker> value, String description, String unit) {
        Gauge.builder(name, breaker, value).tags(tags).description(description).baseUnit(unit).register(registry);
    }
}
