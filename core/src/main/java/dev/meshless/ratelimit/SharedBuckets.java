package dev.meshless.ratelimit;

import dev.meshless.config.Check;
import dev.meshless.ratelimit.spi.BucketStore;
import dev.meshless.ratelimit.spi.SharedPermit;
import dev.meshless.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exact fleet-wide limits on a {@link BucketStore}, with a bounded wait: every decision either gets
 * the store's answer within {@code decisionTimeout} or is told to fall back ({@link #take} returns
 * {@code null}) to the limiter's share of the limit on this instance.
 *
 * <p>One failure (a timeout or an error) makes the store <em>unavailable</em>: decisions then fall
 * back at once, without asking it, and once per {@code retryInterval} one request sends a probe
 * (a real permit request) without waiting for it. The first answer makes the store available again,
 * and so does the store saying it is ready ({@link BucketStore#onReady}: its connection opened).
 * Each change is logged once (WARN when lost, INFO when back); {@link #fallbacks()} counts the
 * decisions that fell back, and {@link #available()} and {@link #unavailableSince()} feed health.
 *
 * <p>Thread-safe; one instance per store, shared by every limit on it.
 */
public final class SharedBuckets implements AutoCloseable {

    /** A few milliseconds: a Redis on the same network answers in well under one. */
    public static final Duration DEFAULT_DECISION_TIMEOUT = Duration.ofMillis(5);
    /** How often an unavailable store is probed. */
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(SharedBuckets.class);

    private final BucketStore store;
    private final long timeoutNanos;
    private final long retryNanos;
    private final TimeSource time;
    private final LongAdder fallbacks = new LongAdder();
    /** Written by the thread that sees a transition (under {@code this}); read by every decision. */
    private volatile boolean available = true;
    private volatile Instant unavailableSince;
    private volatile String lastFailure;
    /** Time-source time before which no probe is sent; claimed by compare-and-set. */
    private final AtomicLong nextProbeNanos = new AtomicLong();
    /** How often the store said it became ready; a failure seen across such a signal is stale. */
    private final AtomicLong readySignals = new AtomicLong();
    private long fallbacksAtLoss;

    private SharedBuckets(Builder b) {
        this.store = b.store;
        this.timeoutNanos = b.decisionTimeout.toNanos();
        this.retryNanos = b.retryInterval.toNanos();
        this.time = b.time;
    }

    /**
     * @param store where the buckets are
     * @return a builder; every other setting has a default
     */
    public static Builder builder(BucketStore store) {
        return new Builder(Objects.requireNonNull(store, "store"));
    }

    /**
     * Takes a permit from the shared bucket, waiting at most the decision timeout.
     *
     * @param key the bucket's name in the store
     * @param limit its rate and capacity
     * @return the store's answer, or {@code null} when the caller must decide on its own share
     */
    public SharedPermit take(String key, RateLimit limit) {
        if (!available) {
            probe(key, limit);
            fallbacks.increment();
            return null;
        }
        long signals = readySignals.get();
        try {
            SharedPermit permit = store.tryTake(key, limit).get(timeoutNanos, TimeUnit.NANOSECONDS);
            return Objects.requireNonNull(permit, "the store answered no permit");
        } catch (TimeoutException e) {
            lost("no answer within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms", signals);
        } catch (ExecutionException e) {
            lost(String.valueOf(e.getCause()), signals);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            lost(e.toString(), signals);
        }
        fallbacks.increment();
        return null;
    }

    private void probe(String key, RateLimit limit) {
        long now = time.nanoTime();
        long next = nextProbeNanos.get();
        if (now - next < 0 || !nextProbeNanos.compareAndSet(next, now + retryNanos)) {
            return;
        }
        try {
            store.tryTake(key, limit).whenComplete((permit, failure) -> {
                if (failure == null && permit != null) {
                    back();
                } else if (failure != null) {
                    // Still down, maybe for another reason than the loss: health shows the latest.
                    lastFailure = String.valueOf(failure instanceof java.util.concurrent.CompletionException
                            && failure.getCause() != null ? failure.getCause() : failure);
                }
            });
        } catch (RuntimeException e) {
            lastFailure = e.toString(); // still down; the next probe is due in retryInterval
        }
    }

    /** @param signals the ready signals before the failed request: if the store became ready since, it is stale */
    private synchronized void lost(String why, long signals) {
        lastFailure = why;
        if (!available || readySignals.get() != signals) {
            return;
        }
        available = false;
        unavailableSince = time.clock().instant();
        fallbacksAtLoss = fallbacks.sum();
        nextProbeNanos.set(time.nanoTime() + retryNanos);
        log.warn("Exact rate limits: {} failed ({}); each limit now decides on this instance's share until it"
                + " answers again (probing every {} ms)", store.describe(), why, retryNanos / 1_000_000);
    }

    /** The store says it can answer (its connection opened). */
    private void ready() {
        readySignals.incrementAndGet();
        back();
    }

    private synchronized void back() {
        if (available) {
            return;
        }
        available = true;
        log.info("Exact rate limits: {} answers again; limits are exact again after {} decisions on shares"
                + " (unavailable since {})", store.describe(), fallbacks.sum() - fallbacksAtLoss, unavailableSince);
        unavailableSince = null;
    }

    /** @return whether decisions currently go to the store */
    public boolean available() {
        return available;
    }

    /** @return when the store became unavailable, or {@code null} while it is available */
    public Instant unavailableSince() {
        return unavailableSince;
    }

    /** @return the last failure seen, by a decision or a probe, or {@code null} if none */
    public String lastFailure() {
        return lastFailure;
    }

    /** @return decisions that fell back to an instance's share since start */
    public long fallbacks() {
        return fallbacks.sum();
    }

    /** @return the longest a decision waits for the store */
    public Duration decisionTimeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    /** @return where the buckets are */
    public String describe() {
        return store.describe();
    }

    /** Closes the store. */
    @Override
    public void close() {
        store.close();
    }

    /** Builder; setters check their values with the setting's name. Not thread-safe. */
    public static final class Builder {
        private final BucketStore store;
        private Duration decisionTimeout = DEFAULT_DECISION_TIMEOUT;
        private Duration retryInterval = DEFAULT_RETRY_INTERVAL;
        private TimeSource time = TimeSource.system();

        private Builder(BucketStore store) {
            this.store = store;
        }

        /**
         * @param timeout the longest a decision waits for the store, from 100 µs to 1 s; default 5 ms
         * @return this builder
         */
        public Builder decisionTimeout(Duration timeout) {
            this.decisionTimeout = Check.between("decisionTimeout", timeout, Duration.ofNanos(100_000),
                    Duration.ofSeconds(1));
            return this;
        }

        /**
         * @param interval how often an unavailable store is probed, from 10 ms; default 1 s
         * @return this builder
         */
        public Builder retryInterval(Duration interval) {
            this.retryInterval = Check.atLeast("retryInterval", interval, Duration.ofMillis(10));
            return this;
        }

        /**
         * @param time the time source of probes and timestamps; default the system's
         * @return this builder
         */
        public Builder time(TimeSource time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        /** @return the shared buckets, following the store's readiness */
        public SharedBuckets build() {
            SharedBuckets buckets = new SharedBuckets(this);
            store.onReady(buckets::ready);
            return buckets;
        }
    }
}
