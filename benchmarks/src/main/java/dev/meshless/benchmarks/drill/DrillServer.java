package dev.meshless.benchmarks.drill;

import dev.meshless.spring.boot.shedding.LoadShedder;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The drill's server: a Spring Boot servlet application on Tomcat (127.0.0.1, an ephemeral port) with
 * the starter, whose one endpoint {@code GET /work} has a simulated capacity, as the outbound overload
 * drill's upstream has ({@code samples/failover-demo}'s {@code UpstreamFleet.Capacity}): a fair semaphore of
 * {@code workers} permits, each request holding one for {@code service} time. Requests beyond them wait
 * in the handler, first come first served, whether or not their caller is still there, so latency grows
 * with the queue as on a real overloaded server. Each instance is a fresh application.
 *
 * <p>Thread-safe; {@link #close} once.
 */
final class DrillServer implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final Work work;
    private final int port;
    /** The thread that took workers away, if any; written by the drill's sampler before {@link #close}. */
    private volatile Thread degrader;

    private DrillServer(ConfigurableApplicationContext context) {
        this.context = context;
        this.work = context.getBean(Work.class);
        this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "-1"));
    }

    /**
     * @param workers requests served at once
     * @param service how long each holds a worker
     * @param bulkhead calls Resilience4j's semaphore bulkhead admits at once in the handler (503 beyond,
     *     no wait), or 0 for none
     * @param properties Spring properties, {@code meshless.load-shedding.*} among them
     * @return the started server
     */
    static DrillServer start(int workers, Duration service, int bulkhead, Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("server.address", "127.0.0.1");
        all.put("server.port", "0");
        // Requests queued for callers that left must not hold the shutdown; close() also lets them through.
        all.put("server.shutdown", "immediate");
        all.put("spring.main.banner-mode", "off");
        all.put("logging.level.root", "warn");
        // Only to keep Meshless's "locality unknown" warning out of the drill's output: it calls nothing.
        all.put("meshless.locality.region", "drill");
        all.put("meshless.locality.zone", "drill-a");
        all.put("drill.workers", workers);
        all.put("drill.service-ms", service.toMillis());
        all.put("drill.bulkhead", bulkhead);
        SpringApplication application = new SpringApplication(App.class);
        application.setDefaultProperties(all);
        application.setLogStartupInfo(false);
        return new DrillServer(application.run());
    }

    /** @return the port Tomcat listens on */
    int port() {
        return port;
    }

    /** @return the shedder, when load shedding is on */
    Optional<LoadShedder> shedder() {
        return context.getBeanProvider(LoadShedder.class).stream().findFirst();
    }

    /** @return requests the handler has finished serving (200), whether their caller waited or not */
    long served() {
        return work.served.get();
    }

    /** @return requests waiting in the handler for a worker */
    int queued() {
        return work.workers.getQueueLength();
    }

    /**
     * Takes workers away for good, as a service that loses capacity (a slower dependency, a noisy
     * neighbour): a thread of its own takes {@code workers - left} permits, in line with the requests
     * (the semaphore is fair), and holds them until {@link #close}.
     *
     * @param left the workers left
     */
    void degrade(int left) {
        Thread thread = new Thread(() -> {
            try {
                work.workers.acquire(work.capacity - left);
                work.held = work.capacity - left;
            } catch (InterruptedException e) {
                // Closed before it got them.
            }
        }, "drill-degrade");
        thread.setDaemon(true);
        thread.start();
        degrader = thread;
    }

    /**
     * Lets the requests still queued in the handler through at once (503, no service time), waits up to
     * 5 s for them, then stops the application: Tomcat would otherwise interrupt them, each logging an error.
     */
    @Override
    public void close() {
        work.closing = true;
        Thread thread = degrader;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            work.workers.release(work.held);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((queued() > 0 || work.workers.availablePermits() < work.capacity) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        context.close();
    }

    /** The application: auto-configuration (Tomcat, Spring MVC, the starter) and the endpoint. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        Work work(@Value("${drill.workers}") int workers, @Value("${drill.service-ms}") long serviceMillis,
                  @Value("${drill.bulkhead}") int bulkhead) {
            return new Work(workers, serviceMillis, bulkhead == 0 ? null : Bulkhead.of("drill", BulkheadConfig.custom()
                            .maxConcurrentCalls(bulkhead).maxWaitDuration(Duration.ZERO).build()));
        }
    }

    /** The endpoint with a capacity. Request threads only. */
    @RestController
    static final class Work {
        final Semaphore workers;
        final int capacity;
        private final long serviceMillis;
        private final Bulkhead bulkhead;
        final AtomicLong served = new AtomicLong();
        volatile boolean closing;
        /** Permits the degrading thread holds; read after it ended. */
        int held;

        Work(int workers, long serviceMillis, Bulkhead bulkhead) {
            this.workers = new Semaphore(workers, true);
            this.capacity = workers;
            this.serviceMillis = serviceMillis;
            this.bulkhead = bulkhead;
        }

        @GetMapping("/work")
        ResponseEntity<String> work() throws InterruptedException {
            if (bulkhead == null) {
                return serve();
            }
            if (!bulkhead.tryAcquirePermission()) {
                return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("bulkhead full");
            }
            try {
                return serve();
            } finally {
                bulkhead.onComplete();
            }
        }

        private ResponseEntity<String> serve() throws InterruptedException {
            workers.acquire();
            try {
                if (closing) {
                    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("closing");
                }
                TimeUnit.MILLISECONDS.sleep(serviceMillis);
            } finally {
                workers.release();
            }
            served.incrementAndGet();
            return ResponseEntity.ok("done");
        }
    }
}
