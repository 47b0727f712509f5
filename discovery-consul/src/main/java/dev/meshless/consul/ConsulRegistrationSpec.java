package dev.meshless.consul;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Spec;
import dev.meshless.config.Specs;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Registration of this instance with its local agent, as configuration gives it ({@code registration}
 * of {@link ConsulSpec}): every setting nullable (not set). {@link #toConfig} maps it onto
 * {@link ConsulRegistrationConfig}. Name, address, port, region and zone have no default of their
 * own: a framework fills them from what the application knows (the Spring Boot starter: its service
 * name, web server port and locality) by layering a specification of those under this one with
 * {@link Specs#merge}.
 */
public class ConsulRegistrationSpec implements Spec {

    /**
     * Whether this instance registers itself. It does once its web server has started (or, without
     * one, when {@code port} is set), unless Spring Cloud Consul's own auto-registration is active.
     */
    private Boolean enabled;

    /** The service name registered. Defaults to {@code meshless.service}, else {@code spring.application.name}. */
    private String serviceName;

    /** The instance id, unique per agent. Defaults to {@code <service-name>-<address>-<port>}. */
    private String instanceId;

    /**
     * Address callers use. Defaults to {@code spring.cloud.client.ip-address} when Spring Cloud
     * Commons sets it, else the first site-local (else non-loopback) IPv4 address of an interface
     * that is up.
     */
    private String address;

    /** Port callers use, 1 to 65535. Defaults to the port the application's web server listens on. */
    private Integer port;

    /** Region written to the instance's metadata. Defaults to this instance's region ({@code meshless.locality}). */
    private String region;

    /** Zone written to the instance's metadata. Defaults to this instance's zone ({@code meshless.locality}). */
    private String zone;

    /** {@code Service.Tags}. */
    private List<String> tags;

    /**
     * More {@code Service.Meta} entries (region and zone are added), by Consul's rules: at most 62 keys of
     * letters, digits, '_' and '-', up to 128 characters, not starting with {@code consul-}; values up to
     * 512 characters.
     */
    private Map<String, String> meta;

    /** {@code Service.Meta} key of the region; the zone's is {@code meshless.consul.zone-metadata-key}. */
    private String regionMetadataKey;

    /** TTL of the check the library heartbeats, 1s to 1h. */
    private Duration ttl;

    /** Time between TTL heartbeats, from 100ms to below {@code ttl}. Defaults to a third of {@code ttl}. */
    private Duration heartbeatInterval;

    /**
     * URL the agent polls instead of the TTL check, e.g. {@code http://10.1.2.3:8081/actuator/health};
     * TTL check when left out.
     */
    private String httpCheck;

    /** How often the agent polls {@code http-check}, 1s to 1h. */
    private Duration checkInterval;

    /** How long the agent waits for {@code http-check}, from 100ms to {@code check-interval}. */
    private Duration checkTimeout;

    /** The agent removes the instance after its check stayed critical this long, 1m to 7d. */
    private Duration deregisterCriticalAfter;

    /** {@code Weights.Passing}, 1 to 65535. */
    private Integer weightPassing;

    /** {@code Weights.Warning}, 0 (no traffic while warning) to 65535. */
    private Integer weightWarning;

    /**
     * Longest start-up waits for the first registration, 0s to 10m; after that the application starts
     * and registration goes on in the background.
     */
    private Duration startupTimeout;

    /** Upper bound of the first retry delay after a failed registration (jittered, doubling), 1ms to 10m. */
    private Duration retryInitial;

    /** Largest retry delay, from {@code retry-initial} to 1h. */
    private Duration retryMax;

    /** Creates a specification that sets nothing. */
    public ConsulRegistrationSpec() {
    }

    /** @return whether this instance registers itself; {@code null} when not set */
    public Boolean getEnabled() {
        return enabled;
    }

    /** @param enabled whether this instance registers itself */
    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the service name registered; {@code null} when not set */
    public String getServiceName() {
        return serviceName;
    }

    /** @param serviceName the service name registered */
    public void setServiceName(String serviceName) {
        this.serviceName = serviceName;
    }

    /** @return the instance id, unique per agent; {@code null} when not set */
    public String getInstanceId() {
        return instanceId;
    }

    /** @param instanceId the instance id, unique per agent */
    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    /** @return the address callers use; {@code null} when not set */
    public String getAddress() {
        return address;
    }

    /** @param address the address callers use */
    public void setAddress(String address) {
        this.address = address;
    }

    /** @return the port callers use, 1 to 65535; {@code null} when not set */
    public Integer getPort() {
        return port;
    }

    /** @param port the port callers use, 1 to 65535 */
    public void setPort(Integer port) {
        this.port = port;
    }

    /** @return the region written to the instance's metadata; {@code null} when not set */
    public String getRegion() {
        return region;
    }

    /** @param region the region written to the instance's metadata */
    public void setRegion(String region) {
        this.region = region;
    }

    /** @return the zone written to the instance's metadata; {@code null} when not set */
    public String getZone() {
        return zone;
    }

    /** @param zone the zone written to the instance's metadata */
    public void setZone(String zone) {
        this.zone = zone;
    }

    /** @return the instance's {@code Service.Tags}; {@code null} when not set */
    public List<String> getTags() {
        return tags;
    }

    /** @param tags the instance's {@code Service.Tags} */
    public void setTags(List<String> tags) {
        this.tags = tags;
    }

    /** @return more {@code Service.Meta} entries (region and zone are added); {@code null} when not set */
    public Map<String, String> getMeta() {
        return meta;
    }

    /** @param meta more {@code Service.Meta} entries (region and zone are added) */
    public void setMeta(Map<String, String> meta) {
        this.meta = meta;
    }

    /** @return the {@code Service.Meta} key of the region; {@code null} when not set */
    public String getRegionMetadataKey() {
        return regionMetadataKey;
    }

    /** @param regionMetadataKey the {@code Service.Meta} key of the region */
    public void setRegionMetadataKey(String regionMetadataKey) {
        this.regionMetadataKey = regionMetadataKey;
    }

    /** @return the TTL of the check the library heartbeats, 1s to 1h; {@code null} when not set */
    public Duration getTtl() {
        return ttl;
    }

    /** @param ttl the TTL of the check the library heartbeats, 1s to 1h */
    public void setTtl(Duration ttl) {
        this.ttl = ttl;
    }

    /** @return the time between TTL heartbeats, from 100ms to below the TTL; {@code null} when not set */
    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    /** @param heartbeatInterval the time between TTL heartbeats, from 100ms to below the TTL */
    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    /** @return the URL the agent polls instead of the TTL check; {@code null} when not set */
    public String getHttpCheck() {
        return httpCheck;
    }

    /** @param httpCheck the URL the agent polls instead of the TTL check */
    public void setHttpCheck(String httpCheck) {
        this.httpCheck = httpCheck;
    }

    /** @return how often the agent polls the HTTP check, 1s to 1h; {@code null} when not set */
    public Duration getCheckInterval() {
        return checkInterval;
    }

    /** @param checkInterval how often the agent polls the HTTP check, 1s to 1h */
    public void setCheckInterval(Duration checkInterval) {
        this.checkInterval = checkInterval;
    }

    /** @return how long the agent waits for the HTTP check, from 100ms to the check interval; {@code null} when not set */
    public Duration getCheckTimeout() {
        return checkTimeout;
    }

    /** @param checkTimeout how long the agent waits for the HTTP check, from 100ms to the check interval */
    public void setCheckTimeout(Duration checkTimeout) {
        this.checkTimeout = checkTimeout;
    }

    /** @return how long the check stays critical before the agent removes the instance, 1m to 7d; {@code null} when not set */
    public Duration getDeregisterCriticalAfter() {
        return deregisterCriticalAfter;
    }

    /** @param deregisterCriticalAfter how long the check stays critical before the agent removes the instance, 1m to 7d */
    public void setDeregisterCriticalAfter(Duration deregisterCriticalAfter) {
        this.deregisterCriticalAfter = deregisterCriticalAfter;
    }

    /** @return {@code Weights.Passing}, 1 to 65535; {@code null} when not set */
    public Integer getWeightPassing() {
        return weightPassing;
    }

    /** @param weightPassing {@code Weights.Passing}, 1 to 65535 */
    public void setWeightPassing(Integer weightPassing) {
        this.weightPassing = weightPassing;
    }

    /** @return {@code Weights.Warning}, 0 to 65535; {@code null} when not set */
    public Integer getWeightWarning() {
        return weightWarning;
    }

    /** @param weightWarning {@code Weights.Warning}, 0 (no traffic while warning) to 65535 */
    public void setWeightWarning(Integer weightWarning) {
        this.weightWarning = weightWarning;
    }

    /** @return the longest start-up waits for the first registration, 0s to 10m; {@code null} when not set */
    public Duration getStartupTimeout() {
        return startupTimeout;
    }

    /** @param startupTimeout the longest start-up waits for the first registration, 0s to 10m */
    public void setStartupTimeout(Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
    }

    /** @return the upper bound of the first retry delay after a failed registration, 1ms to 10m; {@code null} when not set */
    public Duration getRetryInitial() {
        return retryInitial;
    }

    /** @param retryInitial the upper bound of the first retry delay after a failed registration, 1ms to 10m */
    public void setRetryInitial(Duration retryInitial) {
        this.retryInitial = retryInitial;
    }

    /** @return the largest retry delay, from the initial one to 1h; {@code null} when not set */
    public Duration getRetryMax() {
        return retryMax;
    }

    /** @param retryMax the largest retry delay, from the initial one to 1h */
    public void setRetryMax(Duration retryMax) {
        this.retryMax = retryMax;
    }

    /** @return every setting that has a default of its own, at that default */
    public static ConsulRegistrationSpec builtIn() {
        ConsulRegistrationSpec s = new ConsulRegistrationSpec();
        s.enabled = true;
        s.regionMetadataKey = ConsulRegistrationConfig.DEFAULT_REGION_METADATA_KEY;
        s.ttl = ConsulRegistrationConfig.DEFAULT_TTL;
        s.checkInterval = ConsulRegistrationConfig.DEFAULT_CHECK_INTERVAL;
        s.checkTimeout = ConsulRegistrationConfig.DEFAULT_CHECK_TIMEOUT;
        s.deregisterCriticalAfter = ConsulRegistrationConfig.DEFAULT_DEREGISTER_CRITICAL_AFTER;
        s.weightPassing = ConsulRegistrationConfig.DEFAULT_WEIGHT;
        s.weightWarning = ConsulRegistrationConfig.DEFAULT_WEIGHT;
        s.startupTimeout = ConsulRegistrationConfig.DEFAULT_STARTUP_TIMEOUT;
        s.retryInitial = ConsulRegistrationConfig.DEFAULT_RETRY_INITIAL;
        s.retryMax = ConsulRegistrationConfig.DEFAULT_RETRY_MAX;
        return s;
    }

    /**
     * The one mapping of the registration's settings onto {@link ConsulRegistrationConfig}; settings
     * left out keep the builder's defaults. {@link ConsulSpec#toRegistrationConfig()} calls it with the
     * registry's zone key and names failures from there.
     *
     * @param zoneMetadataKey the {@code Service.Meta} key of the zone, or {@code null} for the default
     * @return the registration's configuration
     * @throws InvalidConfigurationException naming the setting by its path here ({@code ttl}), or
     *     {@code zoneMetadataKey} for the zone's key
     */
    public ConsulRegistrationConfig toConfig(String zoneMetadataKey) {
        ConsulRegistrationConfig.Builder b = ConsulRegistrationConfig.builder(serviceName);
        Specs.apply(instanceId, b::instanceId);
        Specs.apply(address, b::address);
        Specs.apply(port, b::port);
        Specs.apply(region, b::region);
        Specs.apply(zone, b::zone);
        Specs.apply(tags, b::tags);
        Specs.apply(meta, b::meta);
        Specs.apply(regionMetadataKey, b::regionMetadataKey);
        Specs.apply(zoneMetadataKey, b::zoneMetadataKey);
        Specs.apply(ttl, b::ttl);
        Specs.apply(heartbeatInterval, b::heartbeatInterval);
        Specs.apply(httpCheck, b::httpCheck);
        Specs.apply(checkInterval, b::checkInterval);
        Specs.apply(checkTimeout, b::checkTimeout);
        Specs.apply(deregisterCriticalAfter, b::deregisterCriticalAfter);
        Specs.apply(weightPassing, b::weightPassing);
        Specs.apply(weightWarning, b::weightWarning);
        Specs.apply(startupTimeout, b::startupTimeout);
        Specs.apply(retryInitial, b::retryInitial);
        Specs.apply(retryMax, b::retryMax);
        return b.build();
    }
}
