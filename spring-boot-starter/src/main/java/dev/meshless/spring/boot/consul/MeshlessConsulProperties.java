package dev.meshless.spring.boot.consul;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * The Consul registry under {@code meshless.consul}, mapped 1:1 onto
 * {@link dev.meshless.consul.ConsulConfig}: the local agent ({@code agent.*}), agents of separate
 * clusters ({@code clusters.<name>.*}), datacenter → region, the blocking-query loop, bounds and the
 * snapshot file; self-registration is {@code registration.*}. A value left out ({@code null}) keeps
 * the library's default, given in each description. Values are checked when the application starts;
 * a bad one stops it naming the property, the value and the rule.
 */
@ConfigurationProperties(MeshlessConsulProperties.PREFIX)
public class MeshlessConsulProperties {

    /** The prefix of every property. */
    public static final String PREFIX = "meshless.consul";

    /**
     * Whether Consul feeds the Meshless registry (and registers this instance) when
     * {@code meshless-discovery-consul} is on the class path.
     */
    private boolean enabled = true;

    /** The local agent: WAN-federated datacenters are read through it with {@code ?dc=}. */
    @NestedConfigurationProperty
    private ConsulAgentProperties agent = new ConsulAgentProperties();

    /**
     * Agents of separate (not federated) clusters, by a name of your choice; each takes the keys of
     * {@code agent} and needs an {@code address}. A datacenter listed by several agents is read through
     * the first: the local agent, then the clusters in configuration order.
     */
    private Map<String, ConsulAgentProperties> clusters = new LinkedHashMap<>();

    /** Region of each datacenter's endpoints, by datacenter; a datacenter not listed is its own region. */
    private Map<String, String> regions = new LinkedHashMap<>();

    /**
     * {@code Service.Meta} (or {@code Node.Meta}) key holding an endpoint's zone; also the key this
     * instance's zone is registered under. Default zone.
     */
    private String zoneMetadataKey;

    /** How long a blocking query waits for a change, 1s to 10m. Default 5m. */
    private Duration wait;

    /** Whether reads may be answered by any server ({@code ?stale}), so they work without a leader. Default true. */
    private Boolean stale;

    /**
     * Whether only instances whose checks all pass are read ({@code ?passing}); the balancer then no
     * longer sees how healthy a zone is. Default false.
     */
    private Boolean passingOnly;

    /** A Consul filter expression sent with every health query, e.g. {@code Service.Meta.env == "prod"}. */
    private String filter;

    /** Requests a watch may make back to back before it is rate limited, 1 to 100. Default 2. */
    private Integer rateLimitBurst;

    /** Time per request once a watch is rate limited (under churn), 1ms to 10m. Default 15s. */
    private Duration rateLimitInterval;

    /** Largest delay after a first failed read (jittered, doubling), 1ms to 10m. Default 1s. */
    private Duration errorBackoffInitial;

    /** Largest delay between failed reads, from error-backoff-initial to 1h. Default 1m. */
    private Duration errorBackoffMax;

    /** Delay before the second read that confirms an empty answer, 0s to 10m. Default 1s. */
    private Duration emptyConfirmationDelay;

    /** How often an agent's datacenter list is read again (when its datacenters are not listed), 1s to 24h. Default 1m. */
    private Duration datacenterRefreshInterval;

    /** Most instances one answer may list, 1 to 1000000; a larger answer is rejected whole. Default 5000. */
    private Integer maxEndpoints;

    /** Largest answer accepted, 1KB to 1GB; a larger answer is rejected whole. Default 16MB. */
    private DataSize maxResponseBytes;

    /** Most services watched at once, 1 to 10000 (each holds a connection per datacenter). Default 64. */
    private Integer maxServices;

    /**
     * File the last good view is written to and read from at start-up, so that routing survives a
     * restart while Consul is down. No snapshot when left out.
     */
    private Path snapshotFile;

    /** Largest snapshot file written or read, 1KB to 1GB. Default 64MB. */
    private DataSize snapshotMaxBytes;

    /** Longest a change waits before it is written to the snapshot, 0s to 1h. Default 5s. */
    private Duration snapshotWriteDelay;

    /** Registration of this instance with the local agent. */
    @NestedConfigurationProperty
    private ConsulRegistrationProperties registration = new ConsulRegistrationProperties();

    /** @return whether Consul is used */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether Consul is used */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the local agent */
    public ConsulAgentProperties getAgent() {
        return agent;
    }

    /** @param agent the local agent */
    public void setAgent(ConsulAgentProperties agent) {
        this.agent = agent;
    }

    /** @return agents of separate clusters, by name */
    public Map<String, ConsulAgentProperties> getClusters() {
        return clusters;
    }

    /** @param clusters agents of separate clusters, by name */
    public void setClusters(Map<String, ConsulAgentProperties> clusters) {
        this.clusters = clusters;
    }

    /** @return regions by datacenter */
    public Map<String, String> getRegions() {
        return regions;
    }

    /** @param regions regions by datacenter */
    public void setRegions(Map<String, String> regions) {
        this.regions = regions;
    }

    /** @return the zone metadata key, or {@code null} */
    public String getZoneMetadataKey() {
        return zoneMetadataKey;
    }

    /** @param zoneMetadataKey the zone metadata key */
    public void setZoneMetadataKey(String zoneMetadataKey) {
        this.zoneMetadataKey = zoneMetadataKey;
    }

    /** @return the blocking query's wait, or {@code null} */
    public Duration getWait() {
        return wait;
    }

    /** @param wait the blocking query's wait */
    public void setWait(Duration wait) {
        this.wait = wait;
    }

    /** @return whether reads are stale, or {@code null} */
    public Boolean getStale() {
        return stale;
    }

    /** @param stale whether reads are stale */
    public void setStale(Boolean stale) {
        this.stale = stale;
    }

    /** @return whether only passing instances are read, or {@code null} */
    public Boolean getPassingOnly() {
        return passingOnly;
    }

    /** @param passingOnly whether only passing instances are read */
    public void setPassingOnly(Boolean passingOnly) {
        this.passingOnly = passingOnly;
    }

    /** @return the filter expression, or {@code null} */
    public String getFilter() {
        return filter;
    }

    /** @param filter the filter expression */
    public void setFilter(String filter) {
        this.filter = filter;
    }

    /** @return the rate-limit burst, or {@code null} */
    public Integer getRateLimitBurst() {
        return rateLimitBurst;
    }

    /** @param rateLimitBurst the rate-limit burst */
    public void setRateLimitBurst(Integer rateLimitBurst) {
        this.rateLimitBurst = rateLimitBurst;
    }

    /** @return the rate-limit interval, or {@code null} */
    public Duration getRateLimitInterval() {
        return rateLimitInterval;
    }

    /** @param rateLimitInterval the rate-limit interval */
    public void setRateLimitInterval(Duration rateLimitInterval) {
        this.rateLimitInterval = rateLimitInterval;
    }

    /** @return the first error backoff, or {@code null} */
    public Duration getErrorBackoffInitial() {
        return errorBackoffInitial;
    }

    /** @param errorBackoffInitial the first error backoff */
    public void setErrorBackoffInitial(Duration errorBackoffInitial) {
        this.errorBackoffInitial = errorBackoffInitial;
    }

    /** @return the largest error backoff, or {@code null} */
    public Duration getErrorBackoffMax() {
        return errorBackoffMax;
    }

    /** @param errorBackoffMax the largest error backoff */
    public void setErrorBackoffMax(Duration errorBackoffMax) {
        this.errorBackoffMax = errorBackoffMax;
    }

    /** @return the empty-answer confirmation delay, or {@code null} */
    public Duration getEmptyConfirmationDelay() {
        return emptyConfirmationDelay;
    }

    /** @param emptyConfirmationDelay the empty-answer confirmation delay */
    public void setEmptyConfirmationDelay(Duration emptyConfirmationDelay) {
        this.emptyConfirmationDelay = emptyConfirmationDelay;
    }

    /** @return the datacenter refresh interval, or {@code null} */
    public Duration getDatacenterRefreshInterval() {
        return datacenterRefreshInterval;
    }

    /** @param datacenterRefreshInterval the datacenter refresh interval */
    public void setDatacenterRefreshInterval(Duration datacenterRefreshInterval) {
        this.datacenterRefreshInterval = datacenterRefreshInterval;
    }

    /** @return the most instances per answer, or {@code null} */
    public Integer getMaxEndpoints() {
        return maxEndpoints;
    }

    /** @param maxEndpoints the most instances per answer */
    public void setMaxEndpoints(Integer maxEndpoints) {
        this.maxEndpoints = maxEndpoints;
    }

    /** @return the largest answer, or {@code null} */
    public DataSize getMaxResponseBytes() {
        return maxResponseBytes;
    }

    /** @param maxResponseBytes the largest answer */
    public void setMaxResponseBytes(DataSize maxResponseBytes) {
        this.maxResponseBytes = maxResponseBytes;
    }

    /** @return the most services watched, or {@code null} */
    public Integer getMaxServices() {
        return maxServices;
    }

    /** @param maxServices the most services watched */
    public void setMaxServices(Integer maxServices) {
        this.maxServices = maxServices;
    }

    /** @return the snapshot file, or {@code null} */
    public Path getSnapshotFile() {
        return snapshotFile;
    }

    /** @param snapshotFile the snapshot file */
    public void setSnapshotFile(Path snapshotFile) {
        this.snapshotFile = snapshotFile;
    }

    /** @return the largest snapshot, or {@code null} */
    public DataSize getSnapshotMaxBytes() {
        return snapshotMaxBytes;
    }

    /** @param snapshotMaxBytes the largest snapshot */
    public void setSnapshotMaxBytes(DataSize snapshotMaxBytes) {
        this.snapshotMaxBytes = snapshotMaxBytes;
    }

    /** @return the snapshot write delay, or {@code null} */
    public Duration getSnapshotWriteDelay() {
        return snapshotWriteDelay;
    }

    /** @param snapshotWriteDelay the snapshot write delay */
    public void setSnapshotWriteDelay(Duration snapshotWriteDelay) {
        this.snapshotWriteDelay = snapshotWriteDelay;
    }

    /** @return self-registration */
    public ConsulRegistrationProperties getRegistration() {
        return registration;
    }

    /** @param registration self-registration */
    public void setRegistration(ConsulRegistrationProperties registration) {
        this.registration = registration;
    }
}
