package dev.meshless.call;

import dev.meshless.balancer.Pick;
import dev.meshless.outcome.Outcome;

/**
 * Follows each call of a {@link ServiceClient} and each of its attempts as they happen, for
 * tracing: {@code dev.meshless.micrometer.observation.ObservationCallObserver} makes a Micrometer
 * {@code Observation} of each, so that a trace shows the call with its retries and failovers as
 * child spans. {@link CallMetrics} counts; this follows one call from its start to its end.
 *
 * <p>With {@link #NOOP} (the default) the call path skips every step below. Otherwise, for each
 * call of {@link ServiceClient#call} or {@link ServiceClient#callAsync}:
 * <ol>
 *   <li>{@link #callStarted} before the call is admitted (a call refused by its gate or its
 *       service breaker is observed too);</li>
 *   <li>for each attempt, {@link ObservedCall#attemptStarted} once its endpoint is picked and
 *       admitted, {@link ObservedAttempt#openScope} around the attempt's function (so that what
 *       the function starts, an HTTP client's own span for one, is a child of the attempt), then
 *       {@link ObservedAttempt#ended} with its outcome;</li>
 *   <li>{@link ObservedCall#ended} once, with the call's failure or {@code null}.</li>
 * </ol>
 * A synchronous call also holds {@link ObservedCall#openScope} from its start to its end, on the
 * calling thread. An asynchronous call's attempts may start on the time source's timer thread
 * and end on whichever thread completes them: an implementation ties each attempt to its call
 * through the {@code ObservedCall} it came from, never through the thread.
 *
 * <p>Implementations are called on the call path from any thread, must be thread-safe and must
 * not throw. Attempts of one call run one after another.
 */
public interface CallObserver {

    /** Observes nothing: the call path does not call it. */
    CallObserver NOOP = (service, options) -> null;

    /**
     * A call starts.
     *
     * @param service the service called
     * @param options what the call says about itself
     * @return the call's observation, or {@code null} to leave this call unobserved
     */
    ObservedCall callStarted(String service, CallOptions options);

    /** One call being observed; its methods are called one at a time, possibly from different threads. */
    interface ObservedCall {

        /**
         * @return a scope that makes this call the current one on this thread until closed
         */
        Scope openScope();

        /**
         * An attempt starts: its endpoint is picked and admitted.
         *
         * @param pick where it goes, and from which tier
         * @param number the attempt's number, 1 for the first
         * @return the attempt's observation, or {@code null} to leave this attempt unobserved (its
         *     function then runs without a scope, and {@code ended} is not called for it)
         */
        ObservedAttempt attemptStarted(Pick pick, int number);

        /**
         * The call ended.
         *
         * @param failure what the caller receives instead of an answer — a
         *     {@link ServiceCallException}, the gate's rejection, an exception the classifier
         *     called the caller's, an {@code Error} — or {@code null} when the call was answered
         */
        void ended(Throwable failure);
    }

    /** One attempt being observed. */
    interface ObservedAttempt {

        /**
         * @return a scope that makes this attempt the current one on this thread until closed;
         *     opened around the attempt's function
         */
        Scope openScope();

        /**
         * The attempt ended.
         *
         * @param outcome how it was classified
         * @param error what it threw or completed with, or {@code null}
         */
        void ended(Outcome outcome, Throwable error);
    }

    /** A scope opened on one thread, closed on the same thread. */
    interface Scope extends AutoCloseable {

        /** Restores what was current before. */
        @Override
        void close();
    }
}
