package dev.meshless.spring.boot.consul;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registration of this instance with the local Consul agent under
 * {@code meshless.consul.registration}, mapped 1:1 onto
 * {@link dev.meshless.consul.ConsulRegistrationConfig}. Name, address, port, region and zone default
 * to what the application already knows; see each description.
 */
public class ConsulRegistrationProperties {

    /**
     * Whether this instance registers itself. It does once its web server has started (or, without
     * one, when {@code port} is set), unless Spring Cloud Consul's own auto-registration is active.
     */
    private boolean enabled = true;

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
    private List<String> tags = new ArrayList<>();

    /** More {@code Service.Meta} entries (region and zone are added). */
    private Map<String, String> meta = new LinkedHashMap<>();

    /** {@code Service.Meta} key of the region; the zone's is {@code meshless.consul.zone-metadata-key}. Default region. */
    private String regionMetadataKey;

    /** TTL of the check the library heartbeats, 1s to 1h. Default 30s. */
    private Duration ttl;

    /** Time between TTL heartbeats, from 100ms to below {@code ttl}. Defaults to a third of {@code ttl}. */
    private Duration heartbeatInterval;

    /**
     * URL the agent polls instead of the TTL check, e.g. {@code http://10.1.2.3:8081/actuator/health};
     * TTL check when left out.
     */
    private String httpCheck;

    /** How often the agent polls {@code http-check}, 1s to 1h. Default 10s. */
    private Duration checkInterval;

    /** How long the agent waits for {@code http-check}, from 100ms to {@code check-interval}. Default 5s. */
    private Duration checkTimeout;

    /** The agent removes the instance after its check stayed critical this long, 1m to 7d. Default 10m. */
    private Duration deregisterCriticalAfter;

    /** {@code Weights.Passing}, 1 to 65535. Default 1. */
    private Integer weightPassing;

    /** {@code Weights.Warning}, 1 to 65535. Default 1. */
    private Integer weightWarning;

    /**
     * Longest start-up waits for the first registration, 0s to 10m; after that the application starts
     * and registration goes on in the background. Default 10s.
     */
    private Duration startupTimeout;

    /** Upper bound of the first retry delay after a failed registration (jittered, doubling), 1ms to 10m. Default 1s. */
    private Duration retryInitial;

    /** Largest retry delay, from {@code retry-initial} to 1h. Default 30s. */
    private Duration retryMax;

    /** @return whether this instance registers */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether this instance registers */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the service name, or {@code null} */
    public String getServiceName() {
        return serviceName;
    }

    /** @param serviceName the service name */
    public void setServiceName(String serviceName) {
        this.serviceName = serviceName;
    }

    /** @return the instance id, or {@code null} */
    public String getInstanceId() {
        return instanceId;
    }

    /** @param instanceId the instance id */
    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    /** @return the address, or {@code null} */
    public String getAddress() {
        return address;
    }

    /** @param address the address */
    public void setAddress(String address) {
        this.address = address;
    }

    /** @return the port, or {@code null} */
    public Integer getPort() {
        return port;
    }

    /** @param port the port */
    public void setPort(Integer port) {
        this.port = port;
    }

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

    /** @return the tags */
    public List<String> getTags() {
        return tags;
    }

    /** @param tags the tags */
    public void setTags(List<String> tags) {
        this.tags = tags;
    }

    /** @return more metadata */
    public Map<String, String> getMeta() {
        return meta;
    }

    /** @param meta more metadata */
    public void setMeta(Map<String, String> meta) {
        this.meta = meta;
    }

    /** @return the region metadata key, or {@code null} */
    public String getRegionMetadataKey() {
        return regionMetadataKey;
    }

    /** @param regionMetadataKey the region metadata key */
    public void setRegionMetadataKey(String regionMetadataKey) {
        this.regionMetadataKey = regionMetadataKey;
    }

    /** @return the TTL, or {@code null} */
    public Duration getTtl() {
        return ttl;
    }

    /** @param ttl the TTL */
    public void setTtl(Duration ttl) {
        this.ttl = ttl;
    }

    /** @return the heartbeat interval, or {@code null} */
    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    /** @param heartbeatInterval the heartbeat interval */
    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    /** @return the HTTP check URL, or {@code null} */
    public String getHttpCheck() {
        return httpCheck;
    }

    /** @param httpCheck the HTTP check URL */
    public void setHttpCheck(String httpCheck) {
        this.httpCheck = httpCheck;
    }

    /** @return the HTTP check interval, or {@code null} */
    public Duration getCheckInterval() {
        return checkInterval;
    }

    /** @param checkInterval the HTTP check interval */
    public void setCheckInterval(Duration checkInterval) {
        this.checkInterval = checkInterval;
    }

    /** @return the HTTP check timeout, or {@code null} */
    public Duration getCheckTimeout() {
        return checkTimeout;
    }

    /** @param checkTimeout the HTTP check timeout */
    public void setCheckTimeout(Duration checkTimeout) {
        this.checkTimeout = checkTimeout;
    }

    /** @return the critical time before the agent deregisters, or {@code null} */
    public Duration getDeregisterCriticalAfter() {
        return deregisterCriticalAfter;
    }

    /** @param deregisterCriticalAfter the critical time before the agent deregisters */
    public void setDeregisterCriticalAfter(Duration deregisterCriticalAfter) {
        this.deregisterCriticalAfter = deregisterCriticalAfter;
    }

    /** @return the passing weight, or {@code null} */
    public Integer getWeightPassing() {
        return weightPassing;
    }

    /** @param weightPassing the passing weight */
    public void setWeightPassing(Integer weightPassing) {
        this.weightPassing = weightPassing;
    }

    /** @return the warning weight, or {@code null} */
    public Integer getWeightWarning() {
        return weightWarning;
    }

    /** @param weightWarning the warning weight */
    public void setWeightWarning(Integer weightWarning) {
        this.weightWarning = weightWarning;
    }

    /** @return the start-up timeout, or {@code null} */
    public Duration getStartupTimeout() {
        return startupTimeout;
    }

    /** @param startupTimeout the start-up timeout */
    public void setStartupTimeout(Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
    }

    /** @return the first retry delay bound, or {@code null} */
    public Duration getRetryInitial() {
        return retryInitial;
    }

    /** @param retryInitial the first retry delay bound */
    public void setRetryInitial(Duration retryInitial) {
        this.retryInitial = retryInitial;
    }

    /** @return the largest retry delay, or {@code null} */
    public Duration getRetryMax() {
        return retryMax;
    }

    /** @param retryMax the largest retry delay */
    public void setRetryMax(Duration retryMax) {
        this.retryMax = retryMax;
    }
}
