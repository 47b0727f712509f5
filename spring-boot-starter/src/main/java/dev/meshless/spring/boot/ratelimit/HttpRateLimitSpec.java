package dev.meshless.spring.boot.ratelimit;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Spec;
import dev.meshless.config.Values;
import dev.meshless.ratelimit.InboundRateLimitSpec;
import dev.meshless.spring.boot.web.RouteProperties;
import java.util.List;

/**
 * One inbound limit as {@code meshless.rate-limit.limits.<name>} (and {@code defaults}) binds it:
 * core's {@link InboundRateLimitSpec}, from which the limiters are built, plus where the HTTP filters
 * apply the limit and how they find a request's key. Those two stay in the starter: path patterns,
 * headers, the principal and key resolver beans are Spring and HTTP notions that core, which has no
 * HTTP, has no use for. {@link dev.meshless.spring.boot.ratelimit.RateLimitRoutes} checks and
 * compiles them.
 */
public class HttpRateLimitSpec extends InboundRateLimitSpec {

    /** For a per-key limit applied by routes: where each request's key comes from. */
    private Key key = new Key();

    /**
     * Requests the HTTP filters apply this limit to. Not set: the limit applies only where methods are
     * annotated with @RateLimited.
     */
    private List<Route> routes;

    /** Creates a specification that sets nothing. */
    public HttpRateLimitSpec() {
    }

    /**
     * The key rules, on this limit layered over the defaults: a key the limit sets itself applies
     * only to a per-key limit (one set in the defaults waits for per-key limits), and a per-key
     * limit with routes needs a source, and a name for every source but the principal. Checked
     * where the limiters are built, with or without Spring Web.
     *
     * @param own the limit as it sets itself, before the defaults
     * @throws InvalidConfigurationException naming {@code key.source} or {@code key.name}
     */
    public void checkKey(HttpRateLimitSpec own) {
        checkPerKeyOnly("key.source", own.getKey().getSource());
        checkPerKeyOnly("key.name", own.getKey().getName());
        if (!scopeInForce().isPerKey()) {
            return;
        }
        KeySource source = key.getSource();
        String name = key.getName();
        if (source == null && routes != null && !routes.isEmpty()) {
            throw new InvalidConfigurationException("key.source", null, "is required for a per-key limit with"
                    + " routes: header, path-variable, principal or bean (without routes, @RateLimited gives the key)");
        }
        if (source != null && source != KeySource.PRINCIPAL && (name == null || name.isBlank())) {
            throw new InvalidConfigurationException("key.name", name, "is required with key.source "
                    + Values.describe(source) + ": the " + switch (source) {
                        case HEADER -> "header name";
                        case PATH_VARIABLE -> "name of a variable of the route patterns";
                        default -> "name of a bean implementing RateLimitKeyResolver";
                    });
        }
    }

    /** @return where a per-key limit's key comes from */
    public Key getKey() {
        return key;
    }

    /** @param key where a per-key limit's key comes from */
    public void setKey(Key key) {
        this.key = key;
    }

    /** @return the requests the HTTP filters apply the limit to; {@code null} when not set */
    public List<Route> getRoutes() {
        return routes;
    }

    /** @param routes the requests the HTTP filters apply the limit to */
    public void setRoutes(List<Route> routes) {
        this.routes = routes;
    }

    /** Where the HTTP filters take a per-key limit's key from. */
    public enum KeySource {
        /** A request header; 'name' is the header name. */
        HEADER,
        /** A variable of the matching route's path pattern; 'name' is the variable name. */
        PATH_VARIABLE,
        /** The authenticated principal's name. */
        PRINCIPAL,
        /** A bean implementing RateLimitKeyResolver; 'name' is the bean name. */
        BEAN
    }

    /** Where a per-key limit's key comes from in an HTTP request. */
    public static class Key implements Spec {

        /** header, path-variable, principal or bean. */
        private KeySource source;

        /**
         * The header name (header), the route pattern's variable name (path-variable) or the name of a
         * bean implementing RateLimitKeyResolver (bean). Not used with principal.
         */
        private String name;

        /** Creates a key that sets nothing. */
        public Key() {
        }

        /** @return the source; {@code null} when not set */
        public KeySource getSource() {
            return source;
        }

        /** @param source the source */
        public void setSource(KeySource source) {
            this.source = source;
        }

        /** @return the header, variable or bean name; {@code null} when not set */
        public String getName() {
            return name;
        }

        /** @param name the header, variable or bean name */
        public void setName(String name) {
            this.name = name;
        }
    }

    /**
     * Requests a limit applies to: a path pattern and HTTP methods. The path pattern's variables are
     * what key source 'path-variable' reads.
     */
    public static class Route extends RouteProperties {

        /** Creates a route that sets nothing. */
        public Route() {
        }
    }
}
