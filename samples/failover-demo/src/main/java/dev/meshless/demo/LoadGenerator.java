package dev.meshless.demo;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends requests at a steady rate, as independent users would: one request every
 * {@code 1 / rate} seconds whatever the previous ones are doing, with at most {@code threads} in
 * flight (a request that finds them all busy counts as failed: the user waited for nothing). A
 * request fails when it throws; the exception's type and message are recorded as its reason.
 * Bounded in time: it stops when told or when the drill ends.
 */
public final class LoadGenerator implements AutoCloseable {

    /** The series of {@link Recorder#samples()} that holds the requests in flight, as the ticker sees them. */
    public static final String IN_FLIGHT = "inFlight";

    /**
     * A request that called several upstream services and saw some of them fail.
     *
     * @see #failures()
     */
    public static final class ServicesFailedException extends RuntimeException {
        private final transient java.util.Map<String, String> failures;

        /** @param failures each service whose call failed, in call order, with why ({@link #reason}) */
        public ServicesFailedException(java.util.Map<String, String> failures) {
            super(failures.values().iterator().next(), null, false, false);
            this.failures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(failures));
        }

        /** @return each service whose call failed, with why */
        public java.util.Map<String, String> failures() {
            return failures;
        }
    }

    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "load-ticker");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService workers;
    private final Semaphore inFlight;

    /**
     * @param rate requests per second
     * @param threads most requests in flight
     * @param originNanos the drill's start, for request times
     * @param request one request; it throws when it fails
     * @param recorder where results go
     */
    public LoadGenerator(int rate, int threads, long originNanos, Runnable request, Recorder recorder) {
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "load");
            t.setDaemon(true);
            return t;
        });
        this.inFlight = new Semaphore(threads);
        long periodNanos = 1_000_000_000L / rate;
        ticker.scheduleAtFixedRate(() -> {
            long start = System.nanoTime();
            long startMillis = (start - originNanos) / 1_000_000;
            recorder.sample(IN_FLIGHT, (int) Math.max(0, startMillis / Recorder.SLOT_MILLIS),
                    threads - inFlight.availablePermits());
            if (!inFlight.tryAcquire()) {
                recorder.request(new Recorder.Request(startMillis, 0,
                        "not sent: " + threads + " requests already in flight (load.threads)"));
                return;
            }
            workers.execute(() -> {
                String error = null;
                java.util.Map<String, String> failures = java.util.Map.of();
                try {
                    request.run();
                } catch (ServicesFailedException e) {
                    error = e.getMessage();
                    failures = e.failures();
                } catch (RuntimeException e) {
                    error = reason(e);
                } finally {
                    inFlight.release();
                }
                recorder.request(new Recorder.Request(startMillis, (System.nanoTime() - start) / 1_000_000, error,
                        failures));
            });
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The exception's type (with Meshless's reason for a {@code ServiceCallException}, such as
     * {@code ServiceCallException(CIRCUIT_OPEN)}) and the first line of its message, short enough to
     * group by.
     */
    static String reason(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        message = newline < 0 ? message : message.substring(0, newline);
        if (message.length() > 160) {
            message = message.substring(0, 159) + "…";
        }
        String type = e.getClass().getSimpleName();
        if (e instanceof dev.meshless.call.ServiceCallException call) {
            type += "(" + call.reason() + ")";
        }
        return type + ": " + message;
    }

    /** Stops sending and waits (bounded) for requests in flight. */
    @Override
    public void close() throws InterruptedException {
        ticker.shutdownNow();
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
