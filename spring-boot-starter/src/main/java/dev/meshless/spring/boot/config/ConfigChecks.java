package dev.meshless.spring.boot.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns core's validation failures into {@link InvalidMeshlessConfigurationException}s that name the
 * full property: core builders say {@code overprovisioningFactor must be … but was 0.5}; operators
 * need {@code meshless.defaults.load-balancing.overprovisioning-factor = 0.5: must be …}.
 */
public final class ConfigChecks {

    private static final Pattern SIMPLE_KEY = Pattern.compile("[a-z0-9-]+");
    private static final Pattern CAMEL = Pattern.compile("\\b[a-z]+(?:[A-Z][a-z0-9]*)+\\b");

    private ConfigChecks() {
    }

    /**
     * Runs a check done by core ({@code IllegalArgumentException} from a builder).
     *
     * @param property the full property name
     * @param value the value passed to core
     * @param check the call into core
     * @throws InvalidMeshlessConfigurationException naming the property when core rejects the value
     */
    public static void check(String property, Object value, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            throw new InvalidMeshlessConfigurationException(property, value, rule(e.getMessage()), e);
        }
    }

    /**
     * @param key a map key
     * @return the key as a property name segment: {@code .key}, or {@code [key]} when it needs brackets
     */
    public static String mapKey(String key) {
        return SIMPLE_KEY.matcher(key).matches() ? "." + key : "[" + key + "]";
    }

    /**
     * Turns a core message such as {@code api.burst must be between 1 and limitForPeriod (10), but
     * was 20} into the rule {@code must be between 1 and limit-for-period (10)}.
     *
     * @param coreMessage a core validation message
     * @return the rule, with field names in property style
     */
    public static String rule(String coreMessage) {
        if (coreMessage == null) {
            return "is invalid";
        }
        String rule = coreMessage;
        int butWas = rule.lastIndexOf(", but was ");
        if (butWas >= 0) {
            rule = rule.substring(0, butWas);
        }
        int must = rule.indexOf(" must ");
        if (must >= 0) {
            rule = rule.substring(must + 1);
        }
        Matcher m = CAMEL.matcher(rule);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(kebab(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * @param camel a Java property name, e.g. {@code maxEjectionTime}
     * @return its Spring Boot property form, e.g. {@code max-ejection-time}
     */
    public static String kebab(String camel) {
        StringBuilder b = new StringBuilder(camel.length() + 4);
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                b.append('-').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
