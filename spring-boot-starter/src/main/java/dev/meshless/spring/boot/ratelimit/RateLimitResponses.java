package dev.meshless.spring.boot.ratelimit;

import dev.meshless.ratelimit.Decision;
import dev.meshless.ratelimit.RateLimitedException;
import dev.meshless.spring.boot.web.ProblemJson;
import java.net.URI;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * What an HTTP response says about a rate limit, the same from the servlet filter, the WebFlux
 * filter and the exception handlers: the {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset} headers (IETF httpapi rate-limit header draft; seconds, rounded up), and
 * for a rejection {@code Retry-After} (seconds, rounded up, at least 1) with an RFC 9457
 * {@code application/problem+json} body.
 *
 * <p>Stateless; thread-safe.
 */
public final class RateLimitResponses {

    /** Permits per period of the limit that applied. */
    public static final String LIMIT = "RateLimit-Limit";
    /** Permits left now. */
    public static final String REMAINING = "RateLimit-Remaining";
    /** Seconds until the limit is back to its full burst. */
    public static final String RESET = "RateLimit-Reset";
    /** Seconds until a permit is free (rejections only). */
    public static final String RETRY_AFTER = "Retry-After";
    /** The content type of rejection bodies. */
    public static final String PROBLEM_JSON = ProblemJson.CONTENT_TYPE;
    /** The title of rejection bodies: the reason phrase of 429. */
    public static final String TITLE = "Too Many Requests";
    /** HTTP 429. */
    public static final int STATUS = 429;

    private RateLimitResponses() {
    }

    /**
     * The {@code RateLimit-*} headers of a decision.
     *
     * @param decision the decision to describe
     * @param header receives each header name and value
     */
    public static void forEach(Decision decision, BiConsumer<String, String> header) {
        header.accept(LIMIT, Integer.toString(decision.limit()));
        header.accept(REMAINING, Long.toString(decision.remaining()));
        header.accept(RESET, Long.toString(ceilSeconds(decision.reset())));
    }

    /**
     * The headers of a rejection: the {@code RateLimit-*} headers and {@code Retry-After}.
     *
     * @param decision the refusal
     * @param header receives each header name and value
     */
    public static void forEachOfRejection(Decision decision, BiConsumer<String, String> header) {
        header.accept(RETRY_AFTER, Long.toString(Math.max(1, ceilSeconds(decision.retryAfter()))));
        forEach(decision, header);
    }

    /**
     * Of two decisions for one request (several limits applied), the one its headers show: the one
     * with fewer permits remaining, then the one that takes longer to reset.
     *
     * @param a a decision, or {@code null}
     * @param b another decision
     * @return the more restrictive one
     */
    public static Decision moreRestrictive(Decision a, Decision b) {
        if (a == null) {
            return b;
        }
        if (a.remaining() != b.remaining()) {
            return a.remaining() < b.remaining() ? a : b;
        }
        return a.reset().compareTo(b.reset()) >= 0 ? a : b;
    }

    /**
     * The RFC 9457 body of a rejection: {@code type}, {@code title}, {@code status}, {@code detail}
     * (the exception's message), {@code instance} (the request path) and the extension members
     * {@code limit} and, for a per-key limit, {@code key}.
     *
     * @param type the problem type URI
     * @param rejection the rejection
     * @param instance the request path, URL-encoded as received
     * @return the body, UTF-8 JSON
     */
    public static byte[] problem(URI type, RateLimitedException rejection, String instance) {
        ProblemJson json = new ProblemJson(type, TITLE, STATUS, rejection.getMessage(), instance)
                .member("limit", rejection.limitName());
        if (rejection.key() != null) {
            json.member("key", rejection.key());
        }
        return json.toBytes();
    }

    static long ceilSeconds(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return 0;
        }
        long seconds = d.getSeconds();
        return d.getNano() > 0 ? seconds + 1 : seconds;
    }
}
