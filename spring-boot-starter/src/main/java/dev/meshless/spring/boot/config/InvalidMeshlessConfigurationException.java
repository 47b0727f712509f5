package dev.meshless.spring.boot.config;

import dev.meshless.config.Values;
import java.util.Objects;

/**
 * Meshless configuration that cannot work, found at startup: names the property (or annotation
 * attribute), the value found and the rule it breaks. {@link InvalidMeshlessConfigurationFailureAnalyzer}
 * turns it into Spring Boot's "APPLICATION FAILED TO START" report.
 */
public class InvalidMeshlessConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The full property name or annotation attribute. */
    private final String property;
    /** The value found, as text. */
    private final String value;
    /** What the value must be. */
    private final String rule;

    /**
     * @param property the full property name, for example
     *     {@code meshless.rate-limit.limits.api.limit-for-period}, or the annotation attribute and
     *     where it is
     * @param value the value found, as the application gave it; {@code null} when it is missing
     * @param rule what the value must be, for example {@code must be at least 1}
     */
    public InvalidMeshlessConfigurationException(String property, Object value, String rule) {
        this(property, value, rule, null);
    }

    /**
     * @param property the full property name or annotation attribute
     * @param value the value found; {@code null} when it is missing
     * @param rule what the value must be
     * @param cause the underlying failure, or {@code null}
     */
    public InvalidMeshlessConfigurationException(String property, Object value, String rule, Throwable cause) {
        super(message(property, describe(value), rule), cause);
        this.property = Objects.requireNonNull(property, "property");
        this.value = describe(value);
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    /** @return the full property name (or annotation attribute) that holds the bad value */
    public String property() {
        return property;
    }

    /** @return the value found, as text; {@code (none)} when it is missing */
    public String value() {
        return value;
    }

    /** @return the rule the value breaks */
    public String rule() {
        return rule;
    }

    private static String message(String property, String value, String rule) {
        return "Invalid Meshless configuration: " + property + " = " + value + ": " + rule;
    }

    /**
     * Renders a value as an operator writes it in {@code application.yml}: {@code 1s} rather than
     * {@code PT1S}, {@code per-key} rather than {@code PER_KEY}.
     *
     * @param value a configuration value, or {@code null}
     * @return the text; {@code (none)} for {@code null}
     */
    public static String describeValue(Object value) {
        return describe(value);
    }

    private static String describe(Object value) {
        return Values.describe(value);
    }
}
