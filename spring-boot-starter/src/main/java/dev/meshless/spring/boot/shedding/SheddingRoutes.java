package dev.meshless.spring.boot.shedding;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.spring.boot.config.PropertyNames;
import dev.meshless.spring.boot.shedding.LoadSheddingProperties.PriorityRoute;
import dev.meshless.spring.boot.web.RequestRoute;
import dev.meshless.spring.boot.web.RouteProperties;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which priority each request has, compiled once at start-up: the routes of
 * {@code meshless.load-shedding.priorities} in order (first match wins, else {@link Priority#NORMAL}),
 * and the requests that are never counted nor shed: those of {@code meshless.load-shedding.never-shed},
 * and the actuator's, found where Spring Boot's management properties put them:
 * <ul>
 *   <li>on the application's own port (no {@code management.server.port}, or the same as
 *       {@code server.port}, as Spring Boot decides it), everything under {@code management.endpoints.web.base-path} (default
 *       {@code /actuator}), below {@code spring.mvc.servlet.path} in a servlet application; with a
 *       base path of {@code /}, the health endpoint ({@code /health/**});</li>
 *   <li>the extra paths of health groups on the application's port
 *       ({@code management.endpoint.health.group.<name>.additional-path=server:/healthz}).</li>
 * </ul>
 * On a separate management port the actuator runs in its own server, which the filter does not see.
 *
 * <p>Immutable; thread-safe. Matching allocates nothing.
 */
public final class SheddingRoutes {

    private final PathPattern[] exempt;
    private final RequestRoute[] neverShed;
    private final RequestRoute[] routes;
    private final Priority[] priorities;

    private SheddingRoutes(List<PathPattern> exempt, List<RequestRoute> neverShed, List<RequestRoute> routes,
                           List<Priority> priorities) {
        this.exempt = exempt.toArray(new PathPattern[0]);
        this.neverShed = neverShed.toArray(new RequestRoute[0]);
        this.routes = routes.toArray(new RequestRoute[0]);
        this.priorities = priorities.toArray(new Priority[0]);
    }

    /**
     * @param properties the configuration
     * @param environment gives Spring Boot's server and management properties
     * @param servlet whether the application is a servlet one (whose actuator is below the
     *     dispatcher servlet's path)
     * @return the compiled routes
     * @throws dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException naming the
     *     property of a route that cannot work
     */
    public static SheddingRoutes compile(LoadSheddingProperties properties, Environment environment, boolean servlet) {
        List<RequestRoute> routes = new ArrayList<>();
        List<Priority> priorities = new ArrayList<>();
        List<PriorityRoute> configured = properties.getPriorities();
        for (int i = 0; i < configured.size(); i++) {
            PriorityRoute route = configured.get(i);
            String property = "priorities[" + i + "]";
            try {
                routes.add(route.compile(property));
            } catch (InvalidConfigurationException e) {
                throw PropertyNames.invalid(e, LoadSheddingProperties.PREFIX);
            }
            if (route.getPriority() == null) {
                throw PropertyNames.invalid(new InvalidConfigurationException(property + ".priority", null,
                        "is required: critical, high, normal or low"), LoadSheddingProperties.PREFIX);
            }
            priorities.add(route.getPriority());
        }
        List<RequestRoute> neverShed = new ArrayList<>();
        List<RouteProperties> listed = properties.getNeverShed();
        for (int i = 0; i < listed.size(); i++) {
            try {
                neverShed.add(listed.get(i).compile("neverShed[" + i + "]"));
            } catch (InvalidConfigurationException e) {
                throw PropertyNames.invalid(e, LoadSheddingProperties.PREFIX);
            }
        }
        List<PathPattern> exempt = new ArrayList<>();
        for (String path : neverShed(Binder.get(environment), servlet)) {
            exempt.add(PathPatternParser.defaultInstance.parse(path));
        }
        return new SheddingRoutes(exempt, neverShed, routes, priorities);
    }

    /** The path patterns of the actuator on the application's port, from Spring Boot's properties. */
    static Set<String> neverShed(Binder binder, boolean servlet) {
        Set<String> paths = new LinkedHashSet<>();
        Integer serverPort = binder.bind("server.port", Integer.class).orElse(null);
        Integer managementPort = binder.bind("management.server.port", Integer.class).orElse(null);
        // Spring Boot's rule (ManagementPortType): a management port of 0 is a random port of its own.
        boolean samePort = managementPort == null || (serverPort == null && managementPort == 8080)
                || (managementPort != 0 && managementPort.equals(serverPort));
        if (samePort) {
            String servletPath = servlet ? trim(binder.bind("spring.mvc.servlet.path", String.class).orElse("")) : "";
            String base = trim(binder.bind("management.endpoints.web.base-path", String.class).orElse("/actuator"));
            // "/x/**" matches "/x" too.
            paths.add(servletPath + (base.isEmpty() ? "/health" : base) + "/**");
        }
        Map<String, HealthGroup> groups = binder.bind("management.endpoint.health.group",
                Bindable.mapOf(String.class, HealthGroup.class)).orElse(Map.of());
        for (HealthGroup group : groups.values()) {
            String path = group.getAdditionalPath();
            if (path != null && path.startsWith("server:")) {
                String p = trim(path.substring("server:".length()));
                if (!p.isEmpty()) {
                    paths.add(p);
                }
            }
        }
        return paths;
    }

    private static String trim(String path) {
        String p = path.trim();
        if (!p.isEmpty() && !p.startsWith("/")) {
            p = "/" + p;
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /**
     * @param method the request's HTTP method
     * @param path the request's path within the application
     * @return the request's priority, or {@code null} when it is never counted nor shed (the actuator,
     *     {@code never-shed})
     */
    public Priority priorityOf(String method, PathContainer path) {
        for (PathPattern pattern : exempt) {
            if (pattern.matches(path)) {
                return null;
            }
        }
        for (RequestRoute route : neverShed) {
            if (route.matches(method, path)) {
                return null;
            }
        }
        for (int i = 0; i < routes.length; i++) {
            if (routes[i].matches(method, path)) {
                return priorities[i];
            }
        }
        return Priority.NORMAL;
    }

    /** @return the patterns of the actuator's requests, which are never shed ({@code never-shed} aside) */
    public List<String> neverShed() {
        return java.util.Arrays.stream(exempt).map(PathPattern::getPatternString).toList();
    }

    /** A health group, as far as its additional path. */
    public static final class HealthGroup {
        private String additionalPath;

        /** @return {@code server:/path} or {@code management:/path} */
        public String getAdditionalPath() {
            return additionalPath;
        }

        /** @param additionalPath {@code server:/path} or {@code management:/path} */
        public void setAdditionalPath(String additionalPath) {
            this.additionalPath = additionalPath;
        }
    }
}
