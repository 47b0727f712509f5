package dev.meshless.adaptive;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limit.functions.Log10RootIntFunction;
import dev.meshless.config.Values;
import dev.meshless.outcome.Outcome;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntUnaryOperator;

/**
 * The adaptive concurrency limit of the calls this instance makes to one service: a count of calls
 * in flight, admitted while it is below the limit, and a Netflix concurrency-limits {@link Limit}
 * ({@code Gradient2Limit}, {@code VegasLimit}, or Envoy's gradient controller written on that contract)
 * that moves the limit with each attempt's latency.
 *
 * <p>A call takes one slot when it is admitted ({@link #tryAcquire}, {@link #acquire}) and gives it
 * back once, when it ends ({@link #release}); its retries run in that slot, so they can never take
 * the service past its limit. Each attempt that reached the service reports its latency
 * ({@link #onAttempt}). Netflix's own {@code SimpleLimiter} is not used: its listener measures from
 * admission to release, which for a call spans every retry and backoff, whereas the limit must learn
 * one round trip at a time; the admission here is the same as its semaphore (in flight below the
 * limit), without its per-call allocations.
 *
 * <p>Thread-safe and lock-free on admission and release; a thread waits on a lock only when
 * {@link #acquire} is given a wait and the limit is reached. The algorithm's {@code onSample} is
 * synchronized inside Netflix's {@code AbstractLimit}, once per attempt.
 */
public final class AdaptiveConcurrencyLimiter {

    private static final IntUnaryOperator LOG10 = Log10RootIntFunction.create(0);

    // How an attempt teaches the limit (see sampleOf).
    static final int IGNORED = 0;
    static final int SAMPLED = 1;
    static final int DROPPED = 2;

    private final String service;
    private final AdaptiveConcurrencyPolicy policy;
    private final Limit limit;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder rejected = new LongAdder();
    /** Held only by threads that wait for a slot, and by releases while any waits. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition slotFreed = lock.newCondition();
    /** Threads waiting in {@link #acquire}: a release signals only when there are some. */
    private final AtomicInteger waiting = new AtomicInteger();

    private AdaptiveConcurrencyLimiter(String service, AdaptiveConcurrencyPolicy policy) {
        this.service = service;
        this.policy = policy;
        this.limit = algorithm(policy);
        limit.notifyOnChange(newLimit -> wakeWaiters());
    }

    /**
     * @param service the service whose calls are limited
     * @param policy the settings; must be enabled
     * @return the limiter, at the policy's initial limit with nothing in flight
     * @throws IllegalArgumentException when the policy is disabled
     */
    public static AdaptiveConcurrencyLimiter of(String service, AdaptiveConcurrencyPolicy policy) {
        Objects.requireNonNull(service, "service");
        if (!policy.enabled()) {
            throw new IllegalArgumentException("adaptive concurrency is disabled for service '" + service + "'");
        }
        return new AdaptiveConcurrencyLimiter(service, policy);
    }

    /**
     * The Netflix limit algorithm a policy describes, at its initial limit and kept between its min
     * and max limits — for other limiters on the same settings (the Spring Boot starter's inbound load
     * shedding feeds it through its own window).
     *
     * @param p the settings; {@code enabled} and {@code maxWait} are not read
     * @return a new limit
     */
    public static Limit algorithm(AdaptiveConcurrencyPolicy p) {
        int min = p.minLimit();
        return switch (p.algorithm()) {
            case GRADIENT2 -> Gradient2Limit.newBuilder().initialLimit(p.initialLimit()).minLimit(min)
                    .maxConcurrency(p.maxLimit()).build();
            // Vegas has no floor of its own (it stops at 1): its decrease stops at the min limit.
            case VEGAS -> VegasLimit.newBuilder().initialLimit(p.initialLimit()).maxConcurrency(p.maxLimit())
                    .decreaseFunction(l -> Math.max(min, l - LOG10.applyAsInt((int) l))).build();
            case ENVOY_GRADIENT -> new EnvoyGradientLimit(p.initialLimit(), min, p.maxLimit());
        };
    }

    /**
     * Takes a slot when one is free, without waiting; counts a refusal otherwise.
     *
     * @return whether the call may go ahead (it then owns a slot and must {@link #release} it once)
     */
    public boolean tryAcquire() {
        if (take()) {
            return true;
        }
        rejected.increment();
        return false;
    }

    private boolean take() {
        while (true) {
            int current = inFlight.get();
            if (current >= limit.getLimit()) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /**
     * Takes a slot, waiting at most {@code maxWait} for one: for a thread that may block (never an
     * event loop's). The wait is on the system clock, since it is a real thread waiting.
     *
     * @param maxWait the longest wait; zero does not wait
     * @return whether the call had to wait for its slot
     * @throws ConcurrencyLimitExceededException when no slot came free in time, or the thread was
     *     interrupted while waiting (its interrupt flag is set again)
     */
    public boolean acquire(Duration maxWait) {
        if (take()) {
            return false;
        }
        long waitNanos = maxWait.toNanos();
        if (waitNanos > 0 && awaitSlot(waitNanos)) {
            return true;
        }
        rejected.increment();
        throw exceeded(maxWait);
    }

    private boolean awaitSlot(long waitNanos) {
        long left = waitNanos;
        waiting.incrementAndGet();
        lock.lock();
        try {
            while (!take()) {
                if (left <= 0) {
                    return false;
                }
                left = slotFreed.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
            waiting.decrementAndGet();
        }
    }

    /**
     * @param waited how long the refused call waited
     * @return the refusal, naming the service, the limit and the calls in flight now
     */
    public ConcurrencyLimitExceededException exceeded(Duration waited) {
        return new ConcurrencyLimitExceededException(service, limit.getLimit(), inFlight.get(), waited);
    }

    /** Gives a call's slot back; exactly once per slot taken. */
    public void release() {
        inFlight.decrementAndGet();
        wakeWaiters();
    }

    private void wakeWaiters() {
        if (waiting.get() > 0) {
            lock.lock();
            try {
                slotFreed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Teaches the limit one attempt of a call that holds a slot, after Netflix's listener: an
     * answer, success or not, is a latency sample; a timeout, a reset, a 5xx or an overload answer
     * is a sample of a <em>dropped</em> request; an attempt that never reached the service
     * (connection refused, nothing sent) or failed on this side without an answer is ignored, lest
     * it teach the limit an artificially short round trip.
     *
     * @param outcome how the attempt ended
     * @param threw whether it ended with an exception rather than a value
     * @param startNanos when it started, on the client's time source
     * @param nanos how long it took
     * @param inFlightAtStart calls holding a slot when it started ({@link #inFlight()} then), which
     *     Netflix's limits compare with the limit to tell a busy caller from an idle one
     */
    public void onAttempt(Outcome outcome, boolean threw, long startNanos, long nanos, int inFlightAtStart) {
        int sample = sampleOf(outcome, threw);
        if (sample != IGNORED) {
            // Vegas refuses a round trip of 0 (a coarse or fake clock can measure one).
            limit.onSample(startNanos, Math.max(1, nanos), inFlightAtStart, sample == DROPPED);
        }
    }

    /** @return how an attempt's outcome teaches the limit: {@link #IGNORED}, {@link #SAMPLED} or {@link #DROPPED} */
    static int sampleOf(Outcome outcome, boolean threw) {
        return switch (outcome.kind()) {
            case SUCCESS -> SAMPLED;
            // A 4xx is an answer with a real round trip; an exception of the caller's own is not.
            case CALLER_ERROR -> !threw || outcome.httpStatus() != 0 ? SAMPLED : IGNORED;
            case ENDPOINT_FAILURE, GATEWAY_FAILURE, OVERLOADED -> outcome.requestNotSent() ? IGNORED : DROPPED;
        };
    }

    /** @return the service whose calls are limited */
    public String service() {
        return service;
    }

    /** @return the settings */
    public AdaptiveConcurrencyPolicy policy() {
        return policy;
    }

    /** @return the limit now */
    public int limit() {
        return limit.getLimit();
    }

    /** @return calls holding a slot now */
    public int inFlight() {
        return inFlight.get();
    }

    /** @return calls refused since the limiter was made */
    public long rejected() {
        return rejected.sum();
    }

    @Override
    public String toString() {
        return "AdaptiveConcurrencyLimiter{" + service + ", limit " + limit() + ", in flight " + inFlight()
                + ", rejected " + rejected() + ", max wait " + Values.format(policy.maxWait()) + "}";
    }
}
