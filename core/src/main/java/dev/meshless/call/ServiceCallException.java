package dev.meshless.call;

import dev.meshless.MeshlessException;
import java.util.List;

/**
 * A call to a service that could not be served: says which service, why, and every attempt with
 * its endpoint, outcome and duration. The cause is the last attempt's exception, or the balancer's
 * {@code NoEndpointAvailableException}, when there is one.
 */
public final class ServiceCallException extends MeshlessException {

    /** Why the call failed. */
    public enum Reason {
        /** The balancer had no endpoint to offer (none, all tried, all unhealthy). */
        NO_ENDPOINT,
        /** The service's circuit breaker is open: the service is failing everywhere. */
        CIRCUIT_OPEN,
        /** A retry was needed but the retry budget was spent. */
        RETRY_BUDGET_EXHAUSTED,
        /** Every allowed attempt failed. */
        ATTEMPTS_EXHAUSTED,
        /** The failure may not be retried: the call is not idempotent, or its outcome kind is not retried. */
        NOT_RETRYABLE,
        /** The call's deadline passed, or would pass before the next attempt could start. */
        DEADLINE_EXCEEDED,
        /** The endpoint rejected the request as the caller's error, with an exception. */
        CALLER_ERROR,
        /** The calling thread was interrupted while waiting to retry. */
        INTERRUPTED
    }

    private final Reason reason;
    private final List<AttemptRecord> attempts;
    private final transient Object lastResult;

    ServiceCallException(String service, Reason reason, String detail, List<AttemptRecord> attempts,
                         Object lastResult, Throwable cause) {
        super(service, "Call to service '" + service + "' failed: " + detail
                + (attempts.isEmpty() ? "" : "; attempts: " + attempts), cause);
        this.reason = reason;
        this.attempts = List.copyOf(attempts);
        this.lastResult = lastResult;
    }

    /** @return why the call failed */
    public Reason reason() {
        return reason;
    }

    /** @return the attempts made, in order */
    public List<AttemptRecord> attempts() {
        return attempts;
    }

    /**
     * @return the value the last attempt returned (for example an HTTP 503 response), or
     *     {@code null} when it threw or no attempt was made
     */
    public Object lastResult() {
        return lastResult;
    }
}
