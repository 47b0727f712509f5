package dev.meshless.call;

import dev.meshless.balancer.Pick;
import dev.meshless.outcome.Outcome;

/**
 * Receives the call path's measurements; {@code dev.meshless.micrometer.MicrometerCallMetrics}
 * turns them into meters. Called on the call path: implementations must be fast, thread-safe and
 * must not throw. Every method does nothing by default.
 */
public interface CallMetrics {

    /** Records nothing. */
    CallMetrics NOOP = new CallMetrics() { };

    /**
     * One attempt ended.
     *
     * @param service the service
     * @param pick where it went
     * @param outcome how it ended
     * @param nanos how long it took
     */
    default void attempt(String service, Pick pick, Outcome outcome, long nanos) {
    }

    /**
     * A retry was made.
     *
     * @param service the service
     */
    default void retry(String service) {
    }

    /**
     * A call's first attempt failed and the call is retried: counted once per call, with its first
     * retry (whereas {@link #retry} counts every retry).
     *
     * @param service the service
     */
    default void callRetried(String service) {
    }

    /**
     * A retry was refused because the retry budget was spent.
     *
     * @param service the service
     */
    default void retryBudgetExhausted(String service) {
    }
}
