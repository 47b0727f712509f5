package dev.meshless.config;

import java.util.Objects;

/**
 * A configuration value that cannot work, found when a policy or configuration is built. Carries
 * the value's <b>path</b> in the specification it came from (for example {@code timeouts.perTry},
 * {@code limits[api].burst}), the <b>value</b> as given, and the <b>rule</b> it breaks, so that a
 * framework can name the setting in its own terms (Spring Boot:
 * {@code meshless.services.inventory.timeouts.per-try}) without reading the message.
 *
 * <p>Paths are names separated by dots, in the Java field names of the specifications, with map
 * keys in brackets: {@code outlierDetection.maxEjectionTime}, {@code overrides[gold].burst}. The
 * rule is a sentence fragment that reads after the setting's name ({@code must be at least 1}); it
 * is meant for people and may change wording between releases, unlike the path.
 */
public class InvalidConfigurationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final transient Object value;
    private final String rule;

    /**
     * @param path where the value is, in specification field names; not blank
     * @param value the value as given, {@code null} when it is missing
     * @param rule what the value must be, for example {@code must be at least 1}
     */
    public InvalidConfigurationException(String path, Object value, String rule) {
        super(path + " " + rule + ", but was " + Values.describe(value));
        if (Objects.requireNonNull(path, "path").isBlank()) {
            throw new IllegalArgumentException("path must not be blank");
        }
        this.path = path;
        this.value = value;
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    /** @return where the value is, for example {@code timeouts.perTry} */
    public String path() {
        return path;
    }

    /** @return the value as given; {@code null} when it is missing */
    public Object value() {
        return value;
    }

    /** @return the rule the value breaks, for example {@code must be at least 1} */
    public String rule() {
        return rule;
    }

    /**
     * The same failure seen from an enclosing specification.
     *
     * @param prefix the path of the specification this one is nested in, for example
     *     {@code outlierDetection} or {@code limits[api]}
     * @return a failure whose path is {@code prefix.path}
     */
    public InvalidConfigurationException under(String prefix) {
        InvalidConfigurationException moved = new InvalidConfigurationException(Paths.join(prefix, path), value,
                rule);
        moved.initCause(getCause() != null ? getCause() : this);
        return moved;
    }
}
