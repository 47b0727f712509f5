package dev.meshless.time;

import java.time.Clock;
import java.time.Duration;

/**
 * Where Meshless gets time from and how it waits: a monotonic nanosecond ticker, a wall clock,
 * timers and sleeps. Every time-based rule (ejection times, breaker waits, retry budgets, backoff,
 * deadlines) goes through one of these, so that tests drive time with a fake instead of sleeping.
 *
 * <p>Implementations are thread-safe.
 */
public interface TimeSource {

    /** @return a monotonic time in nanoseconds, only meaningful as a difference */
    long nanoTime();

    /** @return a wall clock for timestamps and for libraries that take a {@link Clock} (Resilience4j) */
    Clock clock();

    /**
     * Runs a task once after a delay, on a timer thread. The task must be short and must not block.
     *
     * @param task what to run
     * @param delay how long from now, zero or more
     * @return a handle that cancels the task if it has not started
     */
    Cancellable schedule(Runnable task, Duration delay);

    /**
     * Blocks the calling thread (synchronous retries' backoff).
     *
     * @param duration how long
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;

    /** @return the system's time, with timers on a shared daemon thread */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the task if it has not started; idempotent. */
        void cancel();
    }
}
