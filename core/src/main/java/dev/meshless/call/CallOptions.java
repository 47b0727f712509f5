package dev.meshless.call;

import java.time.Duration;
import java.util.Locale;

/**
 * What one call says about itself: its HTTP method, whether it is idempotent, its deadline.
 * Immutable; {@link #defaults()} and the {@code with} methods return shared or new values.
 *
 * <p>A call is retried on endpoint failures only when it is safe: its method is one of the
 * policy's retryable methods (GET, HEAD, OPTIONS, PUT, DELETE by default) or the call is declared
 * idempotent. A call with neither is not retried, except after failures that certainly never sent
 * the request (connection refused).
 */
public final class CallOptions {

    private static final CallOptions DEFAULTS = new CallOptions(null, false, null);
    private static final CallOptions IDEMPOTENT = new CallOptions(null, true, null);

    private final String method;
    private final boolean idempotent;
    private final Duration deadline;

    private CallOptions(String method, boolean idempotent, Duration deadline) {
        this.method = method;
        this.idempotent = idempotent;
        this.deadline = deadline;
    }

    /** @return no method, not declared idempotent, the policy's deadline */
    public static CallOptions defaults() {
        return DEFAULTS;
    }

    /** @return a call declared idempotent: retried on every retryable outcome */
    public static CallOptions idempotent() {
        return IDEMPOTENT;
    }

    /**
     * @param method an HTTP method such as GET or POST
     * @return options for a call with that method
     */
    public static CallOptions method(String method) {
        return DEFAULTS.withMethod(method);
    }

    /**
     * @param httpMethod the HTTP method, not blank
     * @return a copy with that method
     */
    public CallOptions withMethod(String httpMethod) {
        if (httpMethod == null || httpMethod.isBlank()) {
            throw new IllegalArgumentException("method must be an HTTP method name, but was "
                    + (httpMethod == null ? "null" : "'" + httpMethod + "'"));
        }
        return new CallOptions(httpMethod.trim().toUpperCase(Locale.ROOT), idempotent, deadline);
    }

    /**
     * @param isIdempotent whether the call may be repeated safely
     * @return a copy with that flag
     */
    public CallOptions withIdempotent(boolean isIdempotent) {
        return new CallOptions(method, isIdempotent, deadline);
    }

    /**
     * @param callDeadline how long the whole call may take, positive
     * @return a copy with that deadline instead of the policy's
     */
    public CallOptions withDeadline(Duration callDeadline) {
        if (callDeadline == null || callDeadline.isNegative() || callDeadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, but was " + callDeadline);
        }
        return new CallOptions(method, idempotent, callDeadline);
    }

    /** @return the HTTP method, upper case, or {@code null} */
    public String method() {
        return method;
    }

    /** @return whether the call was declared idempotent */
    public boolean isIdempotent() {
        return idempotent;
    }

    /** @return this call's deadline, or {@code null} to use the policy's */
    public Duration deadline() {
        return deadline;
    }

    @Override
    public String toString() {
        return "CallOptions{method=" + method + ", idempotent=" + idempotent + ", deadline=" + deadline + "}";
    }
}
