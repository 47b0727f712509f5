package dev.meshless.spring.boot;

import dev.meshless.policy.PolicySpec;
import dev.meshless.spring.boot.registry.StaticEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Meshless configuration under {@code meshless}: where this instance runs, where endpoints come
 * from, and the policies for calls to other services — defaults for every service, overridden per
 * service. Unset policy values fall back to the defaults section, then to Meshless's own defaults
 * (listed in {@code docs/configuration.md}). Values are checked at start-up; a bad one stops the
 * application with the property, the value and the rule.
 */
@ConfigurationProperties(MeshlessProperties.PREFIX)
public class MeshlessProperties {

    /** The prefix of every property. */
    public static final String PREFIX = "meshless";

    /**
     * Whether Meshless is active. When false, every Meshless auto-configuration backs off: registry,
     * balancers, clients, HTTP clients, @ZoneAware, the Spring Cloud bridge, Consul, inbound rate
     * limits, the actuator endpoint and health, and the unknown-key check.
     */
    private boolean enabled = true;

    /**
     * This instance's own service name, for capacity-aware zone routing and global rate limits.
     * Defaults to {@code spring.application.name}.
     */
    private String service;

    /**
     * This instance's endpoint id in the registry, which global rate limits look for to find their
     * share. {@code meshless.rate-limit.instance.id} overrides it for the limits.
     */
    private String instanceId;

    /** Where this instance runs. */
    @NestedConfigurationProperty
    private LocalityProperties locality = new LocalityProperties();

    /** Where endpoints of other services come from. */
    @NestedConfigurationProperty
    private RegistryProperties registry = new RegistryProperties();

    /**
     * Policies for every service, unless a service overrides them under {@code meshless.services}.
     * Bound to core's {@link PolicySpec}; its settings are described in the metadata generated from
     * core's Javadoc ({@code additional-spring-configuration-metadata.json}).
     */
    private PolicySpec defaults = new PolicySpec();

    /** Per-service policy overrides, by service name; any value left out comes from {@code defaults}. */
    private Map<String, PolicySpec> services = new LinkedHashMap<>();

    /** HTTP client integration. */
    @NestedConfigurationProperty
    private HttpProperties http = new HttpProperties();

    /**
     * What to do about a {@code meshless.*} key that no Meshless setting reads, such as a misspelt
     * one: {@code fail} start-up naming it, {@code warn} in the log, or {@code ignore} it.
     */
    private UnknownProperties unknownProperties = UnknownProperties.FAIL;

    /** @return whether Meshless is active */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether Meshless is active */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return this instance's service name, or {@code null} */
    public String getService() {
        return service;
    }

    /** @param service this instance's service name */
    public void setService(String service) {
        this.service = service;
    }

    /** @return this instance's endpoint id, or {@code null} */
    public String getInstanceId() {
        return instanceId;
    }

    /** @param instanceId this instance's endpoint id */
    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    /** @return where this instance runs */
    public LocalityProperties getLocality() {
        return locality;
    }

    /** @param locality where this instance runs */
    public void setLocality(LocalityProperties locality) {
        this.locality = locality;
    }

    /** @return where endpoints come from */
    public RegistryProperties getRegistry() {
        return registry;
    }

    /** @param registry where endpoints come from */
    public void setRegistry(RegistryProperties registry) {
        this.registry = registry;
    }

    /** @return the default policies */
    public PolicySpec getDefaults() {
        return defaults;
    }

    /** @param defaults the default policies */
    public void setDefaults(PolicySpec defaults) {
        this.defaults = defaults;
    }

    /** @return per-service overrides */
    public Map<String, PolicySpec> getServices() {
        return services;
    }

    /** @param services per-service overrides */
    public void setServices(Map<String, PolicySpec> services) {
        this.services = services;
    }

    /** @return HTTP client integration */
    public HttpProperties getHttp() {
        return http;
    }

    /** @param http HTTP client integration */
    public void setHttp(HttpProperties http) {
        this.http = http;
    }

    /** @return what to do about a {@code meshless.*} key that no Meshless setting reads */
    public UnknownProperties getUnknownProperties() {
        return unknownProperties;
    }

    /** @param unknownProperties what to do about a {@code meshless.*} key that no Meshless setting reads */
    public void setUnknownProperties(UnknownProperties unknownProperties) {
        this.unknownProperties = unknownProperties;
    }

    /** What to do about a {@code meshless.*} key that no Meshless setting reads. */
    public enum UnknownProperties {
        /** Stop start-up, naming the key, its value and where it was set. */
        FAIL,
        /** Log a warning for each. */
        WARN,
        /** Nothing. */
        IGNORE
    }

    /** Where this instance runs. */
    public static class LocalityProperties {

        /** Region of this instance, e.g. {@code eu-west-1}. Read from the environment when left out. */
        private String region;

        /** Zone of this instance, e.g. {@code eu-west-1a}. Read from the environment when left out. */
        private String zone;

        /** Sub-zone of this instance (rack, cell); optional, reported but not used for routing. */
        private String subZone;

        /**
         * Environment variables tried, in order, for the region when {@code region} is not set:
         * Meshless's own, then the name a Kubernetes downward-API mapping of the
         * {@code topology.kubernetes.io/region} label usually gets.
         */
        private List<String> regionVariables = new ArrayList<>(List.of("MESHLESS_REGION",
                "TOPOLOGY_KUBERNETES_IO_REGION"));

        /** Environment variables tried, in order, for the zone when {@code zone} is not set. */
        private List<String> zoneVariables = new ArrayList<>(List.of("MESHLESS_ZONE", "TOPOLOGY_KUBERNETES_IO_ZONE"));

        /** @return the region, or {@code null} */
        public String getRegion() {
            return region;
        }

        /** @param region the region */
        public void setRegion(String region) {
            this.region = region;
        }

        /** @return the zone, or {@code null} */
        public String getZone() {
            return zone;
        }

        /** @param zone the zone */
        public void setZone(String zone) {
            this.zone = zone;
        }

        /** @return the sub-zone, or {@code null} */
        public String getSubZone() {
            return subZone;
        }

        /** @param subZone the sub-zone */
        public void setSubZone(String subZone) {
            this.subZone = subZone;
        }

        /** @return environment variables for the region */
        public List<String> getRegionVariables() {
            return regionVariables;
        }

        /** @param regionVariables environment variables for the region */
        public void setRegionVariables(List<String> regionVariables) {
            this.regionVariables = regionVariables;
        }

        /** @return environment variables for the zone */
        public List<String> getZoneVariables() {
            return zoneVariables;
        }

        /** @param zoneVariables environment variables for the zone */
        public void setZoneVariables(List<String> zoneVariables) {
            this.zoneVariables = zoneVariables;
        }
    }

    /** Where endpoints of other services come from. */
    public static class RegistryProperties {

        /**
         * The embedded static registry: endpoints by service name. Used on its own, or merged with a
         * discovery client's view (static endpoints first).
         */
        private Map<String, List<StaticEndpoint>> endpoints = new LinkedHashMap<>();

        /** Reading endpoints from a Spring Cloud {@code DiscoveryClient} (Consul, Eureka, Kubernetes). */
        @NestedConfigurationProperty
        private DiscoveryClientProperties discoveryClient = new DiscoveryClientProperties();

        /** @return static endpoints by service */
        public Map<String, List<StaticEndpoint>> getEndpoints() {
            return endpoints;
        }

        /** @param endpoints static endpoints by service */
        public void setEndpoints(Map<String, List<StaticEndpoint>> endpoints) {
            this.endpoints = endpoints;
        }

        /** @return discovery client settings */
        public DiscoveryClientProperties getDiscoveryClient() {
            return discoveryClient;
        }

        /** @param discoveryClient discovery client settings */
        public void setDiscoveryClient(DiscoveryClientProperties discoveryClient) {
            this.discoveryClient = discoveryClient;
        }
    }

    /** Reading endpoints from a Spring Cloud {@code DiscoveryClient}. */
    public static class DiscoveryClientProperties {

        /** Whether a {@code DiscoveryClient} bean, when present, feeds the registry. */
        private boolean enabled = true;

        /** Instance metadata key holding the zone ({@code zone} is the Spring Cloud convention). */
        private String zoneKey = "zone";

        /** Instance metadata key holding the region. */
        private String regionKey = "region";

        /** Region of instances whose metadata has none; defaults to this instance's region. */
        private String defaultRegion;

        /** How often services' instances are read again (a discovery client has no change events). */
        private Duration refreshInterval = Duration.ofSeconds(5);

        /** @return whether enabled */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether enabled */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the zone key */
        public String getZoneKey() {
            return zoneKey;
        }

        /** @param zoneKey the zone key */
        public void setZoneKey(String zoneKey) {
            this.zoneKey = zoneKey;
        }

        /** @return the region key */
        public String getRegionKey() {
            return regionKey;
        }

        /** @param regionKey the region key */
        public void setRegionKey(String regionKey) {
            this.regionKey = regionKey;
        }

        /** @return the default region, or {@code null} */
        public String getDefaultRegion() {
            return defaultRegion;
        }

        /** @param defaultRegion the default region */
        public void setDefaultRegion(String defaultRegion) {
            this.defaultRegion = defaultRegion;
        }

        /** @return the refresh interval */
        public Duration getRefreshInterval() {
            return refreshInterval;
        }

        /** @param refreshInterval the refresh interval */
        public void setRefreshInterval(Duration refreshInterval) {
            this.refreshInterval = refreshInterval;
        }
    }

    /** HTTP client integration. */
    public static class HttpProperties {

        /**
         * Host names that Meshless routes when they appear in a {@code RestClient},
         * {@code RestTemplate} or {@code WebClient} URL ({@code http://inventory/...}), in addition to
         * the services named under {@code meshless.services} and in the static registry.
         */
        private List<String> services = new ArrayList<>();

        /**
         * HTTP statuses whose failures are retried, for services whose policies do not set
         * {@code retry.retryable-statuses}. Deprecated: set
         * {@code meshless.defaults.retry.retryable-statuses} instead, which per-service policies
         * can override.
         */
        private List<Integer> retryableStatuses;

        /**
         * The most bytes of a response's body that a RestClient or RestTemplate attempt reads before
         * it counts, so that a body that breaks off is retried on another endpoint instead of failing
         * the caller; larger bodies and streaming media types are handed over unread. 0 reads none.
         */
        private DataSize bufferLimit = DataSize.ofMegabytes(1);

        /** @return the most bytes of a body read within its attempt */
        public DataSize getBufferLimit() {
            return bufferLimit;
        }

        /** @param bufferLimit the most bytes of a body read within its attempt; 0 reads none */
        public void setBufferLimit(DataSize bufferLimit) {
            this.bufferLimit = bufferLimit;
        }

        /** @return extra routed host names */
        public List<String> getServices() {
            return services;
        }

        /** @param services extra routed host names */
        public void setServices(List<String> services) {
            this.services = services;
        }

        /**
         * @return retryable statuses, or {@code null} when not set
         * @deprecated set {@code meshless.defaults.retry.retryable-statuses} (or a service's own) instead
         */
        @Deprecated(since = "0.1.0")
        @org.springframework.boot.context.properties.DeprecatedConfigurationProperty(
                replacement = "meshless.defaults.retry.retryable-statuses",
                reason = "Retryable statuses are a retry policy, set in defaults and per service")
        public List<Integer> getRetryableStatuses() {
            return retryableStatuses;
        }

        /**
         * @param retryableStatuses retryable statuses
         * @deprecated set {@code meshless.defaults.retry.retryable-statuses} (or a service's own) instead
         */
        @Deprecated(since = "0.1.0")
        public void setRetryableStatuses(List<Integer> retryableStatuses) {
            this.retryableStatuses = retryableStatuses;
        }
    }
}
