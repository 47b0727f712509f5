package dev.meshless.demo;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Reads Meshless's own {@code meshless.client.requests} meter (or another caller's count of attempts
 * per zone) every 100 ms and records how many attempts went to each zone in that slot: the traffic as
 * the balancer actually sent it, retries included, which is what the report's share-per-zone chart shows.
 */
public final class ZoneSampler implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "zone-sampler");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Long> last = new HashMap<>();
    private long lastSampleNanos;

    /**
     * @param meters the caller's meter registry
     * @param service the called service
     * @param originNanos the drill's start
     * @param recorder where slots go
     */
    public ZoneSampler(MeterRegistry meters, String service, long originNanos, Recorder recorder) {
        this(() -> {
            Map<String, Long> counts = new HashMap<>();
            for (Timer t : meters.find("meshless.client.requests").tag("service", service).timers()) {
                counts.merge(t.getId().getTag("zone"), t.count(), Long::sum);
            }
            return counts;
        }, originNanos, recorder);
    }

    /**
     * @param totals attempts per zone since the start (a cumulative count, as a meter gives it)
     * @param originNanos the drill's start
     * @param recorder where slots go
     */
    public ZoneSampler(Supplier<Map<String, Long>> totals, long originNanos, Recorder recorder) {
        lastSampleNanos = System.nanoTime();
        timer.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            // The counts are what happened since the previous sample, about one slot ago: file them
            // under the slot that holds most of that window.
            long middleMillis = ((lastSampleNanos + now) / 2 - originNanos) / 1_000_000;
            lastSampleNanos = now;
            int slot = (int) Math.max(0, middleMillis / Recorder.SLOT_MILLIS);
            Map<String, Long> counts = totals.get();
            counts.forEach((zone, count) -> recorder.attempts(slot, zone, count - last.getOrDefault(zone, 0L)));
            last.putAll(counts);
        }, Recorder.SLOT_MILLIS, Recorder.SLOT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
