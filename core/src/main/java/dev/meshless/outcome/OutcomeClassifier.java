package dev.meshless.outcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Turns the result or the exception of one attempt into an {@link Outcome} (the classification SPI).
 * Implementations must be fast, thread-safe and must not throw.
 *
 * <p>{@link #defaults()} knows the JDK's network exceptions; {@link #forHttpResponses} adds status
 * codes for any HTTP client's response type. HTTP integrations of the Spring starter build on it.
 */
@FunctionalInterface
public interface OutcomeClassifier {

    /**
     * @param result what the attempt returned, or {@code null} when it threw
     * @param failure what the attempt threw, or {@code null} when it returned
     * @return the outcome, never {@code null}
     */
    Outcome classify(Object result, Throwable failure);

    /**
     * Any returned value is a success; exceptions are classified by {@link #classifyException}.
     *
     * @return the default classifier
     */
    static OutcomeClassifier defaults() {
        return (result, failure) -> failure == null ? Outcome.success() : classifyException(failure);
    }

    /**
     * Classifies responses of an HTTP client by status code ({@link #classifyStatus}); other
     * results are successes and exceptions go to {@link #classifyException}.
     *
     * @param responseType the client's response type, e.g. {@code java.net.http.HttpResponse}
     * @param status reads the status code of a response
     * @param retryAfter reads the {@code Retry-After} header of a response, {@code null} when absent
     * @param <R> the response type
     * @return the classifier
     */
    static <R> OutcomeClassifier forHttpResponses(Class<R> responseType, ToIntFunction<? super R> status,
                                                  Function<? super R, String> retryAfter) {
        return (result, failure) -> {
            if (failure != null) {
                return classifyException(failure);
            }
            if (responseType.isInstance(result)) {
                R response = responseType.cast(result);
                return classifyStatus(status.applyAsInt(response), retryAfter.apply(response));
            }
            return Outcome.success();
        };
    }

    /**
     * The status-code rules: 1xx–3xx success; 429 overloaded; 503 overloaded with Retry-After,
     * otherwise a gateway failure, as are 502 and 504; other 5xx endpoint failures; other 4xx caller
     * errors. Failures carry their status ({@link Outcome#httpStatus()}), so that only the call
     * policy's {@code retryableStatuses} are retried.
     *
     * @param status the HTTP status code
     * @param retryAfterHeader the {@code Retry-After} header value, or {@code null}
     * @return the outcome
     */
    static Outcome classifyStatus(int status, String retryAfterHeader) {
        if (status < 400) {
            return Outcome.success();
        }
        if (status == 429 || (status == 503 && retryAfterHeader != null)) {
            return Outcome.overloaded("HTTP " + status, parseRetryAfter(retryAfterHeader)).withHttpStatus(status);
        }
        if (status == 502 || status == 503 || status == 504) {
            return Outcome.gatewayFailure("HTTP " + status).withHttpStatus(status);
        }
        if (status >= 500) {
            return Outcome.endpointFailure("HTTP " + status, false).withHttpStatus(status);
        }
        return Outcome.callerError("HTTP " + status).withHttpStatus(status);
    }

    /**
     * The exception rules, looking through {@code CompletionException}, {@code ExecutionException}
     * and {@code UncheckedIOException}: connect failures (refused, connect timeout, no route,
     * unknown host) are local-origin failures that never sent the request, and refusals (refused,
     * no route, port unreachable) say so ({@link Outcome#refused()}); timeouts and other
     * {@code IOException}s (reset, closed) are local-origin endpoint failures; anything else says
     * nothing about the endpoint and is a caller error.
     *
     * @param failure what an attempt threw
     * @return the outcome
     */
    static Outcome classifyException(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException
                || t instanceof UncheckedIOException) && t.getCause() != null) {
            t = t.getCause();
        }
        String name = t.getClass().getSimpleName();
        if ((t instanceof ConnectException && !name.contains("Timeout")) || t instanceof NoRouteToHostException
                || t instanceof PortUnreachableException) {
            // Netty's ConnectTimeoutException is a ConnectException, but a timeout is not a refusal.
            return Outcome.connectionRefused(name);
        }
        if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                || t instanceof UnknownHostException) {
            return Outcome.connectFailure(name);
        }
        if (t instanceof SocketTimeoutException || t instanceof HttpTimeoutException
                || t instanceof TimeoutException) {
            return Outcome.endpointFailure(name, true);
        }
        if (t instanceof IOException) {
            return Outcome.endpointFailure(name, true);
        }
        return Outcome.callerError(name);
    }

    /**
     * @param header a {@code Retry-After} value in seconds, or {@code null}
     * @return the delay, or {@code null} when absent or not a number of seconds (an HTTP date is
     *     treated as "no delay given")
     */
    static Duration parseRetryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            return null;
        }
    }
}
