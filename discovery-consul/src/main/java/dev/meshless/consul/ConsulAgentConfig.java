package dev.meshless.consul;

import dev.meshless.config.Check;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.consul.internal.Checks;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * How to reach one Consul agent: its HTTP(S) address, the ACL token, TLS material and which of the
 * datacenters it knows to watch. Immutable; build with {@link #builder()}.
 *
 * <p>Unset values fall back to the environment variables the Consul CLI reads
 * ({@code CONSUL_HTTP_ADDR}, {@code CONSUL_HTTP_SSL}, {@code CONSUL_HTTP_TOKEN},
 * {@code CONSUL_HTTP_TOKEN_FILE}, {@code CONSUL_CACERT}, {@code CONSUL_CLIENT_CERT},
 * {@code CONSUL_CLIENT_KEY}); values set on the builder win. The token is only ever sent in the
 * {@code X-Consul-Token} header and never appears in {@link #toString()}.
 *
 * <p>From configuration, {@link ConsulAgentSpec#toConfig} builds it. A bad value fails
 * {@link Builder#build()} with an {@link InvalidConfigurationException} whose path is the setting's
 * in {@link ConsulAgentSpec} ({@code requestTimeout}, {@code caCert}), also when the value came from
 * a variable.
 */
public final class ConsulAgentConfig {

    /** {@value}: where a local agent listens by default. */
    public static final String DEFAULT_ADDRESS = "http://127.0.0.1:8500";
    /** 5 seconds to open a connection. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** 10 seconds for a request that does not block (and added to a blocking query's wait). */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /**
     * At most 100 blocking queries — one connection each — to one agent: half of Consul's default
     * {@code limits.http_max_conns_per_client} (200), which counts the connections of every process on
     * the host (one client IP), so that other processes, registration and heartbeats keep room.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 100;
    /** The variables the Consul CLI reads, which fill what the builder leaves unset. */
    public static final List<String> ENVIRONMENT_VARIABLES = List.of("CONSUL_HTTP_ADDR", "CONSUL_HTTP_SSL",
            "CONSUL_HTTP_TOKEN", "CONSUL_HTTP_TOKEN_FILE", "CONSUL_CACERT", "CONSUL_CLIENT_CERT", "CONSUL_CLIENT_KEY");

    private final URI address;
    private final String token;
    private final Path tokenFile;
    private final Path caCert;
    private final Path clientCert;
    private final Path clientKey;
    private final String sslBundle;
    private final Supplier<SSLContext> sslContext;
    private final List<String> datacenters;
    private final List<String> peers;
    private final int maxConnections;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    private ConsulAgentConfig(Builder b, Map<String, String> env) {
        String addr = b.address != null ? b.address : env.getOrDefault("CONSUL_HTTP_ADDR", DEFAULT_ADDRESS);
        boolean ssl = "true".equalsIgnoreCase(env.getOrDefault("CONSUL_HTTP_SSL", "false"));
        this.address = parseAddress(addr, ssl);
        String t = b.token;
        Path tf = b.tokenFile;
        if (t == null && tf == null) {
            t = blankToNull(env.get("CONSUL_HTTP_TOKEN"));
            tf = t == null ? path(env.get("CONSUL_HTTP_TOKEN_FILE")) : null;
        }
        this.token = t;
        this.tokenFile = readable("tokenFile", tf);
        this.sslBundle = b.sslBundle;
        this.sslContext = b.sslContext;
        if (sslBundle != null) {
            // The bundle holds the TLS material: given files would be a second source, so they stop
            // start-up; the Consul CLI's variables give way to it.
            notWithBundle("caCert", b.caCert);
            notWithBundle("clientCert", b.clientCert);
            notWithBundle("clientKey", b.clientKey);
            if (!address.getScheme().equals("https")) {
                throw new InvalidConfigurationException("sslBundle", sslBundle, "needs an https address, but the"
                        + " agent's is " + address);
            }
        }
        boolean files = sslBundle == null;
        this.caCert = readable("caCert", b.caCert != null ? b.caCert : files ? path(env.get("CONSUL_CACERT")) : null);
        this.clientCert = readable("clientCert", b.clientCert != null ? b.clientCert
                : files ? path(env.get("CONSUL_CLIENT_CERT")) : null);
        this.clientKey = readable("clientKey", b.clientKey != null ? b.clientKey
                : files ? path(env.get("CONSUL_CLIENT_KEY")) : null);
        if (clientCert != null && clientKey == null) {
            throw new InvalidConfigurationException("clientKey", null, "must be set together with the client"
                    + " certificate (" + clientCert + ")");
        }
        if (clientKey != null && clientCert == null) {
            throw new InvalidConfigurationException("clientCert", null, "must be set together with the client"
                    + " key (" + clientKey + ")");
        }
        this.datacenters = Checks.names("datacenters", b.datacenters);
        this.peers = Checks.names("peers", b.peers);
        for (String peer : peers) {
            if (datacenters.contains(peer)) {
                throw new InvalidConfigurationException("peers", peers, "must not name a datacenter of this agent ("
                        + peer + ")");
            }
        }
        this.maxConnections = Check.between("maxConnections", b.maxConnections, 1, 10_000);
        int watched = datacenters.size() + peers.size();
        if (watched > maxConnections) {
            throw new InvalidConfigurationException("maxConnections", maxConnections, "must be at least the number"
                    + " of datacenters and peers watched through this agent (" + watched + "): each watched service"
                    + " holds one blocking query per datacenter");
        }
        this.connectTimeout = Check.between("connectTimeout", b.connectTimeout, Duration.ofMillis(1),
                Duration.ofMinutes(5));
        this.requestTimeout = Check.between("requestTimeout", b.requestTimeout, Duration.ofMillis(1),
                Duration.ofMinutes(10));
    }

    private void notWithBundle(String path, Path file) {
        if (file != null) {
            throw new InvalidConfigurationException(path, file, "must not be set with the SSL bundle '" + sslBundle
                    + "', which holds the agent's TLS material");
        }
    }

    /**
     * @param lookup finds a variable's value, {@code null} when it has none (e.g. {@code System::getenv})
     * @return the {@link #ENVIRONMENT_VARIABLES} that have a value, for {@link Builder#environment}
     */
    public static Map<String, String> environment(UnaryOperator<String> lookup) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : ENVIRONMENT_VARIABLES) {
            String value = lookup.apply(name);
            if (value != null) {
                values.put(name, value);
            }
        }
        return values;
    }

    /** @return a builder with the defaults, reading unset values from the process environment */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the local agent at {@link #DEFAULT_ADDRESS} or as the environment says */
    public static ConsulAgentConfig defaults() {
        return builder().build();
    }

    /** @return the agent's base URL, {@code http} or {@code https}, without a path */
    public URI address() {
        return address;
    }

    /** @return whether an ACL token is configured (directly or through a file) */
    public boolean hasToken() {
        return token != null || tokenFile != null;
    }

    /** @return the token given directly, or null; package-private so that only the client reads it */
    String token() {
        return token;
    }

    /** @return the file holding the token, re-read when it changes, or null */
    public Path tokenFile() {
        return tokenFile;
    }

    /** @return the PEM CA bundle trusted for HTTPS instead of the JDK's, or null */
    public Path caCert() {
        return caCert;
    }

    /** @return the PEM client certificate for mutual TLS, or null */
    public Path clientCert() {
        return clientCert;
    }

    /** @return the name of the SSL bundle that holds the agent's TLS material, or null */
    public String sslBundle() {
        return sslBundle;
    }

    /**
     * @return the bundle's current TLS context, asked again before each request so that a rotated
     *     certificate applies to the next one; null without a bundle
     */
    public Supplier<SSLContext> sslContext() {
        return sslContext;
    }

    /** @return the PEM private key of {@link #clientCert()}, or null */
    public Path clientKey() {
        return clientKey;
    }

    /** @return the datacenters to watch through this agent; empty means every one it lists */
    public List<String> datacenters() {
        return datacenters;
    }

    /** @return cluster peers whose imported services are watched through this agent ({@code ?peer=}) */
    public List<String> peers() {
        return peers;
    }

    /**
     * @return the most blocking queries (one connection each) this process keeps open to the agent:
     *     watched services × datacenters and peers must stay within it
     */
    public int maxConnections() {
        return maxConnections;
    }

    /** @return time allowed to open a connection */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return time allowed for a request that does not block; added to a blocking query's wait */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** @return the settings, with the token shown only as present or absent */
    @Override
    public String toString() {
        return "ConsulAgentConfig{address=" + address + ", token=" + (token != null ? "<set>" : "<none>")
                + ", tokenFile=" + tokenFile + ", caCert=" + caCert + ", clientCert=" + clientCert
                + ", clientKey=" + clientKey + ", datacenters=" + datacenters + (peers.isEmpty() ? "" : ", peers="
                + peers) + ", maxConnections=" + maxConnections + ", connectTimeout="
                + connectTimeout + ", requestTimeout=" + requestTimeout + "}";
    }

    private static URI parseAddress(String value, boolean ssl) {
        String text = value.strip();
        if (!text.contains("://")) {
            text = (ssl ? "https://" : "http://") + text;
        }
        URI uri = null;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException notAUri) {
            // reported below, as any other address that is not an http or https URL
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean pathless = uri == null || uri.getRawPath() == null || uri.getRawPath().isEmpty()
                || uri.getRawPath().equals("/");
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !pathless
                || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
            throw new InvalidConfigurationException("address", value, "must be an http or https URL of a host and"
                    + " port");
        }
        return URI.create(scheme + "://" + uri.getRawAuthority());
    }

    private static Path readable(String path, Path file) {
        if (file != null && !Files.isReadable(file)) {
            throw new InvalidConfigurationException(path, file, "must be a readable file");
        }
        return file;
    }

    private static Path path(String value) {
        String v = blankToNull(value);
        return v == null ? null : Path.of(v);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Mutable builder; not thread-safe. Validation happens in {@link #build()}. */
    public static final class Builder {
        private String address;
        private String token;
        private Path tokenFile;
        private Path caCert;
        private Path clientCert;
        private Path clientKey;
        private String sslBundle;
        private Supplier<SSLContext> sslContext;
        private List<String> datacenters = List.of();
        private List<String> peers = List.of();
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Map<String, String> environment;

        private Builder() {
        }

        /**
         * @param address {@code http://host:port}, {@code https://host:port} or {@code host:port};
         *     default {@code CONSUL_HTTP_ADDR}, else {@value #DEFAULT_ADDRESS}
         * @return this builder
         */
        public Builder address(String address) {
            this.address = address;
            return this;
        }

        /**
         * @param token the ACL token; default {@code CONSUL_HTTP_TOKEN}; sent only as {@code X-Consul-Token}
         * @return this builder
         */
        public Builder token(String token) {
            this.token = blankToNull(token);
            return this;
        }

        /**
         * @param tokenFile a file whose content is the ACL token, re-read when it changes; default
         *     {@code CONSUL_HTTP_TOKEN_FILE}; ignored when {@link #token} is set
         * @return this builder
         */
        public Builder tokenFile(Path tokenFile) {
            this.tokenFile = tokenFile;
            return this;
        }

        /**
         * @param caCert PEM CA bundle to trust for HTTPS; default {@code CONSUL_CACERT}
         * @return this builder
         */
        public Builder caCert(Path caCert) {
            this.caCert = caCert;
            return this;
        }

        /**
         * @param clientCert PEM client certificate for mutual TLS; default {@code CONSUL_CLIENT_CERT}
         * @return this builder
         */
        public Builder clientCert(Path clientCert) {
            this.clientCert = clientCert;
            return this;
        }

        /**
         * @param clientKey unencrypted PEM key of the client certificate (PKCS#8, PKCS#1 or SEC1);
         *     default {@code CONSUL_CLIENT_KEY}
         * @return this builder
         */
        public Builder clientKey(Path clientKey) {
            this.clientKey = clientKey;
            return this;
        }

        /**
         * TLS from a named bundle instead of PEM files: the host's certificate store (Spring Boot's
         * {@code spring.ssl.bundle.*}), rotated without a restart. The supplier is asked before each
         * request and should return the same context until the material changes.
         *
         * @param name the bundle's name, for messages
         * @param context gives the bundle's current TLS context
         * @return this builder
         */
        public Builder sslBundle(String name, Supplier<SSLContext> context) {
            this.sslBundle = Check.notBlank("sslBundle", name);
            this.sslContext = java.util.Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * @param datacenters datacenters to watch through this agent; empty (default) means all of
         *     {@code GET /v1/catalog/datacenters}
         * @return this builder
         */
        public Builder datacenters(List<String> datacenters) {
            this.datacenters = datacenters;
            return this;
        }

        /**
         * @param datacenters datacenters to watch through this agent
         * @return this builder
         */
        public Builder datacenters(String... datacenters) {
            return datacenters(List.of(datacenters));
        }

        /**
         * @param peers cluster peers of this agent's cluster whose imported services to watch (each read
         *     with {@code ?peer=<name>}); default none
         * @return this builder
         */
        public Builder peers(List<String> peers) {
            this.peers = peers;
            return this;
        }

        /**
         * @param maxConnections most blocking queries (one connection each) kept open to this agent,
         *     1 to 10000; default {@value #DEFAULT_MAX_CONNECTIONS}
         * @return this builder
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * @param connectTimeout time to open a connection, 1ms to 5m; default 5s
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * @param requestTimeout time for a request that does not block, 1ms to 10m; default 10s
         * @return this builder
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /**
         * @param environment where {@code CONSUL_*} variables are read; default {@link System#getenv()};
         *     {@code Map.of()} ignores the environment
         * @return this builder
         */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /**
         * @return the configuration
         * @throws InvalidConfigurationException naming the setting by its path, with the value and the rule
         */
        public ConsulAgentConfig build() {
            return new ConsulAgentConfig(this, environment != null ? environment : System.getenv());
        }
    }
}
