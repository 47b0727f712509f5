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
        return RateLimitProperties.PREFIX + ".limits" + mapKey(limit) + "." + property;
    }

    /**
     * @param key a map key
     * @return the key as a property name segment
     * @see ConfigChecks#mapKey(String)
     */
    public static String mapKey(String key) {
        return ConfigChecks.mapKey(key);
    }

    /**
     * @param property the full property name
     * @param value the value passed to core
     * @param check the call into core
     * @see ConfigChecks#check(String, Object, Runnable)
     */
    public static void check(String property, Object value, Runnable check) {
        ConfigChecks.check(property, value, check);
    }

    /**
     * @param coreMessage a core validation message
     * @return the rule
     * @see ConfigChecks#rule(String)
     */
    public static String rule(String coreMessage) {
        return ConfigChecks.rule(coreMessage);
    }
}
