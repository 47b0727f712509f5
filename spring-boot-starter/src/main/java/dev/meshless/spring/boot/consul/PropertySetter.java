package dev.meshless.spring.boot.consul;

import dev.meshless.spring.boot.config.ConfigChecks;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Copies bound properties onto a discovery-consul builder and remembers, per builder property, the
 * value and the full property it came from, so that the builder's {@code IllegalArgumentException}
 * ({@code rateLimitBurst must be between 1 and 100, but was 0}) is reported as
 * {@code meshless.consul.rate-limit-burst = 0: must be between 1 and 100}. Values left out
 * ({@code null}) are not set, so the builder's defaults apply. Not thread-safe; one per build.
 */
final class PropertySetter {

    private final String prefix;
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, String> sources = new HashMap<>();

    /** @param prefix the full name of the builder's properties, e.g. {@code meshless.consul.agent} */
    PropertySetter(String prefix) {
        this.prefix = prefix;
    }

    /**
     * @param builderProperty the builder's name for the property, e.g. {@code rateLimitBurst} or
     *     {@code regions.dc1}
     * @param value the bound value; {@code null} leaves the builder's default
     * @param setter the builder's setter
     * @param <T> the value's type
     */
    <T> void set(String builderProperty, T value, Consumer<? super T> setter) {
        if (value != null) {
            values.put(builderProperty, value);
            setter.accept(value);
        }
    }

    /**
     * Like {@link #set} for a value that comes from another property (a default taken from
     * {@code spring.application.name}, {@code meshless.locality}, …), so that an error names it.
     *
     * @param builderProperty the builder's name for the property
     * @param value the value
     * @param fullProperty the property the value came from
     * @param setter the builder's setter
     * @param <T> the value's type
     */
    <T> void set(String builderProperty, T value, String fullProperty, Consumer<? super T> setter) {
        sources.put(builderProperty, fullProperty);
        set(builderProperty, value, setter);
    }

    /**
     * @param build the builder's {@code build()}
     * @param <C> the configuration's type
     * @return the configuration
     * @throws InvalidMeshlessConfigurationException naming the full property when the builder rejects a value
     */
    <C> C build(Supplier<C> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw translate(e);
        }
    }

    /**
     * @param e a builder's validation failure
     * @return the same failure, naming the full property and the value as bound
     */
    InvalidMeshlessConfigurationException translate(IllegalArgumentException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String builderProperty = builderProperty(message);
        Object value = builderProperty != null && values.containsKey(builderProperty) ? values.get(builderProperty)
                : valueIn(message);
        return new InvalidMeshlessConfigurationException(property(builderProperty), value, ConfigChecks.rule(message),
                e);
    }

    /**
     * @param builderProperty a builder property, or {@code null}
     * @return its full name: {@code <prefix>.<kebab-case>}, map keys in {@link ConfigChecks#mapKey} form
     */
    String property(String builderProperty) {
        if (builderProperty == null) {
            return prefix;
        }
        String source = sources.get(builderProperty);
        if (source != null) {
            return source;
        }
        int dot = builderProperty.indexOf('.');
        return dot < 0 ? prefix + "." + ConfigChecks.kebab(builderProperty)
                : prefix + "." + ConfigChecks.kebab(builderProperty.substring(0, dot)) + ConfigChecks.mapKey(
                        builderProperty.substring(dot + 1));
    }

    /** @return the builder property a message starts with ({@code x must …}), or {@code null} */
    private static String builderProperty(String message) {
        int must = message.indexOf(" must ");
        if (must <= 0) {
            return null;
        }
        String subject = message.substring(0, must);
        int list = subject.indexOf(',');   // "caCert, clientCert and clientKey must be usable for TLS"
        subject = list < 0 ? subject : subject.substring(0, list);
        return subject.contains(" ") ? null : subject;
    }

    /** @return the value a message quotes after {@code , but was}, without quotes; {@code null} if none */
    private static String valueIn(String message) {
        int at = message.lastIndexOf(", but was ");
        if (at < 0) {
            return null;
        }
        String v = message.substring(at + ", but was ".length());
        if (v.equals("null")) {
            return null;
        }
        return v.length() >= 2 && v.startsWith("'") && v.endsWith("'") ? v.substring(1, v.length() - 1) : v;
    }
}
