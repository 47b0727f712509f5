package dev.meshless.spring.boot.consul;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to reach one Consul agent, mapped 1:1 onto {@link dev.meshless.consul.ConsulAgentConfig}: used
 * for {@code meshless.consul.agent} and for each {@code meshless.consul.clusters.<name>}. Values left
 * out come, for the local agent, from the {@code CONSUL_*} variables the Consul CLI reads (looked up
 * in Spring's {@code Environment}, so the OS environment, system properties or any property source),
 * then from the library's defaults.
 */
public class ConsulAgentProperties {

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

    /** Datacenters to watch through this agent; empty means every datacenter the agent lists. */
    private List<String> datacenters = new ArrayList<>();

    /** Time allowed to open a connection, 1ms to 5m. Default 5s. */
    private Duration connectTimeout;

    /** Time allowed for a request that does not block (added to a blocking query's wait), 1ms to 10m. Default 10s. */
    private Duration requestTimeout;

    /**
     * Whether values left out are read from the {@code CONSUL_*} variables ({@code CONSUL_HTTP_ADDR},
     * {@code CONSUL_HTTP_SSL}, {@code CONSUL_HTTP_TOKEN}, {@code CONSUL_HTTP_TOKEN_FILE},
     * {@code CONSUL_CACERT}, {@code CONSUL_CLIENT_CERT}, {@code CONSUL_CLIENT_KEY}), as the Consul CLI
     * does. Defaults to true for the local agent and false for a cluster, so that the local token
     * is never sent to another cluster.
     */
    private Boolean readEnvironment;

    /** @return the address, or {@code null} */
    public String getAddress() {
        return address;
    }

    /** @param address the address */
    public void setAddress(String address) {
        this.address = address;
    }

    /** @return the ACL token, or {@code null} */
    public String getToken() {
        return token;
    }

    /** @param token the ACL token */
    public void setToken(String token) {
        this.token = token;
    }

    /** @return the token file, or {@code null} */
    public Path getTokenFile() {
        return tokenFile;
    }

    /** @param tokenFile the token file */
    public void setTokenFile(Path tokenFile) {
        this.tokenFile = tokenFile;
    }

    /** @return the CA bundle, or {@code null} */
    public Path getCaCert() {
        return caCert;
    }

    /** @param caCert the CA bundle */
    public void setCaCert(Path caCert) {
        this.caCert = caCert;
    }

    /** @return the client certificate, or {@code null} */
    public Path getClientCert() {
        return clientCert;
    }

    /** @param clientCert the client certificate */
    public void setClientCert(Path clientCert) {
        this.clientCert = clientCert;
    }

    /** @return the client key, or {@code null} */
    public Path getClientKey() {
        return clientKey;
    }

    /** @param clientKey the client key */
    public void setClientKey(Path clientKey) {
        this.clientKey = clientKey;
    }

    /** @return the datacenters to watch */
    public List<String> getDatacenters() {
        return datacenters;
    }

    /** @param datacenters the datacenters to watch */
    public void setDatacenters(List<String> datacenters) {
        this.datacenters = datacenters;
    }

    /** @return the connect timeout, or {@code null} */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /** @param connectTimeout the connect timeout */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** @return the request timeout, or {@code null} */
    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    /** @param requestTimeout the request timeout */
    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    /** @return whether the environment is read, or {@code null} for the default */
    public Boolean getReadEnvironment() {
        return readEnvironment;
    }

    /** @param readEnvironment whether the environment is read */
    public void setReadEnvironment(Boolean readEnvironment) {
        this.readEnvironment = readEnvironment;
    }
}
