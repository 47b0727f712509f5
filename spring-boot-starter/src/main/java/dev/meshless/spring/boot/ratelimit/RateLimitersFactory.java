package dev.meshless.spring.boot.ratelimit;

import static dev.meshless.spring.boot.config.ConfigChecks.check;

import dev.meshless.ratelimit.GlobalRateLimiter;
import dev.meshless.ratelimit.InboundRateLimit;
import dev.meshless.ratelimit.KeyedRateLimiter;
import dev.meshless.ratelimit.LocalRateLimiter;
import dev.meshless.ratelimit.RateLimit;
import dev.meshless.ratelimit.RateLimitMetrics;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.spring.boot.config.ConfigChecks;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.spring.boot.ratelimit.RateLimitProperties.KeyOverride;
import dev.meshless.spring.boot.ratelimit.RateLimitProperties.KeySource;
import dev.meshless.spring.boot.ratelimit.RateLimitProperties.Limit;
import dev.meshless.spring.boot.ratelimit.RateLimitProperties.Scope;
import dev.meshless.spring.boot.ratelimit.internal.PropertyPaths;
import dev.meshless.time.TimeSource;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds {@link RateLimiters} from {@link RateLimitProperties}, checking every value once and
 * naming the full property of any bad one. Called once, at startup.
 */
final class RateLimitersFactory {

    /** The service name in rejections when neither the instance nor the application has a name. */
    static final String UNNAMED_SERVICE = "application";

    private final RateLimitProperties properties;
    private final String serviceName;
    private final String instanceId;
    private final RateLimiterRegistry resilience4j;
    private final Supplier<EndpointRegistry> endpointRegistry;
    private final TimeSource time;
    private final RateLimitMetrics metrics;
    private final List<GlobalRateLimiter> started = new ArrayList<>();

    /**
     * @param properties the configuration
     * @param serviceName this service's name ({@code instance.service}, else {@code meshless.service},
     *     else {@code spring.application.name}), or {@code null}
     * @param instanceId this instance's endpoint id ({@code instance.id}, else {@code meshless.instance-id}),
     *     or {@code null}
     * @param resilience4j the application's Resilience4j registry, or {@code null}
     * @param endpointRegistry gives the registry global limits follow, or {@code null} when there is none
     * @param time the time source
     * @param metrics receives every decision
     */
    RateLimitersFactory(RateLimitProperties properties, String serviceName, String instanceId,
                        RateLimiterRegistry resilience4j, Supplier<EndpointRegistry> endpointRegistry, TimeSource time,
                        RateLimitMetrics metrics) {
        this.properties = properties;
        this.serviceName = serviceName == null || serviceName.isBlank() ? null : serviceName;
        this.instanceId = instanceId == null || instanceId.isBlank() ? null : instanceId;
        this.resilience4j = resilience4j;
        this.endpointRegistry = endpointRegistry;
        this.time = time;
        this.metrics = metrics;
    }

    RateLimiters create() {
        List<InboundRateLimit> limits = new ArrayList<>();
        try {
            properties.getLimits().forEach((name, limit) -> limits.add(build(name, limit)));
        } catch (RuntimeException e) {
            started.forEach(GlobalRateLimiter::close);
            throw e;
        }
        return RateLimiters.of(limits);
    }

    private InboundRateLimit build(String name, Limit config) {
        if (config.getScope() == null) {
            throw invalid(name, "scope", null, "must be local, global or per-key");
        }
        if (config.getScope() != Scope.PER_KEY) {
            rejectPerKeySettings(name, config);
        }
        RateLimit limit = rateLimit(name, config);
        String service = serviceName != null ? serviceName : UNNAMED_SERVICE;
        return switch (config.getScope()) {
            case LOCAL -> InboundRateLimit.of(service, LocalRateLimiter.create(limit, resilience4j, time, metrics));
            case GLOBAL -> InboundRateLimit.of(service, global(name, config, limit));
            case PER_KEY -> InboundRateLimit.keyed(service, keyed(name, config, limit));
        };
    }

    private RateLimit rateLimit(String name, Limit config) {
        Integer permits = config.getLimitForPeriod();
        if (permits == null) {
            throw invalid(name, "limit-for-period", null, "is required: the permits per period, at least 1");
        }
        RateLimitProperties.Defaults defaults = properties.getDefaults();
        RateLimit.Builder b = RateLimit.builder(name);
        check(PropertyPaths.limit(name, "limit-for-period"), permits, () -> b.limitForPeriod(permits));
        Duration period = config.getPeriod() != null ? config.getPeriod() : defaults.getPeriod();
        check(config.getPeriod() != null ? PropertyPaths.limit(name, "period") : PropertyPaths.of("defaults.period"),
                period, () -> b.period(period));
        Duration timeout = config.getTimeout() != null ? config.getTimeout() : defaults.getTimeout();
        check(config.getTimeout() != null ? PropertyPaths.limit(name, "timeout")
                : PropertyPaths.of("defaults.timeout"), timeout, () -> b.timeout(timeout));
        if (config.getBurst() != null) {
            check(PropertyPaths.limit(name, "burst"), config.getBurst(), () -> b.burst(config.getBurst()));
        }
        check(PropertyPaths.limit(name, "warm-up"), config.getWarmUp(), () -> b.warmUp(config.getWarmUp()));
        check(PropertyPaths.limit(name, "cold-factor"), config.getColdFactor(),
                () -> b.coldFactor(config.getColdFactor()));
        b.shadow(properties.isShadow() || config.isShadow());
        RateLimit[] built = new RateLimit[1];
        // After the setters, only the burst against limit-for-period can fail.
        check(PropertyPaths.limit(name, "burst"), config.getBurst(), () -> built[0] = b.build());
        return built[0];
    }

    private void rejectPerKeySettings(String name, Limit config) {
        String rule = "applies only to scope per-key, and this limit's scope is "
                + InvalidMeshlessConfigurationException.describeValue(config.getScope());
        if (config.getKey().getSource() != null) {
            throw invalid(name, "key.source", config.getKey().getSource(), rule);
        }
        if (config.getKey().getName() != null) {
            throw invalid(name, "key.name", config.getKey().getName(), rule);
        }
        if (!config.getOverrides().isEmpty()) {
            throw invalid(name, "overrides", String.join(", ", config.getOverrides().keySet()), rule);
        }
        if (config.getMaxKeys() != null) {
            throw invalid(name, "max-keys", config.getMaxKeys(), rule);
        }
    }

    private KeyedRateLimiter keyed(String name, Limit config, RateLimit limit) {
        KeySource source = config.getKey().getSource();
        String keyName = config.getKey().getName();
        if (source == null && !config.getRoutes().isEmpty()) {
            throw invalid(name, "key.source", null, "is required for a per-key limit with routes: header,"
                    + " path-variable, principal or bean (without routes, @RateLimited gives the key)");
        }
        if (source != null && source != KeySource.PRINCIPAL && (keyName == null || keyName.isBlank())) {
            throw invalid(name, "key.name", keyName, "is required with key.source "
                    + InvalidMeshlessConfigurationException.describeValue(source) + ": the " + switch (source) {
                        case HEADER -> "header name";
                        case PATH_VARIABLE -> "name of a variable of the route patterns";
                        default -> "name of a bean implementing RateLimitKeyResolver";
                    });
        }
        Map<String, RateLimit> overrides = new LinkedHashMap<>();
        config.getOverrides().forEach((key, override) -> overrides.put(key, override(name, key, override, limit)));
        Integer maxKeys = config.getMaxKeys();
        String maxKeysProperty = maxKeys != null ? PropertyPaths.limit(name, "max-keys")
                : PropertyPaths.of("defaults.max-keys");
        int keys = maxKeys != null ? maxKeys : properties.getDefaults().getMaxKeys();
        KeyedRateLimiter[] built = new KeyedRateLimiter[1];
        check(maxKeysProperty, keys, () -> built[0] = KeyedRateLimiter.create(limit, overrides, keys, time, metrics));
        return built[0];
    }

    private static RateLimit override(String name, String key, KeyOverride override, RateLimit base) {
        String prefix = "overrides" + ConfigChecks.mapKey(key) + ".";
        Integer permits = override.getLimitForPeriod();
        if (permits == null) {
            throw invalid(name, prefix + "limit-for-period", null, "is required: the key's permits per period,"
                    + " at least 1");
        }
        RateLimit.Builder b = base.toBuilder();
        check(PropertyPaths.limit(name, prefix + "limit-for-period"), permits, () -> b.limitForPeriod(permits));
        if (override.getPeriod() != null) {
            check(PropertyPaths.limit(name, prefix + "period"), override.getPeriod(),
                    () -> b.period(override.getPeriod()));
        }
        int burst = override.getBurst() != null ? override.getBurst() : permits;
        String burstProperty = PropertyPaths.limit(name, prefix + "burst");
        check(burstProperty, burst, () -> b.burst(burst));
        RateLimit[] built = new RateLimit[1];
        check(burstProperty, burst, () -> built[0] = b.build());
        return built[0];
    }

    private GlobalRateLimiter global(String name, Limit config, RateLimit limit) {
        EndpointRegistry registry = endpointRegistry.get();
        if (registry == null) {
            throw invalid(name, "scope", Scope.GLOBAL, "needs an EndpointRegistry bean to share the limit"
                    + " between the service's instances, and the application has none; use scope local, or"
                    + " add a Meshless registry (such as Consul discovery) or declare an EndpointRegistry bean");
        }
        RateLimitProperties.Instance instance = properties.getInstance();
        if (serviceName == null) {
            throw new InvalidMeshlessConfigurationException(PropertyPaths.of("instance.service"), null,
                    "is required by global limit '" + name + "': this service's name in the registry"
                            + " (defaults to meshless.service, then spring.application.name, which are not set either)");
        }
        if (instanceId == null) {
            throw new InvalidMeshlessConfigurationException(PropertyPaths.of("instance.id"), instance.getId(),
                    "is required by global limit '" + name + "': this instance's endpoint id in the registry"
                            + " (defaults to meshless.instance-id, which is not set either)");
        }
        if (config.getShare() == null) {
            throw invalid(name, "share", null, "must be even or weighted");
        }
        int expected = instance.getExpectedInstances();
        if (expected < 1) {
            throw new InvalidMeshlessConfigurationException(PropertyPaths.of("instance.expected-instances"),
                    expected, "must be at least 1");
        }
        LocalRateLimiter local = LocalRateLimiter.create(limit, resilience4j, time, metrics);
        GlobalRateLimiter global = GlobalRateLimiter.start(local, registry, serviceName, instanceId,
                config.getShare(), expected);
        started.add(global);
        return global;
    }

    private static InvalidMeshlessConfigurationException invalid(String limit, String property, Object value,
                                                                 String rule) {
        return new InvalidMeshlessConfigurationException(PropertyPaths.limit(limit, property), value, rule);
    }
}
