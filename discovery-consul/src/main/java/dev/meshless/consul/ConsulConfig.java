package dev.meshless.consul;

import dev.meshless.config.ByteSize;
import dev.meshless.config.Check;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Paths;
import dev.meshless.config.Values;
import dev.meshless.consul.internal.Checks;
import dev.meshless.consul.internal.Checks.Bound;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of a {@link ConsulRegistry}: which agents and datacenters to watch, how datacenters
 * map to regions, how to read zones, the blocking-query loop, bounds, and the snapshot file.
 * Immutable; build with {@link #builder()}, or from configuration with {@link ConsulSpec#toConfig}.
 * Every value is checked by {@link Builder#build()}; a bad one fails with an
 * {@link InvalidConfigurationException} whose path is the setting's in {@link ConsulSpec}:
 * {@code rateLimitInterval}, {@code regions[dc1]}. See docs/consul.md.
 */
public final class ConsulConfig {

    /** Zones are read from {@code Service.Meta.zone} first, Spring Cloud Consul's convention. */
    public static final String DEFAULT_ZONE_METADATA_KEY = "zone";
    /** 5 minutes, Consul's own default for a blocking query. */
    public static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
    /** Consul's documented limit for {@code wait}. */
    public static final Duration MAX_WAIT = Duration.ofMinutes(10);
    /** 2 requests back to back before the loop is rate limited (Consul's recommendation). */
    public static final int DEFAULT_RATE_LIMIT_BURST = 2;
    /** Then one request per 15 seconds under churn (Consul's recommendation). */
    public static final Duration DEFAULT_RATE_LIMIT_INTERVAL = Duration.ofSeconds(15);
    /** First retry after a failed request within 1 second (jittered). */
    public static final Duration DEFAULT_ERROR_BACKOFF_INITIAL = Duration.ofSeconds(1);
    /** Retries at least every minute (jittered) however long Consul stays down. */
    public static final Duration DEFAULT_ERROR_BACKOFF_MAX = Duration.ofMinutes(1);
    /** The confirming second read of an empty answer is made 1 second after the first. */
    public static final Duration DEFAULT_EMPTY_CONFIRMATION_DELAY = Duration.ofSeconds(1);
    /** {@code /v1/catalog/datacenters} is read again every minute. */
    public static final Duration DEFAULT_DATACENTER_REFRESH_INTERVAL = Duration.ofMinutes(1);
    /** An answer may list up to 5 000 instances. */
    public static final int DEFAULT_MAX_ENDPOINTS = 5_000;
    /**
     * An answer may be up to 64 MiB: room for {@link #DEFAULT_MAX_ENDPOINTS} entries as agents write them —
     * each with its {@code Node}, a {@code Service} with {@code Proxy}, {@code Connect} and tagged
     * addresses, and two checks whose {@code Output} may reach Consul's default
     * {@code check_output_max_size} of 4 KiB — about 9.5 KB each, 46 MiB in all (gzip makes far less
     * travel; the bound applies to the inflated answer).
     */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L << 20;
    /** Up to 64 services may be watched (each one holds a connection per datacenter). */
    public static final int DEFAULT_MAX_SERVICES = 64;
    /** The snapshot file may be up to 64 MiB. */
    public static final long DEFAULT_SNAPSHOT_MAX_BYTES = 64L << 20;
    /** Changes are written to the snapshot at most every 5 seconds. */
    public static final Duration DEFAULT_SNAPSHOT_WRITE_DELAY = Duration.ofSeconds(5);
    /** Addresses as the agent gives them: translated to WAN addresses only if the agent translates. */
    public static final AddressMode DEFAULT_ADDRESS_MODE = AddressMode.AUTO;
    /**
     * A {@code ?stale} answer from a server that has not heard from the leader for more than 1 minute is
     * read again from the leader ({@code max_stale}); leader elections, which take seconds, stay invisible.
     */
    public static final Duration DEFAULT_MAX_STALE = Duration.ofMinutes(1);

    /** Which addresses the endpoints of other datacenters get. */
    public enum AddressMode {
        /**
         * LAN addresses everywhere: when the agent translates other datacenters' addresses
         * (translate_wan_addrs, {@code X-Consul-Translate-Addresses: true}), the LAN tagged addresses
         * ({@code lan_ipv6}, {@code lan_ipv4}, {@code lan}) are used instead.
         */
        LAN,
        /**
         * WAN addresses for every datacenter but the agent's own ({@code GET /v1/agent/self}), with
         * Consul's precedence: {@code wan_ipv6} > {@code wan_ipv4} > {@code wan} > the address, the port of
         * {@code TaggedAddresses.wan}; a {@code wan_ipv4} that merely repeats the LAN address (agents add
         * one to every service they register) gives way to an explicit {@code wan}.
         */
        WAN,
        /** Follow the agent: its translated addresses when it translates, the LAN addresses otherwise. */
        AUTO
    }
    private static final ByteSize MIN_BYTES = ByteSize.valueOf("1KB");
    private static final ByteSize MAX_BYTES = ByteSize.valueOf("1GB");

    private final ConsulAgentConfig agent;
    private final Map<String, ConsulAgentConfig> clusters;
    private final Map<String, String> regions;
    private final String zoneMetadataKey;
    private final Duration wait;
    private final boolean stale;
    private final boolean passingOnly;
    private final String filter;
    private final int rateLimitBurst;
    private final Duration rateLimitInterval;
    private final Duration errorBackoffInitial;
    private final Duration errorBackoffMax;
    private final Duration emptyConfirmationDelay;
    private final Duration datacenterRefreshInterval;
    private final int maxEndpoints;
    private final long maxResponseBytes;
    private final int maxServices;
    private final Path snapshotFile;
    private final long snapshotMaxBytes;
    private final Duration snapshotWriteDelay;
    private final AddressMode addressMode;
    private final Duration maxStale;
    private final String namespace;
    private final String partition;

    private ConsulConfig(Builder b) {
        this.agent = b.agent != null ? b.agent : ConsulAgentConfig.defaults();
        Map<String, ConsulAgentConfig> c = new LinkedHashMap<>();
        b.clusters.forEach((name, config) -> c.put(Checks.name("clusters", name),
                Objects.requireNonNull(config, "clusters." + name)));
        this.clusters = Collections.unmodifiableMap(c);
        Map<String, String> r = new LinkedHashMap<>();
        b.regions.forEach((dc, region) -> r.put(Checks.name("regions", dc),
                Checks.name(Paths.key("regions", dc), region)));
        this.regions = Collections.unmodifiableMap(r);
        this.zoneMetadataKey = Checks.name("zoneMetadataKey", b.zoneMetadataKey);
        this.wait = Check.between("wait", b.wait, Duration.ofSeconds(1), MAX_WAIT);
        this.stale = b.stale;
        this.passingOnly = b.passingOnly;
        this.filter = b.filter == null || b.filter.isBlank() ? null : b.filter.strip();
        this.rateLimitBurst = Check.between("rateLimitBurst", b.rateLimitBurst, 1, 100);
        this.rateLimitInterval = Check.between("rateLimitInterval", b.rateLimitInterval, Duration.ofMillis(1),
                Duration.ofMinutes(10));
        this.errorBackoffInitial = Check.between("errorBackoffInitial", b.errorBackoffInitial, Duration.ofMillis(1),
                Duration.ofMinutes(10));
        this.errorBackoffMax = Check.between("errorBackoffMax", b.errorBackoffMax != null ? b.errorBackoffMax
                : DEFAULT_ERROR_BACKOFF_MAX, Duration.ofMillis(1), Duration.ofHours(1));
        Checks.ordered(new Bound("errorBackoffInitial", "the initial error backoff", errorBackoffInitial),
                new Bound("errorBackoffMax", "the largest error backoff", errorBackoffMax), b.errorBackoffMax != null);
        this.emptyConfirmationDelay = Check.between("emptyConfirmationDelay", b.emptyConfirmationDelay,
                Duration.ZERO, Duration.ofMinutes(10));
        this.datacenterRefreshInterval = Check.between("datacenterRefreshInterval", b.datacenterRefreshInterval,
                Duration.ofSeconds(1), Duration.ofHours(24));
        this.maxEndpoints = Check.between("maxEndpoints", b.maxEndpoints, 1, 1_000_000);
        this.maxResponseBytes = bytes("maxResponseBytes", b.maxResponseBytes);
        this.maxServices = Check.between("maxServices", b.maxServices, 1, 10_000);
        this.snapshotFile = b.snapshotFile;
        this.snapshotMaxBytes = bytes("snapshotMaxBytes", b.snapshotMaxBytes);
        this.snapshotWriteDelay = Check.between("snapshotWriteDelay", b.snapshotWriteDelay, Duration.ZERO,
                Duration.ofHours(1));
        this.addressMode = Check.required("addressMode", b.addressMode);
        this.maxStale = Check.between("maxStale", b.maxStale, Duration.ZERO, Duration.ofHours(24));
        this.namespace = b.namespace == null ? null : Checks.name("namespace", b.namespace);
        this.partition = b.partition == null ? null : Checks.name("partition", b.partition);
    }

    private static long bytes(String path, long bytes) {
        return Check.between(path, ByteSize.ofBytes(bytes), MIN_BYTES, MAX_BYTES).toBytes();
    }

    /** @return a builder with the documented defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the local agent; the first source of datacenters */
    public ConsulAgentConfig agent() {
        return agent;
    }

    /** @return agents of separate (not WAN-federated) clusters, by name, in configuration order */
    public Map<String, ConsulAgentConfig> clusters() {
        return clusters;
    }

    /**
     * @param datacenter a datacenter name
     * @return the region its endpoints are labelled with: the configured one, else the datacenter's name
     */
    public String regionOf(String datacenter) {
        return regions.getOrDefault(datacenter, datacenter);
    }

    /**
     * @param datacenter a datacenter name
     * @return whether its region is configured (it then wins over the instances' {@code Locality})
     */
    public boolean regionConfigured(String datacenter) {
        return regions.containsKey(datacenter);
    }

    /** @return the configured datacenter → region map (datacenters not listed are their own region) */
    public Map<String, String> regions() {
        return regions;
    }

    /** @return the {@code Service.Meta} / {@code Node.Meta} key that holds an endpoint's zone */
    public String zoneMetadataKey() {
        return zoneMetadataKey;
    }

    /** @return the blocking query's {@code wait} */
    public Duration waitTime() {
        return wait;
    }

    /** @return whether watches read with {@code ?stale} (any server answers, also without a leader) */
    public boolean stale() {
        return stale;
    }

    /** @return whether watches ask for {@code ?passing} (only instances whose checks all pass) */
    public boolean passingOnly() {
        return passingOnly;
    }

    /** @return the {@code filter} expression sent with every health query, or null */
    public String filter() {
        return filter;
    }

    /** @return requests a watch may make back to back before it is rate limited */
    public int rateLimitBurst() {
        return rateLimitBurst;
    }

    /** @return the time a rate-limited watch waits between requests */
    public Duration rateLimitInterval() {
        return rateLimitInterval;
    }

    /** @return the largest first delay after a failed request */
    public Duration errorBackoffInitial() {
        return errorBackoffInitial;
    }

    /** @return the largest delay between failed requests */
    public Duration errorBackoffMax() {
        return errorBackoffMax;
    }

    /** @return the delay before the read that confirms an empty answer */
    public Duration emptyConfirmationDelay() {
        return emptyConfirmationDelay;
    }

    /** @return how often the datacenter list of an agent is read again */
    public Duration datacenterRefreshInterval() {
        return datacenterRefreshInterval;
    }

    /** @return the most instances one answer may list */
    public int maxEndpoints() {
        return maxEndpoints;
    }

    /** @return the largest accepted answer, in bytes */
    public long maxResponseBytes() {
        return maxResponseBytes;
    }

    /** @return the most services that may be watched at once */
    public int maxServices() {
        return maxServices;
    }

    /** @return where the last good view is persisted, or null for no snapshot */
    public Path snapshotFile() {
        return snapshotFile;
    }

    /** @return the largest snapshot file written or read, in bytes */
    public long snapshotMaxBytes() {
        return snapshotMaxBytes;
    }

    /** @return the longest a change waits before it is written to the snapshot */
    public Duration snapshotWriteDelay() {
        return snapshotWriteDelay;
    }

    /** @return which addresses other datacenters' endpoints get */
    public AddressMode addressMode() {
        return addressMode;
    }

    /** @return {@code max_stale} sent with {@code stale} reads; zero sends none */
    public Duration maxStale() {
        return maxStale;
    }

    /** @return the namespace ({@code ns}, Consul Enterprise) watches read, or null for the token's default */
    public String namespace() {
        return namespace;
    }

    /** @return the admin partition (Consul Enterprise) watches read, or null for the agent's */
    public String partition() {
        return partition;
    }

    @Override
    public String toString() {
        return "ConsulConfig{agent=" + agent + ", clusters=" + clusters + ", regions=" + regions
                + ", zoneMetadataKey=" + zoneMetadataKey + ", wait=" + Values.format(wait) + ", stale=" + stale
                + ", maxStale=" + Values.format(maxStale) + ", addressMode=" + addressMode.name().toLowerCase(
                java.util.Locale.ROOT) + (namespace == null ? "" : ", namespace=" + namespace)
                + (partition == null ? "" : ", partition=" + partition)
                + ", passingOnly=" + passingOnly + ", filter=" + filter + ", rateLimit=" + rateLimitBurst + "/"
                + Values.format(rateLimitInterval) + ", maxEndpoints=" + maxEndpoints + ", maxServices="
                + maxServices + ", snapshotFile=" + snapshotFile + "}";
    }

    /** Mutable builder; not thread-safe. Validation happens in {@link #build()}. */
    public static final class Builder {
        private ConsulAgentConfig agent;
        private final Map<String, ConsulAgentConfig> clusters = new LinkedHashMap<>();
        private final Map<String, String> regions = new LinkedHashMap<>();
        private String zoneMetadataKey = DEFAULT_ZONE_METADATA_KEY;
        private Duration wait = DEFAULT_WAIT;
        private boolean stale = true;
        private boolean passingOnly;
        private String filter;
        private int rateLimitBurst = DEFAULT_RATE_LIMIT_BURST;
        private Duration rateLimitInterval = DEFAULT_RATE_LIMIT_INTERVAL;
        private Duration errorBackoffInitial = DEFAULT_ERROR_BACKOFF_INITIAL;
        private Duration errorBackoffMax;
        private Duration emptyConfirmationDelay = DEFAULT_EMPTY_CONFIRMATION_DELAY;
        private Duration datacenterRefreshInterval = DEFAULT_DATACENTER_REFRESH_INTERVAL;
        private int maxEndpoints = DEFAULT_MAX_ENDPOINTS;
        private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private int maxServices = DEFAULT_MAX_SERVICES;
        private Path snapshotFile;
        private long snapshotMaxBytes = DEFAULT_SNAPSHOT_MAX_BYTES;
        private Duration snapshotWriteDelay = DEFAULT_SNAPSHOT_WRITE_DELAY;
        private AddressMode addressMode = DEFAULT_ADDRESS_MODE;
        private Duration maxStale = DEFAULT_MAX_STALE;
        private String namespace;
        private String partition;

        private Builder() {
        }

        /**
         * @param addressMode which addresses other datacenters' endpoints get; default {@link AddressMode#AUTO}
         * @return this builder
         */
        public Builder addressMode(AddressMode addressMode) {
            this.addressMode = addressMode;
            return this;
        }

        /**
         * @param maxStale {@code max_stale} sent with {@code stale} reads, 0 (none sent) to 24h; default 1m
         * @return this builder
         */
        public Builder maxStale(Duration maxStale) {
            this.maxStale = maxStale;
            return this;
        }

        /**
         * @param namespace the namespace to read ({@code ns}, Consul Enterprise; {@code *} for all); default
         *     the token's
         * @return this builder
         */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /**
         * @param partition the admin partition to read (Consul Enterprise); default the agent's
         * @return this builder
         */
        public Builder partition(String partition) {
            this.partition = partition;
            return this;
        }

        /**
         * @param agent the local agent (WAN-federated datacenters are read through it with {@code ?dc=});
         *     default {@link ConsulAgentConfig#defaults()}
         * @return this builder
         */
        public Builder agent(ConsulAgentConfig agent) {
            this.agent = agent;
            return this;
        }

        /**
         * Adds the agent of a separate cluster (the "service-discovery-only" view of a remote cluster).
         * A datacenter listed by several agents is watched through the first: the local agent, then
         * the clusters in the order added.
         *
         * @param name a name for logs and properties
         * @param agent how to reach it
         * @return this builder
         */
        public Builder cluster(String name, ConsulAgentConfig agent) {
            this.clusters.put(name, agent);
            return this;
        }

        /**
         * @param datacenter a datacenter name
         * @param region the region its endpoints belong to; default: the datacenter's name
         * @return this builder
         */
        public Builder region(String datacenter, String region) {
            this.regions.put(datacenter, region);
            return this;
        }

        /**
         * @param zoneMetadataKey metadata key holding the zone; default {@value #DEFAULT_ZONE_METADATA_KEY}
         * @return this builder
         */
        public Builder zoneMetadataKey(String zoneMetadataKey) {
            this.zoneMetadataKey = zoneMetadataKey;
            return this;
        }

        /**
         * @param wait the blocking query's {@code wait}, 1s to 10m; default 5m
         * @return this builder
         */
        public Builder wait(Duration wait) {
            this.wait = wait;
            return this;
        }

        /**
         * @param stale read with {@code ?stale}; default true, so that reads keep working while the
         *     servers elect a leader
         * @return this builder
         */
        public Builder stale(boolean stale) {
            this.stale = stale;
            return this;
        }

        /**
         * @param passingOnly ask for {@code ?passing}; default false, so that failing instances still
         *     count in their zone's health
         * @return this builder
         */
        public Builder passingOnly(boolean passingOnly) {
            this.passingOnly = passingOnly;
            return this;
        }

        /**
         * @param filter a Consul filter expression for every health query, e.g.
         *     {@code Service.Meta.env == "prod"}; default none
         * @return this builder
         */
        public Builder filter(String filter) {
            this.filter = filter;
            return this;
        }

        /**
         * @param rateLimitBurst requests back to back before the loop is limited, 1 to 100; default 2
         * @return this builder
         */
        public Builder rateLimitBurst(int rateLimitBurst) {
            this.rateLimitBurst = rateLimitBurst;
            return this;
        }

        /**
         * @param rateLimitInterval time per request once limited, 1ms to 10m; default 15s
         * @return this builder
         */
        public Builder rateLimitInterval(Duration rateLimitInterval) {
            this.rateLimitInterval = rateLimitInterval;
            return this;
        }

        /**
         * @param errorBackoffInitial upper bound of the first delay after an error, 1ms to 10m; default 1s
         * @return this builder
         */
        public Builder errorBackoffInitial(Duration errorBackoffInitial) {
            this.errorBackoffInitial = errorBackoffInitial;
            return this;
        }

        /**
         * @param errorBackoffMax largest delay between failing requests, from errorBackoffInitial to 1h;
         *     default 1m
         * @return this builder
         */
        public Builder errorBackoffMax(Duration errorBackoffMax) {
            this.errorBackoffMax = errorBackoffMax;
            return this;
        }

        /**
         * @param emptyConfirmationDelay delay before the second read that confirms an empty answer,
         *     0 to 10m; default 1s
         * @return this builder
         */
        public Builder emptyConfirmationDelay(Duration emptyConfirmationDelay) {
            this.emptyConfirmationDelay = emptyConfirmationDelay;
            return this;
        }

        /**
         * @param datacenterRefreshInterval how often agents' datacenter lists are read, 1s to 24h; default 1m
         * @return this builder
         */
        public Builder datacenterRefreshInterval(Duration datacenterRefreshInterval) {
            this.datacenterRefreshInterval = datacenterRefreshInterval;
            return this;
        }

        /**
         * @param maxEndpoints most instances in one answer, 1 to 1 000 000; default 5 000
         * @return this builder
         */
        public Builder maxEndpoints(int maxEndpoints) {
            this.maxEndpoints = maxEndpoints;
            return this;
        }

        /**
         * @param maxResponseBytes largest answer in bytes, 1 KiB to 1 GiB; default 16 MiB
         * @return this builder
         */
        public Builder maxResponseBytes(long maxResponseBytes) {
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /**
         * @param maxServices most services watched at once, 1 to 10 000; default 64
         * @return this builder
         */
        public Builder maxServices(int maxServices) {
            this.maxServices = maxServices;
            return this;
        }

        /**
         * @param snapshotFile where to persist the last good view; default none
         * @return this builder
         */
        public Builder snapshotFile(Path snapshotFile) {
            this.snapshotFile = snapshotFile;
            return this;
        }

        /**
         * @param snapshotMaxBytes largest snapshot written or read, 1 KiB to 1 GiB; default 64 MiB
         * @return this builder
         */
        public Builder snapshotMaxBytes(long snapshotMaxBytes) {
            this.snapshotMaxBytes = snapshotMaxBytes;
            return this;
        }

        /**
         * @param snapshotWriteDelay longest a change waits before it is written, 0 to 1h; default 5s
         * @return this builder
         */
        public Builder snapshotWriteDelay(Duration snapshotWriteDelay) {
            this.snapshotWriteDelay = snapshotWriteDelay;
            return this;
        }

        /**
         * @return the configuration
         * @throws InvalidConfigurationException naming the setting by its path, with the value and the rule
         */
        public ConsulConfig build() {
            return new ConsulConfig(this);
        }
    }
}
