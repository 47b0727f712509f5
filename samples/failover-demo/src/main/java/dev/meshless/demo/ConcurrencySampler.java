package dev.meshless.demo;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the caller's adaptive concurrency meters every 100 ms, per service, when it has them
 * ({@link #LIMIT}, {@link #IN_FLIGHT}, {@link #REJECTED}), for the report's overload columns. The
 * attempts per zone come from {@link AttemptTimeline}, at each attempt's start, not from here.
 */
public final class ConcurrencySampler implements AutoCloseable {

    /** Gauge of the adaptive concurrency limit, tag {@code service}. */
    public static final String LIMIT = "meshless.client.concurrency.limit";
    /** Gauge of the calls in flight the limit counts, tag {@code service}. */
    public static final String IN_FLIGHT = "meshless.client.concurrency.in-flight";
    /** Counter of calls the limit rejected, tag {@code service}. */
    public static final String REJECTED = "meshless.client.concurrency.rejected";

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "concurrency-sampler");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param meters the caller's meter registry
     * @param services the called services
     * @param originNanos the drill's start
     * @param recorder where samples go
     */
    public ConcurrencySampler(MeterRegistry meters, List<String> services, long originNanos, Recorder recorder) {
        timer.scheduleAtFixedRate(() -> {
            int slot = (int) Math.max(0, (System.nanoTime() - originNanos) / 1_000_000 / Recorder.SLOT_MILLIS);
            for (String service : services) {
                Gauge limit = meters.find(LIMIT).tag("service", service).gauge();
                if (limit != null) {
                    recorder.sample(LIMIT + ":" + service, slot, limit.value());
                }
                Gauge inFlight = meters.find(IN_FLIGHT).tag("service", service).gauge();
                if (inFlight != null) {
                    recorder.sample(IN_FLIGHT + ":" + service, slot, inFlight.value());
                }
                // Meshless publishes it as a function counter (read from the limiter); a counter counts too.
                double rejected = meters.find(REJECTED).tag("service", service).functionCounters().stream()
                        .mapToDouble(FunctionCounter::count).sum()
                        + meters.find(REJECTED).tag("service", service).counters().stream()
                        .mapToDouble(Counter::count).sum();
                if (meters.find(REJECTED).tag("service", service).meter() != null) {
                    recorder.sample(REJECTED + ":" + service, slot, rejected);
                }
            }
        }, Recorder.SLOT_MILLIS, Recorder.SLOT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
