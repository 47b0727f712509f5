package dev.meshless.spring.boot.ratelimit;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Specs;
import dev.meshless.ratelimit.InboundRateLimit;
import dev.meshless.ratelimit.InboundRateLimits;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.spring.boot.ratelimit.HttpRateLimitSpec.KeySource;
import dev.meshless.spring.boot.web.RequestRoute;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.http.server.PathContainer;
import org.springframework.util.ClassUtils;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The limits the HTTP filters apply, each with its routes (path patterns and methods) and its key
 * source, compiled once at startup from {@code meshless.rate-limit.limits.*.routes}. A request is
 * checked against every rule in configuration order; each rule whose routes match applies once.
 *
 * <p>Immutable; thread-safe. Matching a request allocates nothing but the path-variable map for
 * {@code path-variable} keys.
 */
public final class RateLimitRoutes {

    private final Rule[] rules;

    private RateLimitRoutes(List<Rule> rules) {
        this.rules = rules.toArray(new Rule[0]);
    }

    /**
     * @param properties the configuration
     * @param limiters the limits the routes refer to by name
     * @param beanFactory where {@code bean} key sources are looked up
     * @return the compiled routes
     * @throws InvalidMeshlessConfigurationException naming the property of a route or key source
     *     that cannot work
     */
    public static RateLimitRoutes compile(RateLimitProperties properties, RateLimiters limiters,
                                          ListableBeanFactory beanFactory) {
        List<Rule> rules = new ArrayList<>();
        HttpRateLimitSpec defaults = properties.getDefaults();
        properties.getLimits().forEach((name, own) -> {
            try {
                Rule rule = rule(name, own, Specs.merge(own, defaults), limiters, beanFactory);
                if (rule != null) {
                    rules.add(rule);
                }
            } catch (InvalidConfigurationException e) {
                throw RateLimitProperties.invalid(InboundRateLimits.locate(e, name, own, defaults));
            }
        });
        return new RateLimitRoutes(rules);
    }

    /** The limit's rule, or {@code null} when it has no routes; a failure's path is in the limit. */
    private static Rule rule(String name, HttpRateLimitSpec own, HttpRateLimitSpec spec, RateLimiters limiters,
                             ListableBeanFactory beanFactory) {
        boolean perKey = spec.scopeInForce().isPerKey();
        List<HttpRateLimitSpec.Route> configured = spec.getRoutes() == null ? List.of() : spec.getRoutes();
        spec.checkKey(own);
        KeySource source = perKey ? spec.getKey().getSource() : null;
        String keyName = spec.getKey().getName();
        RateLimitKeyResolver resolver = source == KeySource.BEAN ? resolver(keyName, beanFactory) : null;
        if (configured.isEmpty()) {
            return null;
        }
        InboundRateLimit limit = limiters.find(name).orElseThrow(() -> new InvalidConfigurationException("routes",
                name, "must belong to a limit of the application's RateLimiters bean, which has: "
                + limiters.describeNames()));
        RequestRoute[] routes = new RequestRoute[configured.size()];
        for (int i = 0; i < routes.length; i++) {
            routes[i] = route(i, configured.get(i));
            if (source == KeySource.PATH_VARIABLE) {
                requireVariable(keyName, routes[i].pattern());
            }
        }
        return new Rule(limit, limit.isKeyed() ? source : null, keyName, resolver, routes);
    }

    /** @return whether no limit has routes (the filters then pass every request untouched) */
    public boolean isEmpty() {
        return rules.length == 0;
    }

    /** @return the number of rules (limits with routes) */
    public int size() {
        return rules.length;
    }

    /**
     * @param index 0 to {@link #size()} − 1, in configuration order
     * @return the rule
     */
    public Rule rule(int index) {
        return rules[index];
    }

    private static RequestRoute route(int index, HttpRateLimitSpec.Route config) {
        return config.compile("routes[" + index + "]");
    }

    private static void requireVariable(String variable, PathPattern pattern) {
        if (!variableNames(pattern.getPatternString()).contains(variable)) {
            throw new InvalidConfigurationException("key.name", variable, "must be a variable of every route pattern"
                    + " of the limit, and " + pattern.getPatternString() + " has none of that name");
        }
    }

    private static RateLimitKeyResolver resolver(String beanName, ListableBeanFactory beanFactory) {
        if (!beanFactory.containsBean(beanName)) {
            throw new InvalidConfigurationException("key.name", beanName, "must name a bean implementing"
                    + " RateLimitKeyResolver, and the application has no bean of that name");
        }
        if (!beanFactory.isTypeMatch(beanName, RateLimitKeyResolver.class)) {
            Class<?> type = beanFactory.getType(beanName);
            throw new InvalidConfigurationException("key.name", beanName, "must name a bean implementing "
                    + RateLimitKeyResolver.class.getName() + ", and that bean is a "
                    + (type == null ? "bean of unknown type" : ClassUtils.getUserClass(type).getName()));
        }
        return beanFactory.getBean(beanName, RateLimitKeyResolver.class);
    }

    /** Names of the {@code {name}}, {@code {name:regex}} and {@code {*name}} variables of a pattern. */
    static Set<String> variableNames(String pattern) {
        Set<String> names = new LinkedHashSet<>();
        int depth = 0;
        int start = -1;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '{' && depth++ == 0) {
                start = i + 1;
            } else if (c == '}' && depth > 0 && --depth == 0) {
                String body = pattern.substring(start, i);
                int colon = body.indexOf(':');
                String name = colon >= 0 ? body.substring(0, colon) : body;
                names.add(name.startsWith("*") ? name.substring(1) : name);
            }
        }
        return names;
    }

    /** One limit with its routes and key source. Immutable; thread-safe. */
    public static final class Rule {
        private final InboundRateLimit limit;
        private final KeySource keySource;
        private final String keyName;
        private final RateLimitKeyResolver resolver;
        private final RequestRoute[] routes;

        private Rule(InboundRateLimit limit, KeySource keySource, String keyName, RateLimitKeyResolver resolver,
                     RequestRoute[] routes) {
            this.limit = limit;
            this.keySource = keySource;
            this.keyName = keyName;
            this.resolver = resolver;
            this.routes = routes;
        }

        /** @return the limit to apply */
        public InboundRateLimit limit() {
            return limit;
        }

        /** @return where the key comes from; {@code null} for a limit without keys */
        public KeySource keySource() {
            return keySource;
        }

        /** @return the header or path variable name for those key sources */
        public String keyName() {
            return keyName;
        }

        /** @return the resolver for key source {@code bean}, else {@code null} */
        public RateLimitKeyResolver resolver() {
            return resolver;
        }

        /** @return whether the key needs the authenticated principal (principal and bean key sources) */
        public boolean needsPrincipal() {
            return keySource == KeySource.PRINCIPAL || keySource == KeySource.BEAN;
        }

        /**
         * @param method the request's HTTP method
         * @param path the request's path within the application
         * @return the pattern of the first route that matches, or {@code null} when none does
         */
        public PathPattern match(String method, PathContainer path) {
            for (RequestRoute route : routes) {
                if (route.matches(method, path)) {
                    return route.pattern();
                }
            }
            return null;
        }

        /**
         * @param pattern a pattern {@link #match} returned
         * @param path the path it matched
         * @return the variables of the pattern, decoded
         */
        public static Map<String, String> pathVariables(PathPattern pattern, PathContainer path) {
            PathPattern.PathMatchInfo info = pattern.matchAndExtract(path);
            return info == null ? Map.of() : info.getUriVariables();
        }

        @Override
        public String toString() {
            return limit.name() + " on " + java.util.Arrays.stream(routes).map(RequestRoute::toString).toList();
        }
    }
}
