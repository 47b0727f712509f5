package dev.meshless.spring.boot.ratelimit.internal;

import dev.meshless.spring.boot.config.ConfigChecks;
import dev.meshless.spring.boot.ratelimit.RateLimitProperties;

/**
 * Full property names for error messages, and core's validation messages turned into rules that
 * follow those names. Internal: free to change.
 */
public final class PropertyPaths {

    private PropertyPaths() {
    }

    /**
     * @param property a property under {@code meshless.rate-limit}, for example {@code defaults.period}
     * @return its full name
     */
    public static String of(String property) {
        return RateLimitProperties.PREFIX + "." + property;
    }

    /**
     * @param limit a limit's name
     * @param property a property of the limit, for example {@code limit-for-period}
     * @return its full name, for example {@code meshless.rate-limit.limits.api.limit-for-period}
     */
    public static String limit(String limit, String property) {
        return RateLimitProperties.PREFIX + ".limits" + ConfigChecks.mapKey(limit) + "." + property;
    }

}
