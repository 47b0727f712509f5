package dev.meshless.breaker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import dev.meshless.time.TimeSource;
import io.github.resilience4j.core.EventProcessor;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records call outcomes into one Resilience4j {@link CircuitBreaker}, counting fast successes
 * instead of recording each while the breaker is closed and judging.
 *
 * <p>A closed breaker with a count-based window of {@code n} calls is decided by its last {@code n}
 * outcomes. Once it holds at least its minimum number of calls, a fast success cannot open it: it
 * only lowers or keeps the failure and slow-call rates. So while the breaker is {@code CLOSED} with
 * that many calls since it last closed, its window is count-based and nobody listens to its events,
 * a success faster than its slow-call threshold only increments a counter, and only until it reaches
 * {@code n}. The counted successes are handed to the breaker — at most {@code n} of them, which leaves
 * the window exactly as recording each would — before the next failure, slow call or call in another
 * state is recorded, and on {@link #flush()}, which the call path's owner runs every second so that
 * Resilience4j's metrics are never more than a second behind. In every other case each outcome is
 * recorded as it comes.
 * Resilience4j's own per-call path costs a lock and a few computations; this saves them on the
 * happy path.
 *
 * <p>Thread-safe: counting takes no lock; handing counted successes over and recording anything
 * else hold this recorder's lock, so outcomes reach the breaker in the order they were reported.
 * Successes that race with a flush land in this flush or the next. Obtain it with {@link #of}, so
 * that every client sharing a breaker (through a shared registry) shares its recorder; the
 * equivalence holds only if everything recording into the breaker goes through the recorder.
 */
public final class BreakerRecorder {

    /** How often owners flush their recorders: how far a breaker's metrics may lag on successes. */
    public static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);

    private final CircuitBreaker breaker;
    private final boolean countBased;
    private final int windowSize;
    private final long slowCallNanos;
    private final int minimumCalls;
    private final AtomicLong pendingSuccesses = new AtomicLong();
    /**
     * The metrics of the closed state in which the breaker was seen holding its minimum number of
     * calls; Resilience4j makes new metrics whenever the breaker closes again, which ends counting.
     */
    private volatile CircuitBreaker.Metrics judging;

    /**
     * One recorder per breaker, whoever records into it: two recorders counting for one breaker
     * would hand their successes over out of order with each other's failures. Weak both ways, so
     * an entry goes when its clients and its breaker have gone (the recorder refers to its breaker).
     */
    private static final Map<CircuitBreaker, WeakReference<BreakerRecorder>> RECORDERS = new WeakHashMap<>();

    /**
     * @param breaker the breaker to record into
     * @return its recorder, shared by everyone who records into that breaker
     */
    public static BreakerRecorder of(CircuitBreaker breaker) {
        synchronized (RECORDERS) {
            WeakReference<BreakerRecorder> known = RECORDERS.get(breaker);
            BreakerRecorder recorder = known == null ? null : known.get();
            if (recorder == null) {
                recorder = new BreakerRecorder(breaker);
                RECORDERS.put(breaker, new WeakReference<>(recorder));
            }
            return recorder;
        }
    }

    private BreakerRecorder(CircuitBreaker breaker) {
        this.breaker = breaker;
        CircuitBreakerConfig config = breaker.getCircuitBreakerConfig();
        this.countBased = config.getSlidingWindowType() == CircuitBreakerConfig.SlidingWindowType.COUNT_BASED;
        this.windowSize = config.getSlidingWindowSize();
        this.slowCallNanos = config.getSlowCallDurationThreshold().toNanos();
        this.minimumCalls = Math.min(config.getMinimumNumberOfCalls(), windowSize);
    }

    /** @return the breaker */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * @param nanos how long the call took
     */
    public void onSuccess(long nanos) {
        if (countBased && nanos < slowCallNanos && breaker.getState() == CircuitBreaker.State.CLOSED
                && breaker.getMetrics() == judging && !hasListeners()) {
            // Only the last windowSize outcomes count: past that, a plain read replaces the atomic add.
            if (pendingSuccesses.get() < windowSize) {
                pendingSuccesses.incrementAndGet();
            }
            return;
        }
        onSuccessNow(nanos);
    }

    /**
     * Records a success into the breaker now, after the successes counted before it; for callers
     * that will not be flushed any more (a closed client's last calls).
     *
     * @param nanos how long the call took
     */
    public void onSuccessNow(long nanos) {
        synchronized (this) {
            handOver();
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
        if (countBased && breaker.getState() == CircuitBreaker.State.CLOSED) {
            CircuitBreaker.Metrics metrics = breaker.getMetrics();
            if (metrics != judging && metrics.getNumberOfBufferedCalls() >= minimumCalls) {
                judging = metrics;
            }
        }
    }

    /**
     * @param nanos how long the call took
     * @param failure why it failed
     */
    public void onError(long nanos, Throwable failure) {
        synchronized (this) {
            handOver();
            breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
        }
    }

    /** Gives back a permit without an outcome. */
    public void releasePermission() {
        breaker.releasePermission();
    }

    /** Hands the counted successes to the breaker. */
    public void flush() {
        if (pendingSuccesses.get() == 0) {
            return;
        }
        synchronized (this) {
            handOver();
        }
    }

    /**
     * Hands the counted successes over, under this recorder's lock, so that no failure or slow call
     * is recorded while successes that came before it are still on their way. Stops as soon as the
     * breaker has left the closed window they were counted for (a racing call opened it, or it was
     * reset, forced or re-closed): they belong to a window that no longer decides anything, and are
     * dropped.
     */
    private void handOver() {
        if (pendingSuccesses.get() == 0) {
            return;
        }
        long successes = Math.min(pendingSuccesses.getAndSet(0), windowSize);
        for (long i = 0; i < successes; i++) {
            if (breaker.getState() != CircuitBreaker.State.CLOSED || breaker.getMetrics() != judging) {
                return;
            }
            breaker.onSuccess(0, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Runs {@code flush} every {@link #FLUSH_INTERVAL} until cancelled; for the owners of recorders.
     *
     * @param time the time source whose timers drive it
     * @param flush hands the owner's recorders' counts over
     * @return cancels the repetition
     */
    public static TimeSource.Cancellable flushEvery(TimeSource time, Runnable flush) {
        Repeating repeating = new Repeating(time, flush);
        repeating.arm();
        return repeating;
    }

    private static final class Repeating implements TimeSource.Cancellable {
        private final TimeSource time;
        private final Runnable flush;
        private volatile boolean cancelled;
        private volatile TimeSource.Cancellable next;

        Repeating(TimeSource time, Runnable flush) {
            this.time = time;
            this.flush = flush;
        }

        void arm() {
            next = time.schedule(() -> {
                if (!cancelled) {
                    flush.run();
                    arm();
                }
            }, FLUSH_INTERVAL);
        }

        @Override
        public void cancel() {
            cancelled = true;
            TimeSource.Cancellable n = next;
            if (n != null) {
                n.cancel();
            }
        }
    }

    /** @return successes counted and not yet handed to the breaker (counting stops at the window size) */
    public long pendingSuccesses() {
        return pendingSuccesses.get();
    }

    /** Event listeners (Resilience4j's Micrometer timer, for one) must see every call. */
    private boolean hasListeners() {
        return breaker.getEventPublisher() instanceof EventProcessor<?> p && p.hasConsumers();
    }
}
