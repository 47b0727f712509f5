package dev.meshless.spring.boot.shedding;

import dev.meshless.spring.boot.web.ProblemJson;
import java.net.URI;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * What a shed request is answered, the same from the servlet and the WebFlux filter: 503 with
 * {@code Retry-After} (whole seconds) and an RFC 9457 {@code application/problem+json} body whose
 * {@code detail} says that the service is overloaded, with the extension members {@code limit},
 * {@code inFlight} and {@code priority}. Envoy's adaptive concurrency filter answers 503 too: the
 * server, not the client, is the problem, and a client's retry policy treats 503 as retryable elsewhere.
 *
 * <p>Immutable; thread-safe.
 */
public final class SheddingResponses {

    /** HTTP 503. */
    public static final int STATUS = 503;
    /** The title of the body: the reason phrase of 503. */
    public static final String TITLE = "Service Unavailable";

    private final URI problemType;
    private final String retryAfter;

    /**
     * @param problemType the {@code type} of bodies
     * @param retryAfter the {@code Retry-After}, rounded up to whole seconds, at least 1
     */
    public SheddingResponses(URI problemType, Duration retryAfter) {
        this.problemType = problemType;
        long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
        this.retryAfter = Long.toString(Math.max(1, seconds));
    }

    /**
     * The headers of a 503 but the content type and length.
     *
     * @param header receives each header name and value
     */
    public void forEachHeader(BiConsumer<String, String> header) {
        header.accept("Retry-After", retryAfter);
    }

    /**
     * @param priority the shed request's priority
     * @param limit the concurrency limit when it was shed
     * @param inFlight the requests in flight then
     * @param instance the request path, URL-encoded as received
     * @return the body, UTF-8 JSON
     */
    public byte[] problem(Priority priority, int limit, int inFlight, String instance) {
        String detail = "The service is overloaded: " + inFlight + " requests in flight at a concurrency limit of "
                + limit + ", and " + priority.tag() + " priority requests are admitted only below "
                + priority.threshold(limit);
        return new ProblemJson(problemType, TITLE, STATUS, detail, instance).member("limit", limit)
                .member("inFlight", inFlight).member("priority", priority.tag()).toBytes();
    }
}
