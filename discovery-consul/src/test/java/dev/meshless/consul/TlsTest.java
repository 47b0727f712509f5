package dev.meshless.consul;

import static dev.meshless.testing.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.meshless.consul.ConsulException.Reason;
import dev.meshless.consul.internal.Pem;
import dev.meshless.consul.internal.Tls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS to the agent with a private CA and mutual TLS, configured directly or through CONSUL_* variables. */
class TlsTest {

    private static final Path TLS = Path.of("src/test/resources/tls");

    private final HttpsServer server = start();

    private static HttpsServer start() {
        try {
            SSLContext ssl = Tls.context(TLS.resolve("ca.pem"), TLS.resolve("server.pem"), TLS.resolve("server-key.pem"));
            HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
            s.setHttpsConfigurator(new HttpsConfigurator(ssl) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters p = ssl.getDefaultSSLParameters();
                    p.setNeedClientAuth(true);
                    params.setSSLParameters(p);
                }
            });
            s.createContext("/v1/catalog/datacenters", ex -> {
                byte[] body = "[\"dc1\"]".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String address() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void mutualTlsWithAPrivateCaAndAnEcClientKeyInSec1Form() {
        ConsulAgentConfig agent = ConsulAgentConfig.builder().environment(Map.of()).address(address())
                .caCert(TLS.resolve("ca.pem")).clientCert(TLS.resolve("client.pem"))
                .clientKey(TLS.resolve("client-key.pem")).build();

        assertThat(ConsulClient.create(agent).datacenters()).containsExactly("dc1");
    }

    @Test
    void theConsulCliEnvironmentVariablesConfigureTls() {
        ConsulAgentConfig agent = ConsulAgentConfig.builder().environment(Map.of(
                "CONSUL_HTTP_ADDR", "127.0.0.1:" + server.getAddress().getPort(), "CONSUL_HTTP_SSL", "true",
                "CONSUL_CACERT", TLS.resolve("ca.pem").toString(),
                "CONSUL_CLIENT_CERT", TLS.resolve("client.pem").toString(),
                "CONSUL_CLIENT_KEY", TLS.resolve("client-key.pem").toString())).build();

        assertThat(agent.address().toString()).isEqualTo(address());
        assertThat(ConsulClient.create(agent).datacenters()).containsExactly("dc1");
    }

    @Test
    void withoutAClientCertificateOrWithoutTheCaTheHandshakeFails() {
        ConsulAgentConfig noClientCert = ConsulAgentConfig.builder().environment(Map.of()).address(address())
                .caCert(TLS.resolve("ca.pem")).build();
        ConsulAgentConfig noCa = ConsulAgentConfig.builder().environment(Map.of()).address(address())
                .clientCert(TLS.resolve("client.pem")).clientKey(TLS.resolve("client-key.pem")).build();

        assertThatThrownBy(() -> ConsulClient.create(noClientCert).datacenters())
                .isInstanceOfSatisfying(ConsulException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE));
        assertThatThrownBy(() -> ConsulClient.create(noCa).datacenters())
                .isInstanceOfSatisfying(ConsulException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE));
    }

    @Test
    void pemKeysInPkcs8Pkcs1AndSec1FormAreRead(@TempDir Path dir) throws IOException {
        assertThat(Pem.privateKey("clientKey", TLS.resolve("server-key.pem")).getAlgorithm()).isEqualTo("EC");
        assertThat(Pem.privateKey("clientKey", TLS.resolve("client-key.pem")).getAlgorithm()).isEqualTo("EC");
        assertThat(Pem.privateKey("clientKey", TLS.resolve("rsa-pkcs1-key.pem")).getAlgorithm()).isEqualTo("RSA");

        Path encrypted = Files.writeString(dir.resolve("enc.pem"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertInvalid(() -> Pem.privateKey("clientKey", encrypted), "clientKey", encrypted,
                "must name an unencrypted PEM private key (it is encrypted)");
        assertInvalid(() -> ConsulClient.create(ConsulAgentConfig.builder().environment(Map.of())
                .address(address()).caCert(TLS.resolve("client-key.pem")).build()), "caCert",
                TLS.resolve("client-key.pem"), "must name a PEM file of X.509 certificates (it holds none)");
    }

    @Test
    void theRegistryNamesAFileThatCannotBeUsedByItsAgentsPath(@TempDir Path dir) throws IOException {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        ConsulAgentConfig good = ConsulAgentConfig.builder().environment(Map.of()).address(address())
                .caCert(TLS.resolve("ca.pem")).build();
        ConsulAgentConfig bad = ConsulAgentConfig.builder().environment(Map.of()).address(address())
                .datacenters("eu-1").caCert(notPem).build();

        assertInvalid(() -> ConsulRegistry.create(ConsulConfig.builder().agent(good).cluster("eu", bad).build()),
                "clusters[eu].caCert", notPem, "must name a PEM file of X.509 certificates (it holds none)");
        assertInvalid(() -> ConsulRegistry.create(ConsulConfig.builder().agent(bad).build()),
                "agent.caCert", notPem, "must name a PEM file of X.509 certificates (it holds none)");
    }

    @Test
    void anSslBundleServesTheTlsMaterialAndARotationAppliesToTheNextRequest() {
        SSLContext trustsNothing = Tls.context(null, TLS.resolve("client.pem"), TLS.resolve("client-key.pem"));
        SSLContext right = Tls.context(TLS.resolve("ca.pem"), TLS.resolve("client.pem"), TLS.resolve("client-key.pem"));
        AtomicReference<SSLContext> bundle = new AtomicReference<>(trustsNothing);
        ConsulAgentConfig agent = ConsulAgentConfig.builder().environment(Map.of(
                "CONSUL_CACERT", TLS.resolve("ca.pem").toString())).address(address())
                .sslBundle("consul", bundle::get).build();
        ConsulClient client = ConsulClient.create(agent);

        assertThat(agent.caCert()).as("the bundle, not the CLI's variables, holds the material").isNull();
        assertThatThrownBy(client::datacenters).isInstanceOfSatisfying(ConsulException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE));
        bundle.set(right); // the certificate store rotated
        assertThat(client.datacenters()).containsExactly("dc1");
    }

    @Test
    void anSslBundleIsTheOnlySourceOfTlsMaterialAndNeedsHttps() {
        SSLContext any = Tls.context(TLS.resolve("ca.pem"), null, null);
        assertInvalid(() -> ConsulAgentConfig.builder().environment(Map.of()).address(address())
                .caCert(TLS.resolve("ca.pem")).sslBundle("consul", () -> any).build(), "caCert", TLS.resolve("ca.pem"),
                "must not be set with the SSL bundle 'consul', which holds the agent's TLS material");
        assertInvalid(() -> ConsulAgentConfig.builder().environment(Map.of()).address("http://127.0.0.1:8500")
                .sslBundle("consul", () -> any).build(), "sslBundle", "consul",
                "needs an https address, but the agent's is http://127.0.0.1:8500");

        ConsulAgentSpec spec = new ConsulAgentSpec();
        spec.setAddress(address());
        spec.setSslBundle("consul");
        assertInvalid(() -> spec.toConfig(true, name -> null), "sslBundle", "consul", "needs the application to"
                + " provide SSL bundles (Spring Boot's spring.ssl.bundle.*); without them, set ca-cert, client-cert"
                + " and client-key");
        assertThat(spec.toConfig(true, name -> null, name -> () -> any).sslBundle()).isEqualTo("consul");
    }
}
