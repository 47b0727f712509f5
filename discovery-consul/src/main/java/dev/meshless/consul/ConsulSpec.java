package dev.meshless.consul;

import dev.meshless.config.ByteSize;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Paths;
import dev.meshless.config.Spec;
import dev.meshless.config.Specs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The Consul registry as configuration gives it: the local agent, agents of separate clusters,
 * datacenter → region, the blocking-query loop, bounds, the snapshot file and self-registration.
 * Every setting is nullable (not set) and nested specifications are never {@code null}; a binder, a
 * YAML or JSON reader or a test fills it (the Spring Boot starter binds {@code meshless.consul} to
 * it). {@link #toConfig} and {@link #toRegistrationConfig()} map it onto {@link ConsulConfig} and
 * {@link ConsulRegistrationConfig}, checking every value once; a bad one fails with an
 * {@link InvalidConfigurationException} whose path is the setting's here: {@code wait},
 * {@code regions[dc1]}, {@code clusters[eu].requestTimeout}, {@code registration.ttl}.
 */
public class ConsulSpec implements Spec {

    /**
     * Whether Consul feeds the Meshless registry (and registers this instance) when
     * {@code meshless-discovery-consul} is on the class path.
     */
    private Boolean enabled;

    /** The local agent: WAN-federated datacenters are read through it with {@code ?dc=}. */
    private ConsulAgentSpec agent = new ConsulAgentSpec();

    /**
     * Agents of separate (not federated) clusters, by a name of your choice; each takes the keys of
     * {@code agent} and needs an {@code address}. A datacenter listed by several agents is read through
     * the first: the local agent, then the clusters in configuration order.
     */
    private Map<String, ConsulAgentSpec> clusters;

    /** Region of each datacenter's endpoints, by datacenter; a datacenter not listed is its own region. */
    private Map<String, String> regions;

    /**
     * {@code Service.Meta} (or {@code Node.Meta}) key holding an endpoint's zone; also the key this
     * instance's zone is registered under.
     */
    private String zoneMetadataKey;

    /** How long a blocking query waits for a change, 1s to 10m. */
    private Duration wait;

    /** Whether reads may be answered by any server ({@code ?stale}), so they work without a leader. */
    private Boolean stale;

    /**
     * Whether only instances whose checks all pass are read ({@code ?passing}); the balancer then no
     * longer sees how healthy a zone is.
     */
    private Boolean passingOnly;

    /** A Consul filter expression sent with every health query, e.g. {@code Service.Meta.env == "prod"}. */
    private String filter;

    /**
     * With {@code stale}: a server's answer that has not heard from the leader for longer than this is read
     * again from the leader ({@code max_stale}), 0s (none sent) to 24h.
     */
    private Duration maxStale;

    /**
     * Which addresses endpoints of other datacenters get: {@code lan}, {@code wan} (the WAN tagged
     * addresses, with Consul's precedence) or {@code auto} (as the agent gives them: translated when it
     * has translate_wan_addrs).
     */
    private ConsulConfig.AddressMode addressMode;

    /** The namespace watches read ({@code ns}, Consul Enterprise; {@code *} for all). Defaults to the token's. */
    private String namespace;

    /** The admin partition watches read (Consul Enterprise). Defaults to the agent's. */
    private String partition;

    /** Requests a watch may make back to back before it is rate limited, 1 to 100. */
    private Integer rateLimitBurst;

    /** Time per request once a watch is rate limited (under churn), 1ms to 10m. */
    private Duration rateLimitInterval;

    /** Largest delay after a first failed read (jittered, doubling), 1ms to 10m. */
    private Duration errorBackoffInitial;

    /** Largest delay between failed reads, from error-backoff-initial to 1h. */
    private Duration errorBackoffMax;

    /** Delay before the second read that confirms an empty answer, 0s to 10m. */
    private Duration emptyConfirmationDelay;

    /** How often an agent's datacenter list is read again (when its datacenters are not listed), 1s to 24h. */
    private Duration datacenterRefreshInterval;

    /** Most instances one answer may list, 1 to 1000000; a larger answer is rejected whole. */
    private Integer maxEndpoints;

    /** Largest answer accepted (once gzip is undone), 1KB to 1GB; a larger answer is rejected whole. */
    private ByteSize maxResponseBytes;

    /** Most services watched at once, 1 to 10000 (each holds a connection per datacenter). */
    private Integer maxServices;

    /**
     * File the last good view is written to and read from at start-up, so that routing survives a
     * restart while Consul is down. No snapshot when left out.
     */
    private Path snapshotFile;

    /** Largest snapshot file written or read, 1KB to 1GB. */
    private ByteSize snapshotMaxBytes;

    /** Longest a change waits before it is written to the snapshot, 0s to 1h. */
    private Duration snapshotWriteDelay;

    /** Registration of this instance with the local agent. */
    private ConsulRegistrationSpec registration = new ConsulRegistrationSpec();

    /** Creates a specification that sets nothing. */
    public ConsulSpec() {
    }

    /** @return whether Consul feeds the registry (and registers this instance); {@code null} when not set */
    public Boolean getEnabled() {
        return enabled;
    }

    /** @param enabled whether Consul feeds the registry (and registers this instance) */
    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the local agent */
    public ConsulAgentSpec getAgent() {
        return agent;
    }

    /** @param agent the local agent */
    public void setAgent(ConsulAgentSpec agent) {
        this.agent = agent;
    }

    /** @return the agents of separate clusters, by name; {@code null} when not set */
    public Map<String, ConsulAgentSpec> getClusters() {
        return clusters;
    }

    /** @param clusters the agents of separate clusters, by name */
    public void setClusters(Map<String, ConsulAgentSpec> clusters) {
        this.clusters = clusters;
    }

    /** @return the region of each datacenter's endpoints, by datacenter; {@code null} when not set */
    public Map<String, String> getRegions() {
        return regions;
    }

    /** @param regions the region of each datacenter's endpoints, by datacenter */
    public void setRegions(Map<String, String> regions) {
        this.regions = regions;
    }

    /** @return the {@code Service.Meta} (or {@code Node.Meta}) key holding an endpoint's zone; {@code null} when not set */
    public String getZoneMetadataKey() {
        return zoneMetadataKey;
    }

    /** @param zoneMetadataKey the {@code Service.Meta} (or {@code Node.Meta}) key holding an endpoint's zone */
    public void setZoneMetadataKey(String zoneMetadataKey) {
        this.zoneMetadataKey = zoneMetadataKey;
    }

    /** @return how long a blocking query waits for a change, 1s to 10m; {@code null} when not set */
    public Duration getWait() {
        return wait;
    }

    /** @param wait how long a blocking query waits for a change, 1s to 10m */
    public void setWait(Duration wait) {
        this.wait = wait;
    }

    /** @return whether reads may be answered by any server ({@code ?stale}); {@code null} when not set */
    public Boolean getStale() {
        return stale;
    }

    /** @param stale whether reads may be answered by any server ({@code ?stale}) */
    public void setStale(Boolean stale) {
        this.stale = stale;
    }

    /** @return whether only instances whose checks all pass are read ({@code ?passing}); {@code null} when not set */
    public Boolean getPassingOnly() {
        return passingOnly;
    }

    /** @param passingOnly whether only instances whose checks all pass are read ({@code ?passing}) */
    public void setPassingOnly(Boolean passingOnly) {
        this.passingOnly = passingOnly;
    }

    /** @return a Consul filter expression sent with every health query; {@code null} when not set */
    public String getFilter() {
        return filter;
    }

    /** @param filter a Consul filter expression sent with every health query */
    public void setFilter(String filter) {
        this.filter = filter;
    }

    /** @return the {@code max_stale} sent with {@code stale} reads; {@code null} when not set */
    public Duration getMaxStale() {
        return maxStale;
    }

    /** @param maxStale the {@code max_stale} sent with {@code stale} reads, 0s (none sent) to 24h */
    public void setMaxStale(Duration maxStale) {
        this.maxStale = maxStale;
    }

    /** @return which addresses endpoints of other datacenters get; {@code null} when not set */
    public ConsulConfig.AddressMode getAddressMode() {
        return addressMode;
    }

    /** @param addressMode which addresses endpoints of other datacenters get: lan, wan or auto */
    public void setAddressMode(ConsulConfig.AddressMode addressMode) {
        this.addressMode = addressMode;
    }

    /** @return the namespace watches read; {@code null} when not set */
    public String getNamespace() {
        return namespace;
    }

    /** @param namespace the namespace watches read (Consul Enterprise) */
    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    /** @return the admin partition watches read; {@code null} when not set */
    public String getPartition() {
        return partition;
    }

    /** @param partition the admin partition watches read (Consul Enterprise) */
    public void setPartition(String partition) {
        this.partition = partition;
    }

    /** @return requests a watch may make back to back before it is rate limited, 1 to 100; {@code null} when not set */
    public Integer getRateLimitBurst() {
        return rateLimitBurst;
    }

    /** @param rateLimitBurst requests a watch may make back to back before it is rate limited, 1 to 100 */
    public void setRateLimitBurst(Integer rateLimitBurst) {
        this.rateLimitBurst = rateLimitBurst;
    }

    /** @return time per request once a watch is rate limited, 1ms to 10m; {@code null} when not set */
    public Duration getRateLimitInterval() {
        return rateLimitInterval;
    }

    /** @param rateLimitInterval time per request once a watch is rate limited, 1ms to 10m */
    public void setRateLimitInterval(Duration rateLimitInterval) {
        this.rateLimitInterval = rateLimitInterval;
    }

    /** @return the largest delay after a first failed read, 1ms to 10m; {@code null} when not set */
    public Duration getErrorBackoffInitial() {
        return errorBackoffInitial;
    }

    /** @param errorBackoffInitial the largest delay after a first failed read, 1ms to 10m */
    public void setErrorBackoffInitial(Duration errorBackoffInitial) {
        this.errorBackoffInitial = errorBackoffInitial;
    }

    /** @return the largest delay between failed reads, from the initial one to 1h; {@code null} when not set */
    public Duration getErrorBackoffMax() {
        return errorBackoffMax;
    }

    /** @param errorBackoffMax the largest delay between failed reads, from the initial one to 1h */
    public void setErrorBackoffMax(Duration errorBackoffMax) {
        this.errorBackoffMax = errorBackoffMax;
    }

    /** @return the delay before the read that confirms an empty answer, 0s to 10m; {@code null} when not set */
    public Duration getEmptyConfirmationDelay() {
        return emptyConfirmationDelay;
    }

    /** @param emptyConfirmationDelay the delay before the read that confirms an empty answer, 0s to 10m */
    public void setEmptyConfirmationDelay(Duration emptyConfirmationDelay) {
        this.emptyConfirmationDelay = emptyConfirmationDelay;
    }

    /** @return how often an agent's datacenter list is read again, 1s to 24h; {@code null} when not set */
    public Duration getDatacenterRefreshInterval() {
        return datacenterRefreshInterval;
    }

    /** @param datacenterRefreshInterval how often an agent's datacenter list is read again, 1s to 24h */
    public void setDatacenterRefreshInterval(Duration datacenterRefreshInterval) {
        this.datacenterRefreshInterval = datacenterRefreshInterval;
    }

    /** @return the most instances one answer may list, 1 to 1000000; {@code null} when not set */
    public Integer getMaxEndpoints() {
        return maxEndpoints;
    }

    /** @param maxEndpoints the most instances one answer may list, 1 to 1000000 */
    public void setMaxEndpoints(Integer maxEndpoints) {
        this.maxEndpoints = maxEndpoints;
    }

    /** @return the largest answer accepted, 1KB to 1GB; {@code null} when not set */
    public ByteSize getMaxResponseBytes() {
        return maxResponseBytes;
    }

    /** @param maxResponseBytes the largest answer accepted, 1KB to 1GB */
    public void setMaxResponseBytes(ByteSize maxResponseBytes) {
        this.maxResponseBytes = maxResponseBytes;
    }

    /** @return the most services watched at once, 1 to 10000; {@code null} when not set */
    public Integer getMaxServices() {
        return maxServices;
    }

    /** @param maxServices the most services watched at once, 1 to 10000 */
    public void setMaxServices(Integer maxServices) {
        this.maxServices = maxServices;
    }

    /** @return the file the last good view is written to and read from at start-up; {@code null} when not set */
    public Path getSnapshotFile() {
        return snapshotFile;
    }

    /** @param snapshotFile the file the last good view is written to and read from at start-up */
    public void setSnapshotFile(Path snapshotFile) {
        this.snapshotFile = snapshotFile;
    }

    /** @return the largest snapshot file written or read, 1KB to 1GB; {@code null} when not set */
    public ByteSize getSnapshotMaxBytes() {
        return snapshotMaxBytes;
    }

    /** @param snapshotMaxBytes the largest snapshot file written or read, 1KB to 1GB */
    public void setSnapshotMaxBytes(ByteSize snapshotMaxBytes) {
        this.snapshotMaxBytes = snapshotMaxBytes;
    }

    /** @return the longest a change waits before it is written to the snapshot, 0s to 1h; {@code null} when not set */
    public Duration getSnapshotWriteDelay() {
        return snapshotWriteDelay;
    }

    /** @param snapshotWriteDelay the longest a change waits before it is written to the snapshot, 0s to 1h */
    public void setSnapshotWriteDelay(Duration snapshotWriteDelay) {
        this.snapshotWriteDelay = snapshotWriteDelay;
    }

    /** @return registration of this instance with the local agent */
    public ConsulRegistrationSpec getRegistration() {
        return registration;
    }

    /** @param registration registration of this instance with the local agent */
    public void setRegistration(ConsulRegistrationSpec registration) {
        this.registration = registration;
    }

    /** @return every setting that has a default of its own, at that default */
    public static ConsulSpec builtIn() {
        ConsulSpec s = new ConsulSpec();
        s.enabled = true;
        s.agent = ConsulAgentSpec.builtIn();
        s.zoneMetadataKey = ConsulConfig.DEFAULT_ZONE_METADATA_KEY;
        s.wait = ConsulConfig.DEFAULT_WAIT;
        s.stale = true;
        s.passingOnly = false;
        s.maxStale = ConsulConfig.DEFAULT_MAX_STALE;
        s.addressMode = ConsulConfig.DEFAULT_ADDRESS_MODE;
        s.rateLimitBurst = ConsulConfig.DEFAULT_RATE_LIMIT_BURST;
        s.rateLimitInterval = ConsulConfig.DEFAULT_RATE_LIMIT_INTERVAL;
        s.errorBackoffInitial = ConsulConfig.DEFAULT_ERROR_BACKOFF_INITIAL;
        s.errorBackoffMax = ConsulConfig.DEFAULT_ERROR_BACKOFF_MAX;
        s.emptyConfirmationDelay = ConsulConfig.DEFAULT_EMPTY_CONFIRMATION_DELAY;
        s.datacenterRefreshInterval = ConsulConfig.DEFAULT_DATACENTER_REFRESH_INTERVAL;
        s.maxEndpoints = ConsulConfig.DEFAULT_MAX_ENDPOINTS;
        s.maxResponseBytes = ByteSize.ofBytes(ConsulConfig.DEFAULT_MAX_RESPONSE_BYTES);
        s.maxServices = ConsulConfig.DEFAULT_MAX_SERVICES;
        s.snapshotMaxBytes = ByteSize.ofBytes(ConsulConfig.DEFAULT_SNAPSHOT_MAX_BYTES);
        s.snapshotWriteDelay = ConsulConfig.DEFAULT_SNAPSHOT_WRITE_DELAY;
        s.registration = ConsulRegistrationSpec.builtIn();
        return s;
    }

    /**
     * The one mapping of the registry's settings onto {@link ConsulConfig}; settings left out keep the
     * builders' defaults.
     *
     * @param environment looks up a {@code CONSUL_*} variable, {@code null} when it has none
     *     ({@code System::getenv}); read for the agents that read the environment (see
     *     {@link ConsulAgentSpec#toConfig})
     * @return the registry's configuration
     * @throws InvalidConfigurationException naming the setting by its path here, such as
     *     {@code clusters[eu].requestTimeout}
     */
    public ConsulConfig toConfig(UnaryOperator<String> environment) {
        return toConfig(environment, null);
    }

    /**
     * As {@link #toConfig(UnaryOperator)}, resolving the agents' {@code sslBundle} in the host's bundles.
     *
     * @param environment looks up a {@code CONSUL_*} variable, {@code null} when it has none
     * @param bundles the host's SSL bundles, or {@code null} when it has none
     * @return the registry's configuration
     * @throws InvalidConfigurationException naming the setting by its path here
     */
    public ConsulConfig toConfig(UnaryOperator<String> environment, SslBundles bundles) {
        ConsulConfig.Builder b = ConsulConfig.builder();
        b.agent(Specs.under("agent", () -> agent.toConfig(true, environment, bundles)));
        if (clusters != null) {
            clusters.forEach((name, cluster) -> b.cluster(name, Specs.under(Paths.key("clusters", name),
                    () -> cluster.toConfig(false, environment, bundles))));
        }
        if (regions != null) {
            regions.forEach(b::region);
        }
        Specs.apply(zoneMetadataKey, b::zoneMetadataKey);
        Specs.apply(wait, b::wait);
        Specs.apply(stale, b::stale);
        Specs.apply(passingOnly, b::passingOnly);
        Specs.apply(filter, b::filter);
        Specs.apply(maxStale, b::maxStale);
        Specs.apply(addressMode, b::addressMode);
        Specs.apply(namespace, b::namespace);
        Specs.apply(partition, b::partition);
        Specs.apply(rateLimitBurst, b::rateLimitBurst);
        Specs.apply(rateLimitInterval, b::rateLimitInterval);
        Specs.apply(errorBackoffInitial, b::errorBackoffInitial);
        Specs.apply(errorBackoffMax, b::errorBackoffMax);
        Specs.apply(emptyConfirmationDelay, b::emptyConfirmationDelay);
        Specs.apply(datacenterRefreshInterval, b::datacenterRefreshInterval);
        Specs.apply(maxEndpoints, b::maxEndpoints);
        Specs.apply(maxResponseBytes, v -> b.maxResponseBytes(v.toBytes()));
        Specs.apply(maxServices, b::maxServices);
        Specs.apply(snapshotFile, b::snapshotFile);
        Specs.apply(snapshotMaxBytes, v -> b.snapshotMaxBytes(v.toBytes()));
        Specs.apply(snapshotWriteDelay, b::snapshotWriteDelay);
        return b.build();
    }

    /**
     * The registration's configuration: {@code registration} with this registry's
     * {@code zoneMetadataKey}, which is both where the registry reads zones and where this instance's
     * zone is written. Layer what the application knows (name, address, port, locality) under this
     * specification with {@link Specs#merge} first.
     *
     * @return the registration's configuration
     * @throws InvalidConfigurationException naming the setting by its path here, such as
     *     {@code registration.ttl} or {@code zoneMetadataKey}
     */
    public ConsulRegistrationConfig toRegistrationConfig() {
        try {
            return registration.toConfig(zoneMetadataKey);
        } catch (InvalidConfigurationException e) {
            throw e.path().equals("zoneMetadataKey") ? e : e.under("registration");
        }
    }
}
