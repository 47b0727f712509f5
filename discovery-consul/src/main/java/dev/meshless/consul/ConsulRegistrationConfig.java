package dev.meshless.consul;

import dev.meshless.config.Check;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Paths;
import dev.meshless.config.Values;
import dev.meshless.consul.internal.Checks;
import dev.meshless.consul.internal.Checks.Bound;
import dev.meshless.topology.Endpoint;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the running instance registers itself with its local agent: name, id, address, its region and
 * zone (written to {@code Service.Meta}, where Spring Cloud LoadBalancer's zone preference reads the
 * zone too), the health check, and the timings of heartbeats and retries. Immutable; build with
 * {@link #builder(String)}, or from configuration with {@link ConsulSpec#toRegistrationConfig()}. A bad
 * value fails {@link Builder#build()} with an {@link InvalidConfigurationException} whose path is the
 * setting's in {@link ConsulRegistrationSpec} ({@code ttl}); the zone's metadata key is
 * {@code zoneMetadataKey}, which {@link ConsulSpec} holds for the registry and the registration.
 *
 * <p>The check is a TTL check heartbeated by {@link ConsulRegistration} unless {@link Builder#httpCheck}
 * names a URL for the agent to poll.
 */
public final class ConsulRegistrationConfig {

    /** A TTL check expires 30 seconds after the last heartbeat. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
    /** The agent polls an HTTP check every 10 seconds. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(10);
    /** An HTTP check fails after 5 seconds without an answer. */
    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(5);
    /** The agent removes an instance whose check stayed critical for 10 minutes. */
    public static final Duration DEFAULT_DEREGISTER_CRITICAL_AFTER = Duration.ofMinutes(10);
    /** Start-up waits at most 10 seconds for the first registration, then retries in the background. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(10);
    /** Failed registrations are retried after up to 1 second, doubling… */
    public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofSeconds(1);
    /** …up to 30 seconds. */
    public static final Duration DEFAULT_RETRY_MAX = Duration.ofSeconds(30);
    /** Passing and warning instances weigh 1, as in Consul. */
    public static final int DEFAULT_WEIGHT = 1;
    /** Consul's limit on the pairs of {@code Service.Meta} (metaMaxKeyPairs, agent/structs/structs.go). */
    public static final int MAX_META_PAIRS = 64;
    /** Consul's limit on a {@code Service.Meta} key's length (metaKeyMaxLength). */
    public static final int MAX_META_KEY_LENGTH = 128;
    /** Consul's limit on a {@code Service.Meta} value's length (metaValueMaxLength). */
    public static final int MAX_META_VALUE_LENGTH = 512;

    /** metaKeyFormat (agent/structs/structs.go). */
    private static final java.util.regex.Pattern META_KEY = java.util.regex.Pattern.compile("[a-zA-Z0-9_-]+");
    /** Metadata key of the region. */
    public static final String DEFAULT_REGION_METADATA_KEY = "region";

    private final String serviceName;
    private final String instanceId;
    private final String address;
    private final int port;
    private final String region;
    private final String zone;
    private final List<String> tags;
    private final Map<String, String> meta;
    private final String regionMetadataKey;
    private final String zoneMetadataKey;
    private final Duration ttl;
    private final Duration heartbeatInterval;
    private final String httpCheck;
    private final Duration checkInterval;
    private final Duration checkTimeout;
    private final Duration deregisterCriticalAfter;
    private final int weightPassing;
    private final int weightWarning;
    private final Duration startupTimeout;
    private final Duration retryInitial;
    private final Duration retryMax;

    private ConsulRegistrationConfig(Builder b) {
        this.serviceName = Checks.name("serviceName", b.serviceName);
        this.port = Check.between("port", (int) Check.required("port", b.port), 1, 65535);
        this.address = Checks.name("address", b.address);
        this.instanceId = Checks.name("instanceId", b.instanceId != null ? b.instanceId
                : serviceName + "-" + address.replace(':', '_') + "-" + port);
        this.region = Checks.name("region", b.region);
        this.zone = Checks.name("zone", b.zone);
        this.tags = List.copyOf(b.tags);
        this.regionMetadataKey = metaKey("regionMetadataKey", Checks.name("regionMetadataKey", b.regionMetadataKey));
        this.zoneMetadataKey = metaKey("zoneMetadataKey", Checks.name("zoneMetadataKey", b.zoneMetadataKey));
        metaValue("region", region);
        metaValue("zone", zone);
        Map<String, String> m = new LinkedHashMap<>();
        b.meta.forEach((key, value) -> {
            String path = Paths.key("meta", key);
            metaKey(path, key);
            m.put(key, metaValue(path, Check.required(path, value)));
        });
        m.put(regionMetadataKey, region);
        m.put(zoneMetadataKey, zone);
        if (m.size() > MAX_META_PAIRS) {
            throw new InvalidConfigurationException("meta", b.meta.size() + " pairs", "must hold at most "
                    + (MAX_META_PAIRS - 2) + " pairs: Consul takes " + MAX_META_PAIRS + ", and the region and zone"
                    + " take two");
        }
        this.meta = Map.copyOf(m);
        this.ttl = Check.between("ttl", b.ttl, Duration.ofSeconds(1), Duration.ofHours(1));
        this.heartbeatInterval = b.heartbeatInterval != null ? b.heartbeatInterval : ttl.dividedBy(3);
        if (heartbeatInterval.compareTo(Duration.ofMillis(100)) < 0 || heartbeatInterval.compareTo(ttl) >= 0) {
            throw new InvalidConfigurationException("heartbeatInterval", heartbeatInterval, "must be at least 100ms"
                    + " and shorter than the TTL (" + Values.format(ttl) + ")");
        }
        this.httpCheck = b.httpCheck == null || b.httpCheck.isBlank() ? null : b.httpCheck.strip();
        if (httpCheck != null && !(httpCheck.startsWith("http://") || httpCheck.startsWith("https://"))) {
            throw new InvalidConfigurationException("httpCheck", httpCheck, "must be an http or https URL");
        }
        this.checkInterval = Check.between("checkInterval", b.checkInterval, Duration.ofSeconds(1),
                Duration.ofHours(1));
        this.checkTimeout = Check.atLeast("checkTimeout", b.checkTimeout != null ? b.checkTimeout
                : DEFAULT_CHECK_TIMEOUT, Duration.ofMillis(100));
        Checks.ordered(new Bound("checkTimeout", "the check timeout", checkTimeout),
                new Bound("checkInterval", "the check interval", checkInterval), b.checkTimeout == null);
        this.deregisterCriticalAfter = Check.between("deregisterCriticalAfter", b.deregisterCriticalAfter,
                Duration.ofMinutes(1), Duration.ofDays(7));
        this.weightPassing = Check.between("weightPassing", b.weightPassing, 1, 65535);
        // structs.ValidateWeights: a warning weight of 0 is legal and means "no traffic while warning".
        this.weightWarning = Check.between("weightWarning", b.weightWarning, 0, 65535);
        this.startupTimeout = Check.between("startupTimeout", b.startupTimeout, Duration.ZERO, Duration.ofMinutes(10));
        this.retryInitial = Check.between("retryInitial", b.retryInitial, Duration.ofMillis(1), Duration.ofMinutes(10));
        this.retryMax = Check.between("retryMax", b.retryMax != null ? b.retryMax : DEFAULT_RETRY_MAX,
                Duration.ofMillis(1), Duration.ofHours(1));
        Checks.ordered(new Bound("retryInitial", "the initial retry delay", retryInitial),
                new Bound("retryMax", "the largest retry delay", retryMax), b.retryMax != null);
    }

    /**
     * validateMetaPair (agent/structs/structs.go), as the agent's register endpoint applies it: a key of
     * {@code [A-Za-z0-9_-]}, at most 128 characters, not starting with {@code consul-} (reserved).
     */
    private static String metaKey(String path, String key) {
        if (key == null || !META_KEY.matcher(key).matches()) {
            throw new InvalidConfigurationException(path, key, "must be a Consul metadata key: letters, digits, '_'"
                    + " and '-' only");
        }
        if (key.length() > MAX_META_KEY_LENGTH) {
            throw new InvalidConfigurationException(path, key, "must be at most " + MAX_META_KEY_LENGTH
                    + " characters long");
        }
        if (key.startsWith("consul-")) {
            throw new InvalidConfigurationException(path, key, "must not start with 'consul-', which Consul reserves"
                    + " for itself");
        }
        return key;
    }

    private static String metaValue(String path, String value) {
        if (value.length() > MAX_META_VALUE_LENGTH) {
            throw new InvalidConfigurationException(path, value.length() + " characters",
                    "must be at most " + MAX_META_VALUE_LENGTH + " characters long");
        }
        return value;
    }

    /**
     * @param serviceName the logical service name ({@code Service.Service})
     * @return a builder with the documented defaults
     */
    public static Builder builder(String serviceName) {
        return new Builder(serviceName);
    }

    /** @return the service name */
    public String serviceName() {
        return serviceName;
    }

    /** @return the instance id, unique per agent; default {@code <name>-<address>-<port>} */
    public String instanceId() {
        return instanceId;
    }

    /** @return the address callers use */
    public String address() {
        return address;
    }

    /** @return the port callers use */
    public int port() {
        return port;
    }

    /** @return the region this instance runs in */
    public String region() {
        return region;
    }

    /** @return the zone this instance runs in */
    public String zone() {
        return zone;
    }

    /** @return tags */
    public List<String> tags() {
        return tags;
    }

    /** @return {@code Service.Meta}: the configured entries plus region and zone */
    public Map<String, String> meta() {
        return meta;
    }

    /** @return the TTL of the check heartbeated by the library */
    public Duration ttl() {
        return ttl;
    }

    /** @return time between heartbeats; default a third of the TTL */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** @return the URL the agent polls instead of a TTL check, or null */
    public String httpCheck() {
        return httpCheck;
    }

    /** @return how often the agent polls {@link #httpCheck()} */
    public Duration checkInterval() {
        return checkInterval;
    }

    /** @return how long the agent waits for {@link #httpCheck()} */
    public Duration checkTimeout() {
        return checkTimeout;
    }

    /** @return {@code DeregisterCriticalServiceAfter} */
    public Duration deregisterCriticalAfter() {
        return deregisterCriticalAfter;
    }

    /** @return {@code Weights.Passing} */
    public int weightPassing() {
        return weightPassing;
    }

    /** @return {@code Weights.Warning} */
    public int weightWarning() {
        return weightWarning;
    }

    /** @return the longest {@link ConsulRegistration#start()} blocks */
    public Duration startupTimeout() {
        return startupTimeout;
    }

    /** @return the upper bound of the first retry delay */
    public Duration retryInitial() {
        return retryInitial;
    }

    /** @return the largest retry delay */
    public Duration retryMax() {
        return retryMax;
    }

    @Override
    public String toString() {
        return "ConsulRegistrationConfig{serviceName=" + serviceName + ", instanceId=" + instanceId + ", address="
                + Endpoint.hostPort(address, port) + ", locality=" + region + "/" + zone + ", check="
                + (httpCheck != null ? "http " + httpCheck : "ttl " + ttl) + "}";
    }

    /** Mutable builder; not thread-safe. Validation happens in {@link #build()}. */
    public static final class Builder {
        private final String serviceName;
        private String instanceId;
        private String address;
        private Integer port;
        private String region;
        private String zone;
        private List<String> tags = List.of();
        private Map<String, String> meta = Map.of();
        private String regionMetadataKey = DEFAULT_REGION_METADATA_KEY;
        private String zoneMetadataKey = ConsulConfig.DEFAULT_ZONE_METADATA_KEY;
        private Duration ttl = DEFAULT_TTL;
        private Duration heartbeatInterval;
        private String httpCheck;
        private Duration checkInterval = DEFAULT_CHECK_INTERVAL;
        private Duration checkTimeout;
        private Duration deregisterCriticalAfter = DEFAULT_DEREGISTER_CRITICAL_AFTER;
        private int weightPassing = DEFAULT_WEIGHT;
        private int weightWarning = DEFAULT_WEIGHT;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private Duration retryInitial = DEFAULT_RETRY_INITIAL;
        private Duration retryMax;

        private Builder(String serviceName) {
            this.serviceName = serviceName;
        }

        /**
         * @param instanceId unique per agent; default {@code <name>-<address>-<port>}
         * @return this builder
         */
        public Builder instanceId(String instanceId) {
            this.instanceId = instanceId;
            return this;
        }

        /**
         * @param address host or IP callers use (required)
         * @return this builder
         */
        public Builder address(String address) {
            this.address = address;
            return this;
        }

        /**
         * @param port port callers use, 1 to 65535 (required)
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * @param region region of this instance (required)
         * @return this builder
         */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /**
         * @param zone zone of this instance (required)
         * @return this builder
         */
        public Builder zone(String zone) {
            this.zone = zone;
            return this;
        }

        /**
         * @param tags {@code Service.Tags}
         * @return this builder
         */
        public Builder tags(List<String> tags) {
            this.tags = tags;
            return this;
        }

        /**
         * @param meta more {@code Service.Meta} entries, checked by Consul's rules: at most 62 (64 with the
         *     region and zone), keys of {@code [A-Za-z0-9_-]} up to 128 characters not starting with
         *     {@code consul-}, values up to 512 characters
         * @return this builder
         */
        public Builder meta(Map<String, String> meta) {
            this.meta = meta;
            return this;
        }

        /**
         * @param key metadata key of the region; default {@value #DEFAULT_REGION_METADATA_KEY}
         * @return this builder
         */
        public Builder regionMetadataKey(String key) {
            this.regionMetadataKey = key;
            return this;
        }

        /**
         * @param key metadata key of the zone; default {@code zone}, as in ConsulConfig
         * @return this builder
         */
        public Builder zoneMetadataKey(String key) {
            this.zoneMetadataKey = key;
            return this;
        }

        /**
         * @param ttl TTL of the heartbeated check, 1s to 1h; default 30s
         * @return this builder
         */
        public Builder ttl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        /**
         * @param interval time between heartbeats, 100ms to below the TTL; default TTL / 3
         * @return this builder
         */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = interval;
            return this;
        }

        /**
         * @param url URL for the agent to poll instead of a TTL check; default none
         * @return this builder
         */
        public Builder httpCheck(String url) {
            this.httpCheck = url;
            return this;
        }

        /**
         * @param interval HTTP check interval, 1s to 1h; default 10s
         * @return this builder
         */
        public Builder checkInterval(Duration interval) {
            this.checkInterval = interval;
            return this;
        }

        /**
         * @param timeout HTTP check timeout, 100ms to the interval; default 5s
         * @return this builder
         */
        public Builder checkTimeout(Duration timeout) {
            this.checkTimeout = timeout;
            return this;
        }

        /**
         * @param after {@code DeregisterCriticalServiceAfter}, 1m to 7d; default 10m
         * @return this builder
         */
        public Builder deregisterCriticalAfter(Duration after) {
            this.deregisterCriticalAfter = after;
            return this;
        }

        /**
         * @param weight {@code Weights.Passing}, 1 to 65535; default 1
         * @return this builder
         */
        public Builder weightPassing(int weight) {
            this.weightPassing = weight;
            return this;
        }

        /**
         * @param weight {@code Weights.Warning}, 0 ("no traffic while warning") to 65535; default 1
         * @return this builder
         */
        public Builder weightWarning(int weight) {
            this.weightWarning = weight;
            return this;
        }

        /**
         * @param timeout longest start() blocks, 0 to 10m; default 10s
         * @return this builder
         */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * @param delay upper bound of the first retry delay, 1ms to 10m; default 1s
         * @return this builder
         */
        public Builder retryInitial(Duration delay) {
            this.retryInitial = delay;
            return this;
        }

        /**
         * @param delay largest retry delay, retryInitial to 1h; default 30s
         * @return this builder
         */
        public Builder retryMax(Duration delay) {
            this.retryMax = delay;
            return this;
        }

        /**
         * @return the configuration
         * @throws InvalidConfigurationException naming the setting by its path, with the value and the rule
         */
        public ConsulRegistrationConfig build() {
            return new ConsulRegistrationConfig(this);
        }
    }
}
