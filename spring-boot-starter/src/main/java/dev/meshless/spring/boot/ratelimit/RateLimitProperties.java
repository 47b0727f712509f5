package dev.meshless.spring.boot.ratelimit;

import dev.meshless.ratelimit.GlobalRateLimiter.ShareMode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Inbound rate limits, under {@code meshless.rate-limit}: named limits, where the HTTP filters apply
 * them ({@code routes}) and how requests are keyed. Values are checked once, at startup, by the
 * auto-configuration; a bad one stops the application with a message naming the property.
 *
 * <p>Bound by Spring Boot; not thread-safe, read once at startup.
 */
@ConfigurationProperties(prefix = RateLimitProperties.PREFIX)
public class RateLimitProperties {

    /** The prefix of these properties. */
    public static final String PREFIX = "meshless.rate-limit";

    /** Whether Meshless inbound rate limiting is on: limiters, HTTP filters and the @RateLimited aspect. */
    private boolean enabled = true;

    /**
     * Whether every inbound limit only counts and logs (at DEBUG) the requests it would reject,
     * rejecting none: for rolling out new limits. When false, each limit's own 'shadow' decides.
     */
    private boolean shadow = false;

    /**
     * Order of the servlet filter and of the WebFlux filter among the application's filters. The
     * default runs after Spring Security's filter chain (-100), so that the authenticated principal
     * is known for principal keys.
     */
    private int filterOrder = 0;

    /**
     * Order of the @RateLimited aspect among the application's advice. The default puts it outside
     * Resilience4j's aspects and transactions, so that a call takes one permit however often it is
     * retried.
     */
    private int aspectOrder = 0;

    /** The 'type' member of 429 problem+json bodies (RFC 9457); 'about:blank' says no more than the status. */
    private URI problemType = URI.create("about:blank");

    /** This instance, as global limits need it to find its share in the registry. */
    private final Instance instance = new Instance();

    /** Values every limit uses unless it sets its own. */
    private final Defaults defaults = new Defaults();

    /** The limits, by name. The name appears in metrics, logs, rejections and @RateLimited. */
    private Map<String, Limit> limits = new LinkedHashMap<>();

    /** @return whether rate limiting is on */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether rate limiting is on */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return whether every limit is in shadow mode */
    public boolean isShadow() {
        return shadow;
    }

    /** @param shadow whether every limit is in shadow mode */
    public void setShadow(boolean shadow) {
        this.shadow = shadow;
    }

    /** @return the order of the HTTP filters */
    public int getFilterOrder() {
        return filterOrder;
    }

    /** @param filterOrder the order of the HTTP filters */
    public void setFilterOrder(int filterOrder) {
        this.filterOrder = filterOrder;
    }

    /** @return the order of the @RateLimited aspect */
    public int getAspectOrder() {
        return aspectOrder;
    }

    /** @param aspectOrder the order of the @RateLimited aspect */
    public void setAspectOrder(int aspectOrder) {
        this.aspectOrder = aspectOrder;
    }

    /** @return the 'type' of 429 problem bodies */
    public URI getProblemType() {
        return problemType;
    }

    /** @param problemType the 'type' of 429 problem bodies */
    public void setProblemType(URI problemType) {
        this.problemType = problemType;
    }

    /** @return this instance's identity */
    public Instance getInstance() {
        return instance;
    }

    /** @return the defaults of every limit */
    public Defaults getDefaults() {
        return defaults;
    }

    /** @return the limits by name */
    public Map<String, Limit> getLimits() {
        return limits;
    }

    /** @param limits the limits by name */
    public void setLimits(Map<String, Limit> limits) {
        this.limits = limits;
    }

    /** How far a limit reaches. */
    public enum Scope {
        /** This instance alone: {@code limit-for-period} per {@code period} here. */
        LOCAL,
        /**
         * The whole service: each instance enforces its share of the limit, following the service's
         * instances in the registry (needs an EndpointRegistry bean and the 'instance' properties).
         */
        GLOBAL,
        /** Each key value (user, tenant, API key) separately, on this instance. */
        PER_KEY
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

    /** This instance's identity in the registry, for global limits. */
    public static class Instance {

        /**
         * This service's name in the registry. Defaults to 'meshless.service', then
         * 'spring.application.name'.
         */
        private String service;

        /**
         * This instance's endpoint id in the registry, required by global limits. Defaults to
         * 'meshless.instance-id'.
         */
        private String id;

        /**
         * Instances assumed before the registry first answers: until then each enforces
         * 1/expected-instances of a global limit.
         */
        private int expectedInstances = 1;

        /** @return the service name, or {@code null} */
        public String getService() {
            return service;
        }

        /** @param service the service name */
        public void setService(String service) {
            this.service = service;
        }

        /** @return the instance id, or {@code null} */
        public String getId() {
            return id;
        }

        /** @param id the instance id */
        public void setId(String id) {
            this.id = id;
        }

        /** @return instances assumed before the registry answers */
        public int getExpectedInstances() {
            return expectedInstances;
        }

        /** @param expectedInstances instances assumed before the registry answers */
        public void setExpectedInstances(int expectedInstances) {
            this.expectedInstances = expectedInstances;
        }
    }

    /** Values every limit uses unless it sets its own. */
    public static class Defaults {

        /** The period a limit's 'limit-for-period' permits are granted in, from 1ms. */
        private Duration period = Duration.ofSeconds(1);

        /** How long a request may wait for a permit before it is rejected; 0 rejects at once. */
        private Duration timeout = Duration.ZERO;

        /** The most keys a per-key limit tracks at once (least recently used beyond it), at least 64. */
        private int maxKeys = 100_000;

        /** @return the default period */
        public Duration getPeriod() {
            return period;
        }

        /** @param period the default period */
        public void setPeriod(Duration period) {
            this.period = period;
        }

        /** @return the default timeout */
        public Duration getTimeout() {
            return timeout;
        }

        /** @param timeout the default timeout */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        /** @return the default cap on tracked keys */
        public int getMaxKeys() {
            return maxKeys;
        }

        /** @param maxKeys the default cap on tracked keys */
        public void setMaxKeys(int maxKeys) {
            this.maxKeys = maxKeys;
        }
    }

    /** One named limit. */
    public static class Limit {

        /** Permits per period, at least 1. Required. */
        private Integer limitForPeriod;

        /** The period, from 1ms. Defaults to 'meshless.rate-limit.defaults.period'. */
        private Duration period;

        /** The most permits granted at once, 1 to 'limit-for-period'. Defaults to 'limit-for-period'. */
        private Integer burst;

        /** How long a request may wait for a permit. Defaults to 'meshless.rate-limit.defaults.timeout'. */
        private Duration timeout;

        /** How long a cold limit (new, or idle for this long) ramps up to its rate; 0 for no ramp. */
        private Duration warmUp = Duration.ZERO;

        /** A cold limit starts at rate / cold-factor; above 1. */
        private double coldFactor = 3.0;

        /** Whether this limit only counts and logs (at DEBUG) what it would reject, rejecting nothing. */
        private boolean shadow = false;

        /** How far the limit reaches: local (this instance), global (the service) or per-key. */
        private Scope scope = Scope.LOCAL;

        /** For a global limit: this instance's share is even (1 / instances) or weighted (by registry weight). */
        private ShareMode share = ShareMode.EVEN;

        /** For a per-key limit applied by routes: where each request's key comes from. */
        private final Key key = new Key();

        /**
         * For a per-key limit: other limits for chosen key values (a VIP tenant), by key value.
         * Requests without a key count under the key 'anonymous', which may have an override too.
         */
        private Map<String, KeyOverride> overrides = new LinkedHashMap<>();

        /**
         * For a per-key limit: the most keys tracked at once, at least 64. Defaults to
         * 'meshless.rate-limit.defaults.max-keys'.
         */
        private Integer maxKeys;

        /**
         * Requests the HTTP filters apply this limit to. Empty: the limit applies only where
         * methods are annotated with @RateLimited.
         */
        private List<Route> routes = new ArrayList<>();

        /** @return permits per period, or {@code null} when not set */
        public Integer getLimitForPeriod() {
            return limitForPeriod;
        }

        /** @param limitForPeriod permits per period */
        public void setLimitForPeriod(Integer limitForPeriod) {
            this.limitForPeriod = limitForPeriod;
        }

        /** @return the period, or {@code null} for the default */
        public Duration getPeriod() {
            return period;
        }

        /** @param period the period */
        public void setPeriod(Duration period) {
            this.period = period;
        }

        /** @return the burst, or {@code null} for limit-for-period */
        public Integer getBurst() {
            return burst;
        }

        /** @param burst the burst */
        public void setBurst(Integer burst) {
            this.burst = burst;
        }

        /** @return the timeout, or {@code null} for the default */
        public Duration getTimeout() {
            return timeout;
        }

        /** @param timeout the timeout */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        /** @return the warm-up */
        public Duration getWarmUp() {
            return warmUp;
        }

        /** @param warmUp the warm-up */
        public void setWarmUp(Duration warmUp) {
            this.warmUp = warmUp;
        }

        /** @return the cold factor */
        public double getColdFactor() {
            return coldFactor;
        }

        /** @param coldFactor the cold factor */
        public void setColdFactor(double coldFactor) {
            this.coldFactor = coldFactor;
        }

        /** @return whether this limit is in shadow mode */
        public boolean isShadow() {
            return shadow;
        }

        /** @param shadow whether this limit is in shadow mode */
        public void setShadow(boolean shadow) {
            this.shadow = shadow;
        }

        /** @return the scope */
        public Scope getScope() {
            return scope;
        }

        /** @param scope the scope */
        public void setScope(Scope scope) {
            this.scope = scope;
        }

        /** @return how a global limit is shared */
        public ShareMode getShare() {
            return share;
        }

        /** @param share how a global limit is shared */
        public void setShare(ShareMode share) {
            this.share = share;
        }

        /** @return where the key comes from */
        public Key getKey() {
            return key;
        }

        /** @return limits for chosen key values */
        public Map<String, KeyOverride> getOverrides() {
            return overrides;
        }

        /** @param overrides limits for chosen key values */
        public void setOverrides(Map<String, KeyOverride> overrides) {
            this.overrides = overrides;
        }

        /** @return the cap on tracked keys, or {@code null} for the default */
        public Integer getMaxKeys() {
            return maxKeys;
        }

        /** @param maxKeys the cap on tracked keys */
        public void setMaxKeys(Integer maxKeys) {
            this.maxKeys = maxKeys;
        }

        /** @return the routes */
        public List<Route> getRoutes() {
            return routes;
        }

        /** @param routes the routes */
        public void setRoutes(List<Route> routes) {
            this.routes = routes;
        }
    }

    /** Where a per-key limit's key comes from in an HTTP request. */
    public static class Key {

        /** header, path-variable, principal or bean. */
        private KeySource source;

        /**
         * The header name (header), the route pattern's variable name (path-variable) or the name of
         * a bean implementing RateLimitKeyResolver (bean). Not used with principal.
         */
        private String name;

        /** @return the source, or {@code null} when not set */
        public KeySource getSource() {
            return source;
        }

        /** @param source the source */
        public void setSource(KeySource source) {
            this.source = source;
        }

        /** @return the header, variable or bean name, or {@code null} */
        public String getName() {
            return name;
        }

        /** @param name the header, variable or bean name */
        public void setName(String name) {
            this.name = name;
        }
    }

    /** Another limit for one key value of a per-key limit. */
    public static class KeyOverride {

        /** Permits per period for this key, at least 1. Required. */
        private Integer limitForPeriod;

        /** The period for this key. Defaults to the limit's period. */
        private Duration period;

        /** The most permits at once for this key, 1 to its 'limit-for-period'. Defaults to its 'limit-for-period'. */
        private Integer burst;

        /** @return permits per period, or {@code null} when not set */
        public Integer getLimitForPeriod() {
            return limitForPeriod;
        }

        /** @param limitForPeriod permits per period */
        public void setLimitForPeriod(Integer limitForPeriod) {
            this.limitForPeriod = limitForPeriod;
        }

        /** @return the period, or {@code null} for the limit's */
        public Duration getPeriod() {
            return period;
        }

        /** @param period the period */
        public void setPeriod(Duration period) {
            this.period = period;
        }

        /** @return the burst, or {@code null} for limit-for-period */
        public Integer getBurst() {
            return burst;
        }

        /** @param burst the burst */
        public void setBurst(Integer burst) {
            this.burst = burst;
        }
    }

    /** Requests a limit applies to: a path pattern and HTTP methods. */
    public static class Route {

        /**
         * Spring PathPattern within the application (without the context path), for example
         * '/api/**' or '/users/{userId}/**'. Its variables are what key source 'path-variable' reads.
         */
        private String path;

        /** HTTP methods the route covers, for example [GET, POST]. Empty: every method. */
        private List<String> methods = new ArrayList<>();

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
    }
}
