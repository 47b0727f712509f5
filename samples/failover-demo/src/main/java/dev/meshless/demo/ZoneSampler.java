package dev.meshless.demo;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the caller's meters every 100 ms. From Meshless's own {@code meshless.client.requests}
 * meter it records how many attempts went to each zone in that slot, per service: the traffic as
 * the balancer actually sent it, retries included, which is what the report's share-per-zone chart
 * shows (the first service's shares head the report). It also samples, per service, the adaptive
 * concurrency meters when the caller has them ({@link #LIMIT}, {@link #IN_FLIGHT}, {@link #REJECTED}).
 */
public final class ZoneSampler implements AutoCloseable {

    /** Gauge of the adaptive concurrency limit, tag {@code service}. */
    public static final String LIMIT = "meshless.client.concurrency.limit";
    /** Gauge of the calls in flight the limit counts, tag {@code service}. */
    public static final String IN_FLIGHT = "meshless.client.concurrency.in-flight";
    /** Counter of calls the limit rejected, tag {@code service}. */
    public static final String REJECTED = "meshless.client.concurrency.rejected";

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "zone-sampler");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Map<String, Long>> last = new HashMap<>();
    private long lastSampleNanos;

    /**
     * @param meters the caller's meter registry
     * @param service the called service
     * @param originNanos the drill's start
     * @param recorder where slots go
     */
    public ZoneSampler(MeterRegistry meters, String service, long originNanos, Recorder recorder) {
        this(meters, List.of(service), originNanos, recorder);
    }

    /**
     * @param meters the caller's meter registry
     * @param services the called services; the first one's attempts also go to {@link Recorder#attempts()}
     * @param originNanos the drill's start
     * @param recorder where slots go
     */
    public ZoneSampler(MeterRegistry meters, List<String> services, long originNanos, Recorder recorder) {
        lastSampleNanos = System.nanoTime();
        timer.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            // The counts are what happened since the previous sample, about one slot ago: file them
            // under the slot that holds most of that window.
            long middleMillis = ((lastSampleNanos + now) / 2 - originNanos) / 1_000_000;
            lastSampleNanos = now;
            int slot = (int) Math.max(0, middleMillis / Recorder.SLOT_MILLIS);
            for (String service : services) {
                Map<String, Long> counts = new HashMap<>();
                for (Timer t : meters.find("meshless.client.requests").tag("service", service).timers()) {
                    counts.merge(t.getId().getTag("zone"), t.count(), Long::sum);
                }
                Map<String, Long> before = last.computeIfAbsent(service, s -> new HashMap<>());
                counts.forEach((zone, count) -> {
                    long n = count - before.getOrDefault(zone, 0L);
                    if (service.equals(services.get(0))) {
                        recorder.attempts(slot, zone, n);
                    }
                    recorder.attempts(service, slot, zone, n);
                });
                before.putAll(counts);
                Gauge limit = meters.find(LIMIT).tag("service", service).gauge();
                if (limit != null) {
                    recorder.sample(LIMIT + ":" + service, slot, limit.value());
                }
                Gauge inFlight = meters.find(IN_FLIGHT).tag("service", service).gauge();
                if (inFlight != null) {
                    recorder.sample(IN_FLIGHT + ":" + service, slot, inFlight.value());
                }
                var rejected = meters.find(REJECTED).tag("service", service).counters();
                if (!rejected.isEmpty()) {
                    recorder.sample(REJECTED + ":" + service, slot,
                            rejected.stream().mapToDouble(Counter::count).sum());
                }
            }
        }, Recorder.SLOT_MILLIS, Recorder.SLOT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
