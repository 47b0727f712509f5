package dev.meshless.spring.boot.web;

import dev.meshless.config.InvalidConfigurationException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * Requests a setting applies to: a Spring {@link PathPattern} within the application (without the
 * context path) and the HTTP methods it covers, parsed and checked once at start-up.
 *
 * <p>Immutable; thread-safe. Matching allocates nothing.
 */
public final class RequestRoute {

    /** The methods a route may list: those Spring MVC and WebFlux map. */
    public static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "TRACE");

    private final PathPattern pattern;
    private final String[] methods;

    private RequestRoute(PathPattern pattern, String[] methods) {
        this.pattern = pattern;
        this.methods = methods;
    }

    /**
     * Parses a configured route.
     *
     * @param property the route's path in its section, such as {@code routes[0]}; a failure names
     *     {@code <property>.path} or {@code <property>.methods[i]}
     * @param path the path pattern, such as {@code /api/**}
     * @param methods the methods, any case; {@code null} or empty for all
     * @return the route
     * @throws InvalidConfigurationException when the path is missing, relative or not a valid
     *     pattern, or a method is not one of {@link #METHODS}
     */
    public static RequestRoute parse(String property, String path, List<String> methods) {
        if (path == null || path.isBlank()) {
            throw new InvalidConfigurationException(property + ".path", path,
                    "is required: a path pattern such as /api/**");
        }
        if (!path.startsWith("/")) {
            throw new InvalidConfigurationException(property + ".path", path,
                    "must start with '/': it is matched against the path within the application");
        }
        PathPattern pattern;
        try {
            pattern = PathPatternParser.defaultInstance.parse(path);
        } catch (PatternParseException e) {
            InvalidConfigurationException invalid = new InvalidConfigurationException(property + ".path", path,
                    "must be a valid Spring path pattern: " + e.getMessage() + " at position " + e.getPosition());
            invalid.initCause(e);
            throw invalid;
        }
        Set<String> upper = new LinkedHashSet<>();
        List<String> listed = methods == null ? List.of() : methods;
        for (int i = 0; i < listed.size(); i++) {
            String method = listed.get(i) == null ? "" : listed.get(i).trim().toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                throw new InvalidConfigurationException(property + ".methods[" + i + "]", listed.get(i),
                        "must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE");
            }
            upper.add(method);
        }
        return new RequestRoute(pattern, upper.isEmpty() ? null : upper.toArray(new String[0]));
    }

    /** @return the path pattern */
    public PathPattern pattern() {
        return pattern;
    }

    /**
     * @param method the request's HTTP method
     * @param path the request's path within the application
     * @return whether the route covers the request
     */
    public boolean matches(String method, PathContainer path) {
        if (methods != null) {
            boolean listed = false;
            for (String m : methods) {
                if (m.equals(method)) {
                    listed = true;
                    break;
                }
            }
            if (!listed) {
                return false;
            }
        }
        return pattern.matches(path);
    }

    @Override
    public String toString() {
        return pattern.getPatternString() + (methods == null ? "" : " " + String.join("|", methods));
    }
}
