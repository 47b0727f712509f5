package dev.meshless.testing;

import dev.meshless.call.CallOptions;
import dev.meshless.call.ServiceClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives GET calls through a {@link ServiceClient} from a few threads, with real HTTP on loopback,
 * and records each call: when it started and ended, where its first attempt went, where it was
 * served, or how it failed. Bounded: stops after a number of calls or when told, whichever first.
 */
public final class LoadDriver implements AutoCloseable {

    /** One call. */
    public record Call(long startNanos, long endNanos, String firstAttempt, String servedBy, int attempts,
                       Throwable failure) {
        public boolean ok() {
            return failure == null;
        }

        public long millis() {
            return TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos);
        }
    }

    private final ServiceClient client;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500)).build();
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private final ExecutorService threads;
    private final List<Future<?>> workers = new ArrayList<>();

    public LoadDriver(ServiceClient client, int threadCount) {
        this.client = client;
        this.threads = Executors.newFixedThreadPool(threadCount);
        for (int t = 0; t < threadCount; t++) {
            workers.add(threads.submit(this::loop));
        }
    }

    /** Issues calls until {@link #stop} or {@code maxCalls} have been issued. */
    private Void loop() {
        while (!stop.get() && issued.incrementAndGet() <= 20_000) {
            callOnce();
        }
        return null;
    }

    private void callOnce() {
        long start = System.nanoTime();
        String[] first = new String[1];
        int[] count = new int[1];
        try {
            HttpResponse<String> response = client.call(a -> {
                count[0]++;
                attempts.incrementAndGet();
                if (a.number() == 1) {
                    first[0] = a.endpoint().id();
                }
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + a.endpoint().address() + "/work"))
                        .timeout(a.timeout()).GET().build();
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            }, CallOptions.method("GET"));
            String servedBy = response.statusCode() == 200 ? response.body() : null;
            calls.add(new Call(start, System.nanoTime(), first[0], servedBy, count[0],
                    servedBy == null ? new IllegalStateException("HTTP " + response.statusCode()) : null));
        } catch (RuntimeException e) {
            calls.add(new Call(start, System.nanoTime(), first[0], null, count[0], e));
        }
    }

    /** Waits until at least {@code n} more calls than now have completed (bounded by {@code timeout}). */
    public void awaitCalls(int n, Duration timeout) throws InterruptedException {
        int target = calls.size() + n;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (calls.size() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + calls.size() + " of " + target + " calls within " + timeout);
            }
            Thread.sleep(5); // polling a counter, not waiting for state to settle
        }
    }

    /** @return calls completed so far */
    public List<Call> calls() {
        synchronized (calls) {
            return new ArrayList<>(calls);
        }
    }

    /** @return calls that started at or after {@code nanos} */
    public List<Call> callsSince(long nanos) {
        return calls().stream().filter(c -> c.startNanos() >= nanos).toList();
    }

    /** @return attempts made so far */
    public int attempts() {
        return attempts.get();
    }

    /** Stops issuing calls and waits for the threads. */
    public void stop() throws Exception {
        stop.set(true);
        for (Future<?> f : workers) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        threads.shutdownNow();
    }
}
