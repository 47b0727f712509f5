package dev.meshless.spring.boot.check;

import dev.meshless.spring.boot.MeshlessBinding;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.cloud.loadbalancer.MeshlessLoadBalancerProperties;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.spring.boot.consul.MeshlessConsulAutoConfiguration;
import dev.meshless.spring.boot.ratelimit.RateLimitProperties;
import dev.meshless.spring.boot.ratelimit.redis.RedisRateLimitAutoConfiguration;
import dev.meshless.spring.boot.shedding.LoadSheddingProperties;
import dev.meshless.spring.boot.zoneaware.ZoneAwareProperties;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Finds {@code meshless.*} properties that no Meshless setting reads — a misspelt key, which Spring
 * Boot would otherwise ignore, silently leaving a policy at its default. Each Meshless properties
 * class is bound again at its prefix, requiring every name under it to be used. Depending on
 * {@code meshless.unknown-properties}, an unknown key stops start-up naming the key, its value and
 * where it was set ({@code fail}, the default), is logged ({@code warn}), or is ignored.
 *
 * <p>Also warns when {@code meshless.consul.*} or {@code meshless.loadbalancer.*} is set but the
 * module that reads it is not on the class path.
 */
public final class UnknownPropertiesCheck {

    private static final Logger log = LoggerFactory.getLogger(UnknownPropertiesCheck.class);

    /**
     * Every prefix and the class bound there, most specific first; by name, as an optional module's
     * class (Consul's specification) may be missing, and then nothing binds its prefix.
     */
    private static final Map<String, String> OWNERS = new LinkedHashMap<>();

    static {
        OWNERS.put(RedisRateLimitAutoConfiguration.PREFIX, "dev.meshless.ratelimit.redis.RedisRateLimitSpec");
        OWNERS.put(RateLimitProperties.PREFIX, RateLimitProperties.class.getName());
        OWNERS.put(LoadSheddingProperties.PREFIX, LoadSheddingProperties.class.getName());
        OWNERS.put(MeshlessConsulAutoConfiguration.PREFIX, "dev.meshless.consul.ConsulSpec");
        OWNERS.put(ZoneAwareProperties.PREFIX, ZoneAwareProperties.class.getName());
        OWNERS.put(MeshlessLoadBalancerProperties.PREFIX, MeshlessLoadBalancerProperties.class.getName());
        OWNERS.put(MeshlessProperties.PREFIX, MeshlessProperties.class.getName());
    }

    /** Modules that read a prefix, and a class of theirs that shows they are present. */
    private static final Map<String, String[]> MODULES = Map.of(
            MeshlessConsulAutoConfiguration.PREFIX, new String[] {"dev.meshless.consul.ConsulRegistry",
                "meshless-discovery-consul"},
            RedisRateLimitAutoConfiguration.PREFIX, new String[] {"dev.meshless.ratelimit.redis.RedisBucketStore",
                "meshless-ratelimit-redis"},
            MeshlessLoadBalancerProperties.PREFIX, new String[] {
                "org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer",
                "spring-cloud-loadbalancer"});

    private UnknownPropertiesCheck() {
    }

    /**
     * @param environment the application's environment
     * @param properties the bound properties, for the locality's environment variables
     * @param classLoader the application's, to see which modules are present
     * @throws InvalidMeshlessConfigurationException naming the first unknown key, in {@code FAIL} mode
     */
    public static void check(ConfigurableEnvironment environment, MeshlessProperties properties,
                             ClassLoader classLoader) {
        MeshlessProperties.UnknownProperties mode = properties.getUnknownProperties();
        Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
        // MESHLESS_REGION and MESHLESS_ZONE are read as environment variables by the locality; Spring
        // also sees them as meshless.region and meshless.zone, which no property class binds.
        List<ConfigurationPropertyName> localityVariables = new ArrayList<>();
        List<String> variables = new ArrayList<>(properties.getLocality().getRegionVariables());
        variables.addAll(properties.getLocality().getZoneVariables());
        for (String variable : variables) {
            String name = variable.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
            if (ConfigurationPropertyName.isValid(name)) {
                localityVariables.add(ConfigurationPropertyName.of(name));
            }
        }
        warnAboutMissingModules(sources, classLoader);
        if (mode == MeshlessProperties.UnknownProperties.IGNORE) {
            return;
        }
        List<ConfigurationProperty> unknown = new ArrayList<>();
        ApplicationConversionService conversion = MeshlessBinding.conversionService();
        PropertySourcesPlaceholdersResolver placeholders = new PropertySourcesPlaceholdersResolver(environment);
        for (Map.Entry<String, String> owner : OWNERS.entrySet()) {
            if (!ClassUtils.isPresent(owner.getValue(), classLoader)) {
                continue; // the module is missing, which warnAboutMissingModules has said
            }
            ConfigurationPropertyName prefix = ConfigurationPropertyName.of(owner.getKey());
            List<ConfigurationPropertySource> owned = new ArrayList<>();
            for (ConfigurationPropertySource source : sources) {
                boolean environmentVariables = source.getUnderlyingSource() instanceof PropertySource<?> ps
                        && StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(ps.getName());
                owned.add(source.filter(name -> prefix.isAncestorOf(name) && ownerOf(name).equals(prefix)
                        && !(environmentVariables && localityVariables.contains(name))));
            }
            try {
                new Binder(owned, placeholders, conversion).bind(prefix, Bindable.of(ClassUtils.resolveClassName(
                        owner.getValue(), classLoader)), new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
            } catch (BindException e) {
                Throwable cause = e.getCause();
                if (cause instanceof UnboundConfigurationPropertiesException unbound) {
                    unknown.addAll(unbound.getUnboundProperties());
                }
                // any other binding failure is reported by the regular binding of that class
            }
        }
        if (unknown.isEmpty()) {
            return;
        }
        unknown.sort(Comparator.comparing(p -> p.getName().toString()));
        if (mode == MeshlessProperties.UnknownProperties.WARN) {
            unknown.forEach(p -> log.warn("Meshless: '{}' = '{}'{} is not a Meshless property and is ignored "
                    + "(see docs/configuration.md)", p.getName(), p.getValue(), where(p)));
            return;
        }
        ConfigurationProperty first = unknown.get(0);
        String others = unknown.size() == 1 ? "" : "; also unknown: " + String.join(", ",
                unknown.subList(1, unknown.size()).stream().map(p -> p.getName().toString()).toList());
        throw new InvalidMeshlessConfigurationException(first.getName().toString(), first.getValue(),
                "is not a Meshless property" + where(first) + " — a misspelt key would leave its setting at the "
                        + "default. Check the name against docs/configuration.md, or set "
                        + "meshless.unknown-properties=warn" + others);
    }

    /** The most specific prefix of {@link #OWNERS} that holds the name. */
    private static ConfigurationPropertyName ownerOf(ConfigurationPropertyName name) {
        for (String prefix : OWNERS.keySet()) {
            ConfigurationPropertyName p = ConfigurationPropertyName.of(prefix);
            if (p.isAncestorOf(name) || p.equals(name)) {
                return p;
            }
        }
        return ConfigurationPropertyName.EMPTY;
    }

    private static void warnAboutMissingModules(Iterable<ConfigurationPropertySource> sources,
                                                ClassLoader classLoader) {
        MODULES.forEach((prefix, module) -> {
            if (ClassUtils.isPresent(module[0], classLoader)) {
                return;
            }
            ConfigurationPropertyName p = ConfigurationPropertyName.of(prefix);
            boolean set = StreamSupport.stream(sources.spliterator(), false)
                    .anyMatch(s -> s.containsDescendantOf(p) == org.springframework.boot.context.properties.source
                            .ConfigurationPropertyState.PRESENT);
            if (set) {
                log.warn("Meshless: {}.* is set but {} is not on the class path, so nothing reads it; add the "
                        + "dependency to use it", prefix, module[1]);
            }
        });
    }

    private static String where(ConfigurationProperty property) {
        return property.getOrigin() == null ? "" : " (from " + property.getOrigin() + ")";
    }
}
