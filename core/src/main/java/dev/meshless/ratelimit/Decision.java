package dev.meshless.ratelimit;

import java.time.Duration;

/**
 * The answer to one permit request, with what an HTTP response needs to tell the caller
 * ({@code RateLimit-Limit}, {@code RateLimit-Remaining}, {@code RateLimit-Reset}, {@code Retry-After}).
 *
 * @param permitted whether the request may go ahead (always true in shadow mode)
 * @param wouldReject whether the limit was exceeded; true with {@code permitted} in shadow mode
 * @param limit the permits per period of the limit that applied
 * @param remaining permits left right now, 0 or more
 * @param reset time until the limit is back to its full burst
 * @param retryAfter time until a permit is free again; zero when permitted
 */
public record Decision(boolean permitted, boolean wouldReject, int limit, long remaining, Duration reset,
                       Duration retryAfter) {
}
