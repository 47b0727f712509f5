package dev.meshless.topology;

import dev.meshless.config.Check;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One instance of a service that can receive calls: where it listens, where it runs, how much
 * traffic it should take relative to its peers and what its registry says about its health.
 *
 * <p>Immutable; build one with {@link #builder(String, String)}. Two endpoints are equal when all
 * their fields are equal; the balancer identifies an endpoint across registry updates by its
 * {@link #id()}, which must be unique within a service.
 */
public final class Endpoint {

    /** Largest accepted weight; keeps weight sums of large pools far from overflow. */
    public static final int MAX_WEIGHT = 1_000_000;

    private final String id;
    private final String service;
    private final String host;
    private final int port;
    private final Locality locality;
    private final int weight;
    private final Map<String, String> metadata;
    private final HealthStatus health;

    private Endpoint(Builder b) {
        this.id = Locality.requireName("id", b.id);
        this.service = Locality.requireName("service", b.service);
        this.host = Locality.requireName("host", b.host);
        this.port = Check.between("port", b.port, 1, 65535);
        this.locality = Check.required("locality", b.locality);
        this.weight = Check.between("weight", b.weight, 1, MAX_WEIGHT);
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        this.health = Objects.requireNonNull(b.health, "health");
    }

    /**
     * Starts an endpoint with the given identity. Host, port and locality must be set before
     * {@link Builder#build()}; weight defaults to 1 and health to {@link HealthStatus#PASSING}.
     *
     * @param service the service this endpoint belongs to
     * @param id an id that is stable across registry updates and unique within the service
     * @return a new builder
     */
    public static Builder builder(String service, String id) {
        return new Builder(service, id);
    }

    /** @return a builder initialised with this endpoint's fields, to derive a changed copy */
    public Builder toBuilder() {
        Builder b = new Builder(service, id);
        b.host = host;
        b.port = port;
        b.locality = locality;
        b.weight = weight;
        b.metadata.putAll(metadata);
        b.health = health;
        return b;
    }

    /** @return the stable id, unique within the service */
    public String id() {
        return id;
    }

    /** @return the name of the service */
    public String service() {
        return service;
    }

    /** @return host name or IP address */
    public String host() {
        return host;
    }

    /** @return TCP port, 1 to 65535 */
    public int port() {
        return port;
    }

    /** @return where the endpoint runs */
    public Locality locality() {
        return locality;
    }

    /** @return relative weight, at least 1 */
    public int weight() {
        return weight;
    }

    /** @return free-form metadata from the registry, unmodifiable */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** @return health according to the registry */
    public HealthStatus health() {
        return health;
    }

    /** @return {@code host:port}, an IPv6 host in brackets ({@link #hostPort}) */
    public String address() {
        return hostPort(host, port);
    }

    /**
     * The one place that writes a host and port together: {@code host:port}, with an IPv6 literal in
     * brackets ({@code [2001:db8::1]:8080}), as URLs (RFC 3986) and {@code host:port} strings need it.
     *
     * @param host a host name or an IPv4 or IPv6 address (an IPv6 one with or without brackets)
     * @param port a port
     * @return {@code host:port}
     */
    public static String hostPort(String host, int port) {
        boolean ipv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
        return (ipv6 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Endpoint)) {
            return false;
        }
        Endpoint that = (Endpoint) o;
        return port == that.port && weight == that.weight && id.equals(that.id) && service.equals(that.service)
                && host.equals(that.host) && locality.equals(that.locality) && metadata.equals(that.metadata)
                && health == that.health;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, service, host, port, locality, weight, metadata, health);
    }

    @Override
    public String toString() {
        return service + "/" + id + "@" + address() + " [" + locality + ", w=" + weight + ", "
                + health.label() + "]";
    }

    /** Mutable builder for {@link Endpoint}; not thread-safe. Validation happens in {@link #build()}. */
    public static final class Builder {
        private final String service;
        private final String id;
        private String host;
        private int port;
        private Locality locality;
        private int weight = 1;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private HealthStatus health = HealthStatus.PASSING;

        private Builder(String service, String id) {
            this.service = service;
            this.id = id;
        }

        /**
         * @param host host name or IP address
         * @param port TCP port, 1 to 65535
         * @return this builder
         */
        public Builder address(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        /**
         * @param locality where the endpoint runs
         * @return this builder
         */
        public Builder locality(Locality locality) {
            this.locality = locality;
            return this;
        }

        /**
         * @param region region name
         * @param zone zone name
         * @return this builder
         */
        public Builder locality(String region, String zone) {
            return locality(Locality.of(region, zone));
        }

        /**
         * @param weight relative weight, 1 to {@link #MAX_WEIGHT}; default 1
         * @return this builder
         */
        public Builder weight(int weight) {
            this.weight = weight;
            return this;
        }

        /**
         * @param key metadata key
         * @param value metadata value
         * @return this builder
         */
        public Builder metadata(String key, String value) {
            this.metadata.put(Objects.requireNonNull(key, "metadata key"),
                    Objects.requireNonNull(value, "metadata value"));
            return this;
        }

        /**
         * @param metadata entries to add
         * @return this builder
         */
        public Builder metadata(Map<String, String> metadata) {
            metadata.forEach(this::metadata);
            return this;
        }

        /**
         * @param health health according to the registry; default {@link HealthStatus#PASSING}
         * @return this builder
         */
        public Builder health(HealthStatus health) {
            this.health = health;
            return this;
        }

        /**
         * @return the endpoint
         * @throws dev.meshless.config.InvalidConfigurationException naming the field ({@code port},
         *     {@code weight}, {@code host}, ...) and the value when one is invalid
         */
        public Endpoint build() {
            return new Endpoint(this);
        }
    }
}
