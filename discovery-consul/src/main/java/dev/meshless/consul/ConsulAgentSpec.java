package dev.meshless.consul;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Spec;
import dev.meshless.config.Specs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * How to reach one Consul agent, as configuration gives it: the local agent ({@code agent} of
 * {@link ConsulSpec}) or the agent of a separate cluster ({@code clusters[<name>]}). Every setting is
 * nullable (not set); {@link #toConfig} maps it onto {@link ConsulAgentConfig}, where settings left
 * out come from the {@code CONSUL_*} variables when they are read, then from the defaults.
 */
public class ConsulAgentSpec implements Spec {

    /**
     * The agent's HTTP API: {@code http://host:port}, {@code https://host:port} or {@code host:port}.
     * Defaults to {@code CONSUL_HTTP_ADDR}, else {@code http://127.0.0.1:8500}; required for a cluster.
     */
    private String address;

    /**
     * ACL token, sent only in the {@code X-Consul-Token} header and never shown in logs, metrics or
     * actuator output. Defaults to {@code CONSUL_HTTP_TOKEN}.
     */
    private String token;

    /**
     * File whose content is the ACL token, read again when it changes; ignored when {@code token} is
     * set. Defaults to {@code CONSUL_HTTP_TOKEN_FILE}.
     */
    private Path tokenFile;

    /** PEM CA bundle trusted for HTTPS instead of the JDK's. Defaults to {@code CONSUL_CACERT}. */
    private Path caCert;

    /** PEM client certificate for mutual TLS, with {@code client-key}. Defaults to {@code CONSUL_CLIENT_CERT}. */
    private Path clientCert;

    /** Unencrypted PEM private key of {@code client-cert}. Defaults to {@code CONSUL_CLIENT_KEY}. */
    private Path clientKey;

    /**
     * Name of an SSL bundle (Spring Boot: {@code spring.ssl.bundle.*}) that holds the agent's TLS
     * material instead of the PEM files; a rotated certificate applies without a restart. Needs an
     * https address; not together with ca-cert, client-cert or client-key.
     */
    private String sslBundle;

    /** Datacenters to watch through this agent; none means every datacenter the agent lists. */
    private List<String> datacenters;

    /**
     * Cluster peers of this agent's cluster whose imported services are watched too, each read with
     * {@code ?peer=<name>} and labelled with the peer's name as its datacenter; none by default.
     */
    private List<String> peers;

    /**
     * Most blocking queries (one connection each) this process keeps open to the agent, 1 to 10000:
     * watched services × datacenters must stay within it. Consul's limits.http_max_conns_per_client
     * (200 by default) counts every process on the host.
     */
    private Integer maxConnections;

    /** Time allowed to open a connection, 1ms to 5m. */
    private Duration connectTimeout;

    /** Time allowed for a request that does not block (added to a blocking query's wait), 1ms to 10m. */
    private Duration requestTimeout;

    /**
     * Whether values left out are read from the {@code CONSUL_*} variables ({@code CONSUL_HTTP_ADDR},
     * {@code CONSUL_HTTP_SSL}, {@code CONSUL_HTTP_TOKEN}, {@code CONSUL_HTTP_TOKEN_FILE},
     * {@code CONSUL_CACERT}, {@code CONSUL_CLIENT_CERT}, {@code CONSUL_CLIENT_KEY}), as the Consul CLI
     * does. Defaults to true for the local agent and false for a cluster, so that the local token
     * is never sent to another cluster.
     */
    private Boolean readEnvironment;

    /** Creates a specification that sets nothing. */
    public ConsulAgentSpec() {
    }

    /** @return the agent's HTTP API; {@code null} when not set */
    public String getAddress() {
        return address;
    }

    /** @param address the agent's HTTP API: {@code http://host:port}, {@code https://host:port} or {@code host:port} */
    public void setAddress(String address) {
        this.address = address;
    }

    /** @return the ACL token; {@code null} when not set */
    public String getToken() {
        return token;
    }

    /** @param token the ACL token */
    public void setToken(String token) {
        this.token = token;
    }

    /** @return the file holding the ACL token; {@code null} when not set */
    public Path getTokenFile() {
        return tokenFile;
    }

    /** @param tokenFile the file holding the ACL token, read again when it changes */
    public void setTokenFile(Path tokenFile) {
        this.tokenFile = tokenFile;
    }

    /** @return the PEM CA bundle trusted for HTTPS; {@code null} when not set */
    public Path getCaCert() {
        return caCert;
    }

    /** @param caCert the PEM CA bundle trusted for HTTPS instead of the JDK's */
    public void setCaCert(Path caCert) {
        this.caCert = caCert;
    }

    /** @return the PEM client certificate for mutual TLS; {@code null} when not set */
    public Path getClientCert() {
        return clientCert;
    }

    /** @param clientCert the PEM client certificate for mutual TLS */
    public void setClientCert(Path clientCert) {
        this.clientCert = clientCert;
    }

    /** @return the unencrypted PEM private key of the client certificate; {@code null} when not set */
    public Path getClientKey() {
        return clientKey;
    }

    /** @param clientKey the unencrypted PEM private key of the client certificate */
    public void setClientKey(Path clientKey) {
        this.clientKey = clientKey;
    }

    /** @return the name of the SSL bundle with the agent's TLS material; {@code null} when not set */
    public String getSslBundle() {
        return sslBundle;
    }

    /** @param sslBundle the name of the SSL bundle with the agent's TLS material */
    public void setSslBundle(String sslBundle) {
        this.sslBundle = sslBundle;
    }

    /** @return the datacenters to watch through this agent; {@code null} when not set */
    public List<String> getDatacenters() {
        return datacenters;
    }

    /** @param datacenters the datacenters to watch through this agent; none means every one it lists */
    public void setDatacenters(List<String> datacenters) {
        this.datacenters = datacenters;
    }

    /** @return the cluster peers whose imported services are watched; {@code null} when not set */
    public List<String> getPeers() {
        return peers;
    }

    /** @param peers the cluster peers whose imported services are watched */
    public void setPeers(List<String> peers) {
        this.peers = peers;
    }

    /** @return the most blocking queries kept open to the agent; {@code null} when not set */
    public Integer getMaxConnections() {
        return maxConnections;
    }

    /** @param maxConnections the most blocking queries kept open to the agent, 1 to 10000 */
    public void setMaxConnections(Integer maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** @return time allowed to open a connection; {@code null} when not set */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /** @param connectTimeout time allowed to open a connection, 1ms to 5m */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** @return time allowed for a request that does not block; {@code null} when not set */
    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    /** @param requestTimeout time allowed for a request that does not block, 1ms to 10m */
    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    /** @return whether values left out are read from the {@code CONSUL_*} variables; {@code null} when not set */
    public Boolean getReadEnvironment() {
        return readEnvironment;
    }

    /** @param readEnvironment whether values left out are read from the {@code CONSUL_*} variables */
    public void setReadEnvironment(Boolean readEnvironment) {
        this.readEnvironment = readEnvironment;
    }

    /** @return the local agent's settings at their defaults, where they do not depend on the environment */
    public static ConsulAgentSpec builtIn() {
        ConsulAgentSpec s = new ConsulAgentSpec();
        s.maxConnections = ConsulAgentConfig.DEFAULT_MAX_CONNECTIONS;
        s.connectTimeout = ConsulAgentConfig.DEFAULT_CONNECT_TIMEOUT;
        s.requestTimeout = ConsulAgentConfig.DEFAULT_REQUEST_TIMEOUT;
        s.readEnvironment = true;
        return s;
    }

    /**
     * The one mapping of an agent's settings onto {@link ConsulAgentConfig}: settings left out come
     * from the {@code CONSUL_*} variables when this agent reads them, then from the defaults.
     *
     * @param local whether this is the local agent, which reads the variables unless
     *     {@code readEnvironment} is false; a cluster reads them only when it is true, and needs an
     *     {@code address}
     * @param environment looks up a variable, {@code null} when it has none ({@code System::getenv})
     * @return the agent's configuration
     * @throws InvalidConfigurationException naming the setting by its path here ({@code caCert})
     */
    public ConsulAgentConfig toConfig(boolean local, UnaryOperator<String> environment) {
        return toConfig(local, environment, null);
    }

    /**
     * As {@link #toConfig(boolean, UnaryOperator)}, resolving {@code sslBundle} in the host's bundles.
     *
     * @param local whether this is the local agent (which reads the environment unless told not to)
     * @param environment looks up a {@code CONSUL_*} variable, {@code null} when it has none
     * @param bundles the host's SSL bundles, or {@code null} when it has none
     * @return the agent's configuration
     * @throws InvalidConfigurationException naming the setting by its path here
     */
    public ConsulAgentConfig toConfig(boolean local, UnaryOperator<String> environment, SslBundles bundles) {
        if (!local && (address == null || address.isBlank())) {
            throw new InvalidConfigurationException("address", address,
                    "must be set: a separate cluster is read through its own agent");
        }
        boolean read = readEnvironment != null ? readEnvironment : local;
        ConsulAgentConfig.Builder b = ConsulAgentConfig.builder()
                .environment(read ? ConsulAgentConfig.environment(environment) : Map.of());
        Specs.apply(address, b::address);
        Specs.apply(token, b::token);
        Specs.apply(tokenFile, b::tokenFile);
        Specs.apply(caCert, b::caCert);
        Specs.apply(clientCert, b::clientCert);
        Specs.apply(clientKey, b::clientKey);
        if (sslBundle != null) {
            if (bundles == null) {
                throw new InvalidConfigurationException("sslBundle", sslBundle, "needs the application to provide"
                        + " SSL bundles (Spring Boot's spring.ssl.bundle.*); without them, set ca-cert, client-cert"
                        + " and client-key");
            }
            b.sslBundle(sslBundle, bundles.bundle(sslBundle));
        }
        Specs.apply(datacenters, b::datacenters);
        Specs.apply(peers, b::peers);
        Specs.apply(maxConnections, b::maxConnections);
        Specs.apply(connectTimeout, b::connectTimeout);
        Specs.apply(requestTimeout, b::requestTimeout);
        return b.build();
    }
}
