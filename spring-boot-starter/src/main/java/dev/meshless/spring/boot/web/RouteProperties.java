package dev.meshless.spring.boot.web;

import java.util.ArrayList;
import java.util.List;

/**
 * Requests a setting applies to, as {@code application.yml} binds them: a path pattern and HTTP
 * methods. {@link RequestRoute#parse} checks and compiles them.
 */
public class RouteProperties {

    /**
     * Spring PathPattern within the application (without the context path), for example '/api/**' or
     * '/users/{userId}/**'.
     */
    private String path;

    /** HTTP methods the route covers, for example [GET, POST]. Empty: every method. */
    private List<String> methods = new ArrayList<>();

    /** Creates a route that sets nothing. */
    public RouteProperties() {
    }

    /** @return the path pattern */
    public String getPath() {
        return path;
    }

    /** @param path the path pattern */
    public void setPath(String path) {
        this.path = path;
    }

    /** @return the HTTP methods; empty for all */
    public List<String> getMethods() {
        return methods;
    }

    /** @param methods the HTTP methods */
    public void setMethods(List<String> methods) {
        this.methods = methods;
    }

    /**
     * @param property the route's path in its section, such as {@code routes[0]}
     * @return the route, compiled
     * @throws dev.meshless.config.InvalidConfigurationException naming {@code <property>.path} or
     *     {@code <property>.methods[i]} when it cannot work
     */
    public RequestRoute compile(String property) {
        return RequestRoute.parse(property, path, methods);
    }
}
