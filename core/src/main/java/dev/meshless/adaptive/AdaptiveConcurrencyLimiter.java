package dev.meshless.adaptive;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limit.functions.Log10RootIntFunction;
import dev.meshless.config.Values;
import dev.meshless.outcome.Outcome;
import dev.meshless.time.TimeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
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
 * <p>Calls beyond the limit may wait for a slot, in one line in order of arrival, whether they
 * block ({@link #acquire}) or not ({@link #acquireAsync}). While any call waits, a slot that comes
 * free (a {@link #release}, or a higher limit after {@link #onAttempt}) is handed to the oldest
 * waiter, never taken by a newcomer, so that waiters are not starved under load.
 *
 * <p>Thread-safe. Admission and release without waiters are lock-free (a compare-and-set and one
 * volatile read); a lock guards only the line of waiters, and is held to edit it, never while a
 * waiter's continuation runs. The algorithm's {@code onSample} is synchronized inside Netflix's
 * {@code AbstractLimit}, once per attempt.
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
    /** Calls waiting for a slot, oldest first; edited only under {@link #lock}, never iterated outside it. */
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Guards {@link #waiters}; held only to edit the line, never while a waiter's continuation runs. */
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * The line's length, written under {@link #lock}, read without it: the one read that
     * {@link #release} and a newcomer's admission add while nobody waits.
     */
    private volatile int waiting;
    /** Drains asked for and not yet looked at; the thread that raises it from 0 serves the line ({@link #drain}). */
    private final AtomicInteger drains = new AtomicInteger();

    private AdaptiveConcurrencyLimiter(String service, AdaptiveConcurrencyPolicy policy) {
        this.service = service;
        this.policy = policy;
        this.limit = algorithm(policy);
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
     * and max limits — for other limiters on the same settings: the Spring Boot starter's inbound load
     * shedding feeds Netflix's algorithms through a {@code WindowedLimit}, and Envoy's gradient
     * controller, which keeps windows of its own, each sample as it comes.
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
     * Takes a slot when one is free and nobody waits for one, without waiting; counts a refusal
     * otherwise.
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

    /**
     * A newcomer's admission: a free slot, unless calls are waiting — a slot freed while they wait
     * is theirs, in their order ({@link #drain}); letting a newcomer barge in would starve them
     * under load. On the path without waiters this costs one volatile read more than a bare
     * compare-and-set.
     */
    private boolean take() {
        return waiting == 0 && reserve();
    }

    /** Counts one more call in flight if the limit allows it, waiters or not. */
    private boolean reserve() {
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
     * event loop's). It waits in the same queue as asynchronous calls ({@link #acquireAsync}), in
     * order of arrival. The wait is on the system clock, since it is a real thread waiting.
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
        if (waitNanos <= 0) {
            rejected.increment();
            throw exceeded(Duration.ZERO);
        }
        long since = System.nanoTime();
        ParkedWaiter waiter = new ParkedWaiter(Thread.currentThread());
        enqueue(waiter);
        boolean interrupted = false;
        while (!waiter.isSettled()) {
            long left = since + waitNanos - System.nanoTime();
            if (left <= 0 || Thread.interrupted()) {
                interrupted = left > 0;
                break;
            }
            LockSupport.parkNanos(this, left);
        }
        if (waiter.settle()) { // timed out or interrupted before any slot was handed over
            withdraw(waiter);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            rejected.increment();
            // A timeout waited maxWait (the park may overshoot it by a little, which is not the
            // call's to know); an interrupt cut the wait short.
            throw exceeded(interrupted ? Duration.ofMillis((System.nanoTime() - since) / 1_000_000) : maxWait);
        }
        if (interrupted) {
            Thread.currentThread().interrupt(); // it got its slot; the interrupt is the caller's to see
        }
        return true;
    }

    /**
     * Takes a slot for a call that must not block: at once when one is free and nobody waits;
     * otherwise, with a {@code maxWait} above zero, the call waits in line (the same line as
     * {@link #acquire}'s threads) and a released slot is handed to it, the oldest first.
     *
     * <p>The returned future completes, with how long the call waited, once the caller owns a slot,
     * which it must {@link #release} once; or exceptionally with a
     * {@link ConcurrencyLimitExceededException} saying how long it waited ({@code maxWait}) when no
     * slot came within {@code maxWait} on {@code time}'s timer. Cancelling it (or completing it
     * exceptionally) before a slot comes takes the call out of the line; a slot handed over
     * meanwhile goes back. The future may complete on the calling thread, on the thread of a
     * {@link #release} or an {@link #onAttempt} that freed a slot, or on the timer thread; what
     * depends on it must not block.
     *
     * @param maxWait the longest wait; zero does not wait
     * @param time whose timer ends the wait
     * @return the slot to come; {@code null} when a slot was taken at once (the common case, which
     *     allocates nothing)
     * @throws ConcurrencyLimitExceededException when no slot is free and {@code maxWait} is zero
     */
    public CompletableFuture<Duration> acquireAsync(Duration maxWait, TimeSource time) {
        if (take()) {
            return null;
        }
        if (maxWait.toNanos() <= 0) {
            rejected.increment();
            throw exceeded(Duration.ZERO);
        }
        AsyncWaiter waiter = new AsyncWaiter(time);
        // Out of the line however it ends without a slot: timed out, or cancelled by the caller.
        waiter.slot.whenComplete((waited, failure) -> {
            if (failure != null) {
                withdraw(waiter);
            }
        });
        enqueue(waiter); // may hand it a slot at once, if one came free since take()
        if (!waiter.slot.isDone()) {
            TimeSource.Cancellable timer = time.schedule(() -> {
                if (waiter.slot.completeExceptionally(exceeded(maxWait))) {
                    rejected.increment();
                }
            }, maxWait);
            waiter.slot.whenComplete((waited, failure) -> timer.cancel());
        }
        return waiter.slot;
    }

    /** Puts a waiter at the end of the line, then serves the line: a slot may have come free meanwhile. */
    private void enqueue(Waiter waiter) {
        lock.lock();
        try {
            waiters.addLast(waiter);
            waiting = waiters.size();
        } finally {
            lock.unlock();
        }
        drain();
    }

    /** Takes a waiter that gave up out of the line (a no-op when a slot was handed to it meanwhile). */
    private void withdraw(Waiter waiter) {
        lock.lock();
        try {
            if (waiters.removeFirstOccurrence(waiter)) {
                waiting = waiters.size();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands free slots to the waiters, oldest first, while the limit allows.
     *
     * <p>A trampoline: the thread that finds no drain running becomes the drainer and loops until no
     * other thread asked for a drain meanwhile; any other thread (or the drainer itself, re-entering)
     * only asks and returns. It matters because handing a slot over runs the waiter's continuation
     * on this thread: an asynchronous call then starts, and a call that fails at once gives its slot
     * back, which drains again. Calling the drain recursively would grow the stack by one call per
     * waiter (release, start, fail, release...); here the freed slot goes to the next waiter in the
     * same loop. No thread waits for another: a drainer never blocks (the lock is held only to edit
     * the line, never while a continuation runs), so it is safe on an event loop.
     *
     * <p>Every caller changed something first (freed a slot, raised the limit, joined the line) and
     * then calls this; the increment of {@code drains} after that change means the drainer looks
     * again, so no free slot is left while someone waits.
     */
    private void drain() {
        if (drains.getAndIncrement() != 0) {
            return;
        }
        int asked = 1;
        do {
            Waiter next;
            while ((next = nextServed()) != null) {
                if (!next.handOver()) {
                    inFlight.decrementAndGet(); // it gave up just before: the slot is free again
                }
            }
            asked = drains.addAndGet(-asked);
        } while (asked != 0);
    }

    /** @return the oldest waiter, out of the line with a slot reserved for it, or {@code null} when none can be served */
    private Waiter nextServed() {
        lock.lock();
        try {
            Waiter first = waiters.peekFirst();
            if (first == null || !reserve()) {
                return null;
            }
            waiters.pollFirst();
            waiting = waiters.size();
            return first;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param waited how long the refused call waited
     * @return the refusal, naming the service, the limit and the calls in flight now
     */
    public ConcurrencyLimitExceededException exceeded(Duration waited) {
        return new ConcurrencyLimitExceededException(service, limit.getLimit(), inFlight.get(), waited);
    }

    /**
     * Gives a call's slot back; exactly once per slot taken. While calls wait, the slot goes to the
     * oldest of them, whose continuation may run on this thread (see {@link #acquireAsync}).
     */
    public void release() {
        inFlight.decrementAndGet();
        if (waiting > 0) {
            drain();
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
            // A higher limit frees slots for the waiters. Served here rather than from
            // Limit.notifyOnChange, whose listeners run inside Netflix's synchronized onSample:
            // calls started from there would hold that monitor while their first attempt starts.
            if (waiting > 0) {
                drain();
            }
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

    /** @return calls waiting for a slot now */
    public int waiting() {
        return waiting;
    }

    /** A call in line for a slot; a slot is handed over to it once at most. */
    private abstract static class Waiter {
        /**
         * Called by the drain, with a slot reserved for this waiter and outside the lock.
         *
         * @return whether the waiter took the slot; {@code false} when it gave up first (the slot
         *     then goes back)
         */
        abstract boolean handOver();
    }

    /** A thread parked in {@link #acquire}: whichever of the hand-over and the give-up settles it first wins. */
    private static final class ParkedWaiter extends Waiter {
        private final Thread thread;
        private final AtomicBoolean settled = new AtomicBoolean();

        ParkedWaiter(Thread thread) {
            this.thread = thread;
        }

        boolean settle() {
            return settled.compareAndSet(false, true);
        }

        boolean isSettled() {
            return settled.get();
        }

        @Override
        boolean handOver() {
            if (!settle()) {
                return false;
            }
            LockSupport.unpark(thread);
            return true;
        }
    }

    /** A call of {@link #acquireAsync}: its future is its state; completing it first wins. */
    private static final class AsyncWaiter extends Waiter {
        final CompletableFuture<Duration> slot = new CompletableFuture<>();
        private final TimeSource time;
        final long since;

        AsyncWaiter(TimeSource time) {
            this.time = time;
            this.since = time.nanoTime();
        }

        @Override
        boolean handOver() {
            // Runs what depends on the slot (the call's start) on this thread, inside the drain's loop.
            return slot.complete(Duration.ofNanos(time.nanoTime() - since));
        }
    }

    @Override
    public String toString() {
        return "AdaptiveConcurrencyLimiter{" + service + ", limit " + limit() + ", in flight " + inFlight()
                + ", waiting " + waiting() + ", rejected " + rejected() + ", max wait " + Values.format(policy.maxWait()) + "}";
    }
}
