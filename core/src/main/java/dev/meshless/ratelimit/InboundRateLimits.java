package dev.meshless.ratelimit;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Paths;
import dev.meshless.config.Specs;
import dev.meshless.ratelimit.GlobalRateLimiter.ShareMode;
import dev.meshless.ratelimit.InboundRateLimitSpec.Scope;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.time.TimeSource;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The one mapping of inbound limits, as configuration gives them, onto limiters: each limit layered
 * over the defaults, each per-key override over its limit, then built by its scope as a
 * {@link LocalRateLimiter}, a {@link GlobalRateLimiter} or a {@link KeyedRateLimiter}. Every value
 * is checked here, once.
 *
 * <p>A bad value is an {@link InvalidConfigurationException} whose path is in the terms of the whole
 * configuration section — {@code limits}, {@code defaults} and {@code instance}: a limit's setting is
 * {@code limits[api].overrides[vip].burst}, or {@code defaults.maxKeys} when the value came from the
 * defaults; the identity a global limit needs is {@code instance.id}. An integration only prefixes
 * the path with where it binds the section ({@code meshless.rate-limit} in Spring Boot).
 */
public final class InboundRateLimits {

    /** The service reported in rejections when the instance names none. */
    public static final String UNNAMED_SERVICE = "application";

    private static final String LIMITS = "limits";
    private static final String DEFAULTS = "defaults";
    private static final String INSTANCE = "instance";

    private InboundRateLimits() {
    }

    /** @return a builder; only {@link Builder#limits} is needed */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Names a failure in one limit's settings by the section it came from: the limit's own when it
     * sets the bad setting (or when neither sets it), else the defaults. For integrations that check
     * settings of their own, such as the HTTP routes of a limit, so that they name them the same way.
     *
     * @param e a failure whose path is in the limit's specification, for example {@code routes[0].path}
     * @param name the limit's name
     * @param own the limit as configured, not yet layered; {@code null} for none
     * @param defaults the defaults it was layered over
     * @return the failure with its path in the section: {@code limits[name].…} or {@code defaults.…}
     */
    public static InvalidConfigurationException locate(InvalidConfigurationException e, String name,
                                                       InboundRateLimitSpec own, InboundRateLimitSpec defaults) {
        boolean fromDefaults = !Specs.isSet(own, e.path()) && Specs.isSet(defaults, e.path());
        return e.under(fromDefaults ? DEFAULTS : Paths.key(LIMITS, name));
    }

    /**
     * Where the limits run, and the settings of the whole section. Every setting has a default;
     * not thread-safe.
     */
    public static final class Builder {
        private Map<String, ? extends InboundRateLimitSpec> limits = Map.of();
        private InboundRateLimitSpec defaults = new InboundRateLimitSpec();
        private RateLimitInstanceSpec instance = new RateLimitInstanceSpec();
        private boolean shadow;
        private RateLimiterRegistry resilience4j;
        private Supplier<EndpointRegistry> endpointRegistry = () -> null;
        private TimeSource time = TimeSource.system();
        private RateLimitMetrics metrics = RateLimitMetrics.NOOP;
        private SharedBuckets shared;

        private Builder() {
        }

        /**
         * @param limits the limits by name, in the order integrations apply them
         * @return this builder
         */
        public Builder limits(Map<String, ? extends InboundRateLimitSpec> limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * @param defaults the settings of every limit that does not set its own; default none
         * @return this builder
         */
        public Builder defaults(InboundRateLimitSpec defaults) {
            this.defaults = Objects.requireNonNull(defaults, "defaults");
            return this;
        }

        /**
         * @param instance this instance's identity, with any fallbacks already layered underneath
         * @return this builder
         */
        public Builder instance(RateLimitInstanceSpec instance) {
            this.instance = Objects.requireNonNull(instance, "instance");
            return this;
        }

        /**
         * @param shadow whether every limit, and every override, only counts what it would refuse;
         *     default false (each limit's own {@code shadow} decides)
         * @return this builder
         */
        public Builder shadow(boolean shadow) {
            this.shadow = shadow;
            return this;
        }

        /**
         * @param resilience4j the registry local and global limiters are registered in, or {@code null}
         *     (the default) for none
         * @return this builder
         */
        public Builder resilience4j(RateLimiterRegistry resilience4j) {
            this.resilience4j = resilience4j;
            return this;
        }

        /**
         * @param endpointRegistry gives the registry global limits follow, or {@code null} when there is
         *     none; asked only when a limit is global. Default: none
         * @return this builder
         */
        public Builder endpointRegistry(Supplier<EndpointRegistry> endpointRegistry) {
            this.endpointRegistry = Objects.requireNonNull(endpointRegistry, "endpointRegistry");
            return this;
        }

        /**
         * @param time the time source; default the system's
         * @return this builder
         */
        public Builder time(TimeSource time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        /**
         * @param metrics receives every decision; default nothing
         * @return this builder
         */
        public Builder metrics(RateLimitMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * @param shared the store that makes global limits exact and per-key-global limits possible,
         *     or {@code null} (the default) for none: global limits are then shared by registry shares
         * @return this builder
         */
        public Builder sharedBuckets(SharedBuckets shared) {
            this.shared = shared;
            return this;
        }

        /**
         * Builds every limit. When one fails, the global limits already started stop following the
         * registry.
         *
         * @return the limits, in the order given
         * @throws InvalidConfigurationException naming the bad setting by its path in the section
         */
        public List<InboundRateLimit> build() {
            List<InboundRateLimit> built = new ArrayList<>();
            try {
                limits.forEach((name, own) -> built.add(limit(name, own)));
            } catch (RuntimeException e) {
                built.forEach(InboundRateLimit::close);
                throw e;
            }
            return built;
        }

        private InboundRateLimit limit(String name, InboundRateLimitSpec own) {
            if (isBlank(name)) {
                throw new InvalidConfigurationException(LIMITS, name, "must name every limit: a blank name cannot"
                        + " appear in metrics, rejections and @RateLimited");
            }
            InboundRateLimitSpec spec = layer(own, defaults);
            Scope scope = spec.scopeInForce();
            String service = isBlank(instance.getService()) ? UNNAMED_SERVICE : instance.getService();
            RateLimit limit;
            KeyedRateLimiter keyed = null;
            EndpointRegistry registry = null;
            try {
                // Only what the limit sets itself: the defaults may hold per-key settings for other limits.
                if (own != null && own.getOverrides() != null && !own.getOverrides().isEmpty()) {
                    spec.checkPerKeyOnly("overrides", String.join(", ", own.getOverrides().keySet()));
                }
                spec.checkPerKeyOnly("maxKeys", own == null ? null : own.getMaxKeys());
                limit = rateLimit(spec, name);
                if (scope.isPerKey()) {
                    keyed = keyed(name, spec, limit);
                }
                if (scope == Scope.PER_KEY_GLOBAL || scope == Scope.GLOBAL && shared != null) {
                    checkShared(scope, limit);
                    registry = endpointRegistry.get();
                } else if (scope == Scope.GLOBAL && (registry = endpointRegistry.get()) == null) {
                    throw new InvalidConfigurationException("scope", scope, "needs an EndpointRegistry to share"
                            + " the limit between the service's instances, and there is none; use scope local, or"
                            + " add a registry (in Spring Boot: Meshless's Consul discovery or an EndpointRegistry"
                            + " bean)");
                }
            } catch (InvalidConfigurationException e) {
                throw locate(e, name, own, defaults);
            }
            if ((scope == Scope.PER_KEY_GLOBAL || scope == Scope.GLOBAL && shared != null)
                    && isBlank(instance.getService())) {
                throw new InvalidConfigurationException(INSTANCE + ".service", instance.getService(), "is required by"
                        + " limit '" + name + "' on a shared store: it names the limit's buckets there");
            }
            return switch (scope) {
                case LOCAL -> InboundRateLimit.of(service, LocalRateLimiter.create(limit, resilience4j, time, metrics));
                case PER_KEY -> InboundRateLimit.keyed(service, keyed);
                case GLOBAL -> InboundRateLimit.of(service, shared == null ? global(name, spec, limit, registry)
                        : new SharedRateLimiter(shared, bucket(name), limit, fallback(name, spec, limit, registry),
                        metrics));
                case PER_KEY_GLOBAL -> InboundRateLimit.keyed(service, sharedKeyed(name, spec, keyed, registry));
            };
        }

        /** Rules of limits on a shared store, checked before anything is started. */
        private void checkShared(Scope scope, RateLimit limit) {
            if (shared == null) {
                throw new InvalidConfigurationException("scope", scope, "needs a shared store (Redis: add"
                        + " meshless-ratelimit-redis and configure it) to count each key across the service; use scope"
                        + " per-key to count on each instance");
            }
            SharedRateLimiter.checkGlobal(limit);
        }

        /** The bucket of a limit on the shared store: one namespace per service. */
        private String bucket(String name) {
            return instance.getService() + ":" + name;
        }

        /**
         * What decides while the shared store is unavailable: this instance's share of the limit, from
         * the registry when there is one, else {@code 1 / expectedInstances}.
         */
        private RateLimiter fallback(String name, InboundRateLimitSpec spec, RateLimit limit,
                                     EndpointRegistry registry) {
            if (registry != null) {
                return global(name, spec, limit, registry);
            }
            LocalRateLimiter local = LocalRateLimiter.create(limit, resilience4j, time, metrics);
            local.setShare(1.0 / expectedInstances());
            return local;
        }

        private SharedKeyedRateLimiter sharedKeyed(String name, InboundRateLimitSpec spec, KeyedRateLimiter keyed,
                                                   EndpointRegistry registry) {
            Map<String, RateLimit> overrides = new LinkedHashMap<>();
            if (spec.getOverrides() != null) {
                spec.getOverrides().keySet().forEach(key -> overrides.put(key, keyed.limitFor(key)));
            }
            int maxKeys = spec.getMaxKeys() != null ? spec.getMaxKeys() : KeyedRateLimiter.DEFAULT_MAX_KEYS;
            RateLimit limit = keyed.defaultLimit();
            if (registry == null) {
                double share = 1.0 / expectedInstances();
                return new SharedKeyedRateLimiter(shared, bucket(name) + ":", limit, overrides, maxKeys, () -> share,
                        null, time, metrics);
            }
            // Follows the registry for the share only; its own limiter never decides.
            GlobalRateLimiter share = global(name, spec, limit, registry);
            return new SharedKeyedRateLimiter(shared, bucket(name) + ":", limit, overrides, maxKeys, share::share,
                    share, time, metrics);
        }

        private int expectedInstances() {
            return instance.getExpectedInstances() != null ? instance.getExpectedInstances() : 1;
        }

        private KeyedRateLimiter keyed(String name, InboundRateLimitSpec spec, RateLimit limit) {
            Map<String, RateLimit> byKey = new LinkedHashMap<>();
            if (spec.getOverrides() != null) {
                spec.getOverrides().forEach((key, override) -> byKey.put(key, Specs.under(Paths.key("overrides", key),
                        () -> override(name, override, spec))));
            }
            int maxKeys = spec.getMaxKeys() != null ? spec.getMaxKeys() : KeyedRateLimiter.DEFAULT_MAX_KEYS;
            return KeyedRateLimiter.create(limit, byKey, maxKeys, time, metrics);
        }

        private RateLimit override(String name, RateLimitSpec override, InboundRateLimitSpec limit) {
            if (override == null || override.getLimitForPeriod() == null) {
                throw new InvalidConfigurationException("limitForPeriod", null, "is required: the key's permits per"
                        + " period, at least 1");
            }
            // A key's override changes its rate only: how long a request waits, the warm-up and shadow
            // mode belong to the whole limit (the reactive filter decides on the event loop when the
            // limit never waits).
            wholeLimitOnly("timeout", override.getTimeout());
            wholeLimitOnly("warmUp", override.getWarmUp());
            wholeLimitOnly("coldFactor", override.getColdFactor());
            wholeLimitOnly("shadow", override.getShadow());
            return rateLimit(layer(override, limit), name);
        }

        private static void wholeLimitOnly(String path, Object value) {
            if (value != null) {
                throw new InvalidConfigurationException(path, value, "applies to the whole limit, not to one key's"
                        + " override: set it on the limit");
            }
        }

        private GlobalRateLimiter global(String name, InboundRateLimitSpec spec, RateLimit limit,
                                         EndpointRegistry registry) {
            String service = instance.getService();
            String id = instance.getId();
            if (isBlank(service)) {
                throw new InvalidConfigurationException(INSTANCE + ".service", service, "is required by global limit '"
                        + name + "': this service's name in the registry");
            }
            if (isBlank(id)) {
                throw new InvalidConfigurationException(INSTANCE + ".id", id, "is required by global limit '" + name
                        + "': this instance's endpoint id in the registry");
            }
            ShareMode mode = spec.getShare() != null ? spec.getShare() : ShareMode.EVEN;
            int expected = expectedInstances();
            LocalRateLimiter local = LocalRateLimiter.create(limit, resilience4j, time, metrics);
            return Specs.under(INSTANCE, () -> GlobalRateLimiter.start(local, registry, service, id, mode, expected));
        }

        /** The limit of a layered specification; every limit in shadow mode when the section says so. */
        private RateLimit rateLimit(RateLimitSpec spec, String name) {
            RateLimit limit = spec.toRateLimit(name);
            return shadow && !limit.shadow() ? limit.toBuilder().shadow(true).build() : limit;
        }
    }

    /**
     * Layers a limit over another: every setting by {@link Specs#merge}, except that a layer that sets
     * {@code limitForPeriod} without a {@code burst} does not take the burst of another rate.
     */
    private static <T extends RateLimitSpec> T layer(RateLimitSpec over, T under) {
        @SuppressWarnings("unchecked")
        T layered = (T) Specs.merge(over, under);
        if (over != null && over.getLimitForPeriod() != null && over.getBurst() == null) {
            layered.setBurst(null);
        }
        return layered;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
