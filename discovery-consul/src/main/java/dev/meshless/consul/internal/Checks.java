package dev.meshless.consul.internal;

import dev.meshless.config.Values;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Validation for the config builders: each failure says {@code <property> must <rule>, but was <value>},
 * the form the Spring starter turns into a full property name.
 */
public final class Checks {

    private Checks() {
    }

    /**
     * @param property builder property name
     * @param value the value
     * @param min smallest allowed
     * @param max largest allowed
     * @return the value
     */
    public static Duration between(String property, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(property + " must be between " + Values.format(min) + " and "
                    + Values.format(max) + ", but was " + (value == null ? "null" : Values.format(value)));
        }
        return value;
    }

    /**
     * @param property builder property name
     * @param value the value
     * @param min smallest allowed
     * @param max largest allowed
     * @return the value
     */
    public static long between(String property, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(property + " must be between " + min + " and " + max + ", but was "
                    + value);
        }
        return value;
    }

    /**
     * @param property builder property name
     * @param value the value
     * @return the value
     */
    public static String name(String property, String value) {
        if (value == null || value.isBlank() || !value.equals(value.strip())) {
            throw new IllegalArgumentException(property + " must be a non-blank name without surrounding spaces, "
                    + "but was " + (value == null ? "null" : "'" + value + "'"));
        }
        return value;
    }

    /**
     * @param property builder property name
     * @param values names
     * @return an immutable copy, each checked with {@link #name} and not repeated
     */
    public static List<String> names(String property, Collection<String> values) {
        List<String> copy = List.copyOf(values);
        for (String v : copy) {
            name(property, v);
            if (copy.indexOf(v) != copy.lastIndexOf(v)) {
                throw new IllegalArgumentException(property + " must not repeat a name, but was " + copy);
            }
        }
        return copy;
    }
}
