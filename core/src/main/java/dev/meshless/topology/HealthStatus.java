package dev.meshless.topology;

import dev.meshless.config.InvalidConfigurationException;
import java.util.Locale;

/**
 * Health of an endpoint as reported by its registry (for Consul, the aggregate of its checks).
 *
 * <p>This is only the registry's opinion. The load balancer combines it with outlier ejection and
 * zone circuit breakers before deciding whether an endpoint may receive traffic.
 */
public enum HealthStatus {
    /** Every check passes. */
    PASSING,
    /**
     * At least one check warns and none is critical. Routable by default, as Consul's DNS interface
     * does ({@code only_passing = false}); see {@code LoadBalancingPolicy.Builder.warningIsHealthy}.
     */
    WARNING,
    /** At least one check is critical, or the endpoint is in maintenance: never routable outside panic. */
    CRITICAL;

    /**
     * Parses {@code passing}, {@code warning} or {@code critical}, ignoring case.
     *
     * @param field name of the field being parsed, used in the error message
     * @param value the text to parse
     * @return the status
     * @throws InvalidConfigurationException naming the field and the value when it is not one of the three
     */
    public static HealthStatus parse(String field, String value) {
        if (value != null) {
            switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "passing":
                    return PASSING;
                case "warning":
                    return WARNING;
                case "critical":
                    return CRITICAL;
                default:
                    break;
            }
        }
        throw new InvalidConfigurationException(field, value, "must be one of passing, warning, critical");
    }

    /** @return the lower-case name used in configuration and JSON */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
