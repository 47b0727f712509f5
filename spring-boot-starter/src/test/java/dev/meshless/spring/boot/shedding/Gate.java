package dev.meshless.spring.boot.shedding;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds the slow endpoints of the test applications until a test opens it: the test decides how long
 * requests take, without sleeping. Thread-safe.
 */
public final class Gate {

    private volatile CompletableFuture<Void> open = new CompletableFuture<>();

    private final AtomicInteger streams = new AtomicInteger();

    /** Counts a long-lived request ({@code /events}) that reached its handler. */
    public void streamArrived() {
        streams.incrementAndGet();
    }

    /** @return the long-lived requests that reached their handler so far */
    public int streams() {
        return streams.get();
    }

    /** Closes the gate for the requests that come next. */
    public void close() {
        open = new CompletableFuture<>();
    }

    /** Lets every held request go. */
    public void open() {
        open.complete(null);
    }

    /** @return completes when the gate opens */
    public CompletableFuture<Void> opened() {
        return open;
    }

    /** Blocks until the gate opens (at most a minute, so that a broken test cannot hang the build). */
    public void pass() {
        try {
            open.get(1, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("the gate did not open", e);
        }
    }
}
