package dev.meshless.benchmarks.drill;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load: requests sent at a constant rate whatever the answers, as independent callers send
 * them, each with its own timeout, from {@code java.net.http}'s asynchronous client on two threads
 * (HTTP/1.1, a connection per request in flight). Sends at most {@code rate × duration} requests, then
 * waits for the last answers at most the timeout and a margin.
 *
 * <p>One run per instance, from one thread.
 */
final class OpenLoopLoad implements AutoCloseable {

    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "drill-client");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(executor).build();

    /** What one run saw. Latencies in nanoseconds, from the send to the response headers. */
    static final class Outcomes {
        long sent;
        final List<Long> ok = new ArrayList<>();
        final List<Long> rejected = new ArrayList<>();
        long timeouts;
        /** Neither answered nor timed out by the client a second after the timeout (should stay 0). */
        long unanswered;
        final Map<String, Long> other = new TreeMap<>();
        private boolean frozen;

        synchronized void answer(int status, long nanos) {
            if (frozen) {
                return;
            }
            if (status == 200) {
                ok.add(nanos);
            } else if (status == 503) {
                rejected.add(nanos);
            } else {
                other.merge("HTTP " + status, 1L, Long::sum);
            }
        }

        synchronized void failure(Throwable error) {
            if (frozen) {
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof HttpTimeoutException) {
                timeouts++;
            } else {
                other.merge(cause.getClass().getSimpleName(), 1L, Long::sum);
            }
        }
    }

    /**
     * @param target the URI to GET
     * @param rate requests per second
     * @param duration how long to send
     * @param timeout each request's timeout, to the response headers
     * @return what came back by the timeout and a second after the last send
     */
    Outcomes run(URI target, int rate, Duration duration, Duration timeout) {
        return run(target, rate, duration, timeout, 1).get(0);
    }

    /**
     * @param target the URI to GET
     * @param rate requests per second
     * @param duration how long to send
     * @param timeout each request's timeout, to the response headers
     * @param parts how many equal parts of the sends to report apart, in the order sent
     * @return what came back by the timeout and a second after the last send, per part
     */
    List<Outcomes> run(URI target, int rate, Duration duration, Duration timeout, int parts) {
        List<Outcomes> all = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            all.add(new Outcomes());
        }
        HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout).GET().build();
        long total = rate * duration.toMillis() / 1000;
        List<CompletableFuture<?>> pending = new ArrayList<>((int) total);
        long start = System.nanoTime();
        for (long sent = 0; sent < total; sent++) {
            Outcomes outcomes = all.get((int) (sent * parts / total));
            outcomes.sent++;
            long due = start + sent * 1_000_000_000L / rate;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            long sentAt = System.nanoTime();
            pending.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
                long nanos = System.nanoTime() - sentAt;
                if (error == null) {
                    outcomes.answer(response.statusCode(), nanos);
                } else {
                    outcomes.failure(error);
                }
                return null;
            }));
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Answers still missing are counted below.
        }
        for (Outcomes outcomes : all) {
            synchronized (outcomes) {
                outcomes.frozen = true;
                outcomes.unanswered = outcomes.sent - outcomes.ok.size() - outcomes.rejected.size() - outcomes.timeouts
                        - outcomes.other.values().stream().mapToLong(Long::longValue).sum();
            }
        }
        return all;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
