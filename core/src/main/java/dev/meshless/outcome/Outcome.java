package dev.meshless.outcome;

import java.time.Duration;
import java.util.Objects;

/**
 * What one attempt says about the endpoint that served it. Produced by an {@link OutcomeClassifier};
 * consumed by retries, outlier detection, zone circuit breakers and metrics.
 *
 * <p>Immutable. The common outcomes are shared constants, so classifying allocates nothing on the
 * success path.
 */
public final class Outcome {

    /** The kinds of outcome, and what each one does. */
    public enum Kind {
        /** The endpoint served the call. Resets failure counters; counts as a success everywhere. */
        SUCCESS,
        /**
         * The endpoint failed: connection refused or reset, timeout, a 5xx other than 502/503/504.
         * Counts towards outlier ejection and the zone breaker; retried when the call may be.
         */
        ENDPOINT_FAILURE,
        /**
         * A gateway failure (502, 503 without Retry-After, 504): as {@link #ENDPOINT_FAILURE}, and
         * also counted by the consecutive-gateway-failure rule.
         */
        GATEWAY_FAILURE,
        /**
         * The endpoint is overloaded and said so (429, or 503 with Retry-After): retried after the
         * asked delay, but the endpoint is neither ejected nor counted against its zone.
         */
        OVERLOADED,
        /**
         * The endpoint answered and the problem is the request (4xx), or the failure says nothing
         * about the endpoint: not retried, counts as the endpoint working.
         */
        CALLER_ERROR
    }

    private static final Outcome SUCCESS = new Outcome(Kind.SUCCESS, false, false, null, "success", true);
    private static final Outcome CALLER_ERROR = new Outcome(Kind.CALLER_ERROR, false, false, null, "caller error",
            true);

    private final Kind kind;
    private final boolean localOrigin;
    private final boolean requestNotSent;
    private final Duration retryAfter;
    private final String description;
    private final boolean retryable;
    private final int httpStatus;
    private final boolean refused;

    private Outcome(Kind kind, boolean localOrigin, boolean requestNotSent, Duration retryAfter, String description,
                    boolean retryable) {
        this(kind, localOrigin, requestNotSent, retryAfter, description, retryable, 0, false);
    }

    private Outcome(Kind kind, boolean localOrigin, boolean requestNotSent, Duration retryAfter, String description,
                    boolean retryable, int httpStatus, boolean refused) {
        this.refused = refused;
        this.kind = kind;
        this.localOrigin = localOrigin;
        this.requestNotSent = requestNotSent;
        this.retryAfter = retryAfter;
        this.description = Objects.requireNonNull(description, "description");
        this.retryable = retryable;
        this.httpStatus = httpStatus;
    }

    /** @return the shared success outcome */
    public static Outcome success() {
        return SUCCESS;
    }

    /**
     * The request could not reach the endpoint at all (connection refused, connect timeout, no
     * route): local origin, and safe to retry whatever the method, because nothing was sent.
     *
     * @param description what happened, e.g. "connection refused"
     * @return the outcome
     */
    public static Outcome connectFailure(String description) {
        return new Outcome(Kind.ENDPOINT_FAILURE, true, true, null, description, true);
    }

    /**
     * The endpoint's address refused the connection or cannot be reached at all (connection
     * refused, no route to host, port unreachable): a connect failure that, unlike a connect
     * timeout, no amount of load explains. Outlier detection ejects on a few of them in a row
     * ({@code consecutiveConnectionRefusals}).
     *
     * @param description what happened, e.g. "ConnectException"
     * @return the outcome
     */
    public static Outcome connectionRefused(String description) {
        return new Outcome(Kind.ENDPOINT_FAILURE, true, true, null, description, true, 0, true);
    }

    /**
     * @param description what happened, e.g. "read timed out" or "HTTP 500"
     * @param localOrigin whether this side detected it (timeout, reset) rather than the endpoint
     *     answering with an error
     * @return an endpoint failure
     */
    public static Outcome endpointFailure(String description, boolean localOrigin) {
        return new Outcome(Kind.ENDPOINT_FAILURE, localOrigin, false, null, description, true);
    }

    /**
     * @param description what happened, e.g. "HTTP 503"
     * @return a gateway failure
     */
    public static Outcome gatewayFailure(String description) {
        return new Outcome(Kind.GATEWAY_FAILURE, false, false, null, description, true);
    }

    /**
     * @param description what happened, e.g. "HTTP 429"
     * @param retryAfter how long the endpoint asked to wait, or {@code null} when it did not say
     * @return an overload signal
     */
    public static Outcome overloaded(String description, Duration retryAfter) {
        return new Outcome(Kind.OVERLOADED, false, false, retryAfter, description, true);
    }

    /** @return the shared caller-error outcome */
    public static Outcome callerError() {
        return CALLER_ERROR;
    }

    /**
     * @param description what happened, e.g. "HTTP 404"
     * @return a caller error with a description
     */
    public static Outcome callerError(String description) {
        return new Outcome(Kind.CALLER_ERROR, false, false, null, description, true);
    }

    /**
     * The same outcome, but never retried (for example an HTTP status the caller's policy does not
     * list as retryable): it still counts for outlier detection and breakers.
     *
     * @return a copy that is not retryable
     */
    public Outcome notRetryable() {
        return retryable
                ? new Outcome(kind, localOrigin, requestNotSent, retryAfter, description, false, httpStatus, refused)
                : this;
    }

    /**
     * The same outcome, saying which HTTP status it came from, so that the call policy's retryable
     * statuses ({@code CallPolicy.retryableStatuses()}) apply to it.
     *
     * @param status the HTTP status code
     * @return a copy carrying the status
     */
    public Outcome withHttpStatus(int status) {
        return new Outcome(kind, localOrigin, requestNotSent, retryAfter, description, retryable, status, refused);
    }

    /** @return the HTTP status this outcome was classified from, or 0 when it did not come from one */
    public int httpStatus() {
        return httpStatus;
    }

    /** @return whether a failed attempt with this outcome may be retried (subject to the call policy) */
    public boolean retryable() {
        return retryable;
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /** @return whether the endpoint failed (endpoint or gateway failure) */
    public boolean isEndpointFailure() {
        return kind == Kind.ENDPOINT_FAILURE || kind == Kind.GATEWAY_FAILURE;
    }

    /** @return whether this side detected the failure (connect error, timeout, reset) */
    public boolean localOrigin() {
        return localOrigin;
    }

    /** @return whether the request certainly never reached the endpoint, so any method may be retried */
    public boolean requestNotSent() {
        return requestNotSent;
    }

    /** @return whether the connection was refused or the address unreachable: an unambiguous connect failure */
    public boolean refused() {
        return refused;
    }

    /** @return the delay the endpoint asked for, or {@code null} */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** @return a short description for logs and exceptions */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return kind + " (" + description + ")";
    }
}
