package dev.meshless.whatif;

import java.math.BigInteger;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads typed values out of a Jackson tree. Every error names the field path (as in
 * {@code endpoints[3].weight}), the rule and the value, in the style of the core builders:
 * {@code <path> must be <rule>, but was <value>}.
 *
 * <p>An optional field that is absent or {@code null} takes its default.
 */
final class Fields {

    private static final int MAX_QUOTED_LENGTH = 60;

    private Fields() {
    }

    /** @return {@code parent.name}, or {@code name} at the top level */
    static String path(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    /** @return {@code parent[index]} */
    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /**
     * @param node the value at {@code path}, or {@code null} when absent
     * @param path its field path; empty for the whole document
     * @throws InputException unless it is an object
     */
    static void requireObject(JsonNode node, String path) throws InputException {
        if (node == null || !node.isObject()) {
            String what = path.isEmpty() ? "the topology" : path;
            throw new InputException(what + " must be an object, but was " + describe(node));
        }
    }

    /**
     * @param object an object node
     * @param path its field path
     * @param known the field names it may hold, in documentation order
     * @throws InputException naming the first field that is not known
     */
    static void requireKnown(JsonNode object, String path, List<String> known) throws InputException {
        for (String name : object.propertyNames()) {
            if (!known.contains(name)) {
                throw new InputException("unknown field '" + path(path, name) + "'; expected one of "
                        + String.join(", ", known));
            }
        }
    }

    /** @return the field's value, or {@code null} when it is absent or JSON {@code null} */
    static JsonNode optional(JsonNode object, String name) {
        JsonNode value = object.get(name);
        return value == null || value.isNull() ? null : value;
    }

    /**
     * @return the field's value as a name: a string that is not blank
     * @throws InputException when it is absent, not a string or blank
     */
    static String name(JsonNode object, String path, String name) throws InputException {
        JsonNode value = object.get(name);
        if (value == null || !value.isString() || value.stringValue().isBlank()) {
            throw new InputException(path(path, name) + " must be a non-blank string, but was " + describe(value));
        }
        return value.stringValue();
    }

    /**
     * @param node a value, not {@code null}
     * @param path its field path
     * @param min smallest accepted value
     * @param max largest accepted value
     * @return the value
     * @throws InputException when it is not a whole number or out of range
     */
    static long wholeNumber(JsonNode node, String path, long min, long max) throws InputException {
        BigInteger value = integral(node);
        String range = "between " + min + " and " + max;
        if (value == null) {
            throw new InputException(path + " must be a whole number " + range + ", but was " + describe(node));
        }
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new InputException(path + " must be " + range + ", but was " + describe(node));
        }
        return value.longValue();
    }

    /**
     * @return the whole number a node holds (also {@code 2.0}), or {@code null} when it holds none
     */
    static BigInteger integral(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue();
        }
        if (!Double.isFinite(node.doubleValue())) {
            return null;
        }
        try {
            return node.decimalValue().toBigIntegerExact();
        } catch (ArithmeticException notWhole) {
            return null;
        }
    }

    /**
     * @return the node's value as a double
     * @throws InputException when it is not a number
     */
    static double number(JsonNode node, String path) throws InputException {
        if (node == null || !node.isNumber()) {
            throw new InputException(path + " must be a number, but was " + describe(node));
        }
        return node.doubleValue();
    }

    /**
     * @return the field's boolean value, or {@code defaultValue} when absent
     * @throws InputException when it is present but not a boolean
     */
    static boolean optionalBoolean(JsonNode object, String path, String name, boolean defaultValue)
            throws InputException {
        JsonNode value = optional(object, name);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            throw new InputException(path(path, name) + " must be true or false, but was " + describe(value));
        }
        return value.booleanValue();
    }

    /**
     * @param node a value or {@code null}
     * @return how an error message shows it: strings quoted and escaped onto one line, containers by kind
     */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isString()) {
            return quote(node.stringValue());
        }
        if (node.isNumber() || node.isBoolean()) {
            return node.asString();
        }
        if (node.isArray()) {
            return node.isEmpty() ? "an empty array" : "an array";
        }
        if (node.isObject()) {
            return node.isEmpty() ? "an empty object" : "an object";
        }
        return "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " value";
    }

    /** @return the text in single quotes, control characters escaped, long text shortened */
    static String quote(String text) {
        StringBuilder sb = new StringBuilder("'");
        int shown = 0;
        for (int i = 0; i < text.length(); i++, shown++) {
            if (shown == MAX_QUOTED_LENGTH) {
                sb.append("...");
                break;
            }
            char c = text.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }
}
