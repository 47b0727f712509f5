package dev.meshless.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The grammar of configuration paths ({@link InvalidConfigurationException#path()}): field names
 * separated by dots, map keys in brackets, list indexes in brackets —
 * {@code limits[api].overrides[gold].burst}, {@code loadBalancing.regionOrder[1]}.
 */
public final class Paths {

    private Paths() {
    }

    /**
     * @param prefix an enclosing path, or {@code null} or empty for none
     * @param path a path inside it
     * @return {@code prefix.path}; {@code prefix[key]…} when the path starts with a key
     */
    public static String join(String prefix, String path) {
        if (prefix == null || prefix.isEmpty()) {
            return path;
        }
        return path.startsWith("[") ? prefix + path : prefix + "." + path;
    }

    /**
     * @param path a map-valued field's path
     * @param key a key of the map
     * @return {@code path[key]}
     */
    public static String key(String path, Object key) {
        return path + "[" + key + "]";
    }

    /**
     * @param path a path
     * @return its parts: a name as itself, a key or index as {@code [key]}
     */
    public static List<String> segments(String path) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '[') {
                int close = path.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("path '" + path + "' has an unclosed '['");
                }
                parts.add(path.substring(i, close + 1));
                i = close + 1;
            } else {
                int end = i;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                parts.add(path.substring(i, end));
                i = end;
            }
        }
        return parts;
    }

    /**
     * @param segment a part from {@link #segments}
     * @return whether it is a map key or list index ({@code [key]})
     */
    public static boolean isKey(String segment) {
        return segment.startsWith("[");
    }

    /**
     * @param segment a key part, {@code [key]}
     * @return the key without brackets
     */
    public static String keyOf(String segment) {
        return segment.substring(1, segment.length() - 1);
    }
}
