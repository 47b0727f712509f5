package dev.meshless.consul.internal;

import dev.meshless.config.Values;
import dev.meshless.time.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the snapshot once at start-up and keeps it up to date: a change schedules one write after
 * {@code delay} (changes in between share it); writes run on one daemon thread, off the timer and
 * the watches. Services of the loaded snapshot that are not watched in this run are carried over
 * (up to {@code maxServices} in all), so that a service subscribed later still has its view after
 * the next restart.
 *
 * <p>Thread-safe.
 */
public final class SnapshotWriter {

    private static final Logger log = LoggerFactory.getLogger(SnapshotWriter.class);

    private final SnapshotStore store;
    private final TimeSource time;
    private final Duration delay;
    private final int maxServices;
    private final Supplier<List<ServiceView>> views;
    private final Map<String, Map<String, SnapshotStore.Entry>> loaded;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ThreadPoolExecutor writer;
    private volatile TimeSource.Cancellable timer;

    /**
     * @param store the file
     * @param time timers and the clock
     * @param delay longest a change waits to be written
     * @param maxServices most services written
     * @param views the views watched now
     */
    public SnapshotWriter(SnapshotStore store, TimeSource time, Duration delay, int maxServices,
            Supplier<List<ServiceView>> views) {
        this.store = store;
        this.time = time;
        this.delay = delay;
        this.maxServices = maxServices;
        this.views = views;
        this.loaded = store.load().map(s -> {
            Duration age = Duration.between(s.writtenAt(), time.clock().instant());
            log.info("Loaded the Consul snapshot '{}' written at {} ({} ago): {} service(s); a datacenter's part "
                    + "is used only while Consul cannot be reached", store.file(), s.writtenAt(),
                    Values.format(Duration.ofSeconds(Math.max(0, age.toSeconds()))), s.services().size());
            return s.services();
        }).orElse(Map.of());
        this.writer = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "meshless-consul-snapshot");
            t.setDaemon(true);
            return t;
        });
        writer.allowCoreThreadTimeOut(true);
    }

    /**
     * @param service a service
     * @param datacenter a datacenter
     * @return the loaded snapshot's view, or null
     */
    public SnapshotStore.Entry loaded(String service, String datacenter) {
        return loaded.getOrDefault(service, Map.of()).get(datacenter);
    }

    /** @return whether the snapshot read at start-up held any view */
    public boolean loadedAny() {
        return !loaded.isEmpty();
    }

    /**
     * @param service a service
     * @return the datacenters the loaded snapshot has for it
     */
    public Set<String> datacentersOf(String service) {
        return loaded.getOrDefault(service, Map.of()).keySet();
    }

    /** A view changed: write within {@code delay}. */
    public void changed() {
        if (scheduled.compareAndSet(false, true)) {
            timer = time.schedule(() -> writer.execute(this::write), delay);
        }
    }

    /** Writes one last time, waiting up to 5 seconds, and stops the writer thread. */
    public void close() {
        TimeSource.Cancellable t = timer;
        if (t != null) {
            t.cancel();
        }
        writer.execute(this::write);
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("The Consul snapshot '{}' was not written within 5s of closing", store.file());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write() {
        scheduled.set(false);
        Map<String, Map<String, SnapshotStore.Entry>> services = new LinkedHashMap<>();
        for (ServiceView v : views.get()) {
            Map<String, SnapshotStore.Entry> good = v.lastGood();
            if (!good.isEmpty()) {
                services.put(v.service(), good);
            }
        }
        for (Map.Entry<String, Map<String, SnapshotStore.Entry>> e : loaded.entrySet()) {
            if (services.size() >= maxServices) {
                break;
            }
            services.putIfAbsent(e.getKey(), e.getValue());
        }
        if (services.isEmpty()) {
            return;
        }
        try {
            if (store.write(new SnapshotStore.Snapshot(Instant.now(time.clock()), services))) {
                log.debug("Wrote the Consul snapshot '{}': {} service(s)", store.file(), services.size());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot write the Consul snapshot '{}': {}", store.file(), e.toString());
        }
    }
}
