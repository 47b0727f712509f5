package dev.meshless.spring.boot.consul;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.consul.ConsulAgentConfig;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/** The Consul agent's TLS material from a Spring Boot SSL bundle, followed when Boot reloads it. */
class ConsulSslBundleTest {

    private static final String PEM = "classpath:tls/";

    @Test
    void theAgentsTlsContextFollowsTheBundleAcrossAnUpdate() {
        DefaultSslBundleRegistry registry = new DefaultSslBundleRegistry("consul", bundle("ca.pem"));
        Supplier<SSLContext> context = SpringSslBundles.of(registry).bundle("consul");
        SSLContext first = context.get();

        assertThat(context.get()).as("the same context until the material changes").isSameAs(first);
        registry.updateBundle("consul", bundle("ca.pem"));
        assertThat(context.get()).as("a rotated certificate reaches the next request").isNotSameAs(first);
    }

    @Test
    void anAgentTakesItsTlsFromTheNamedBundleAndAnUnknownNameStopsStartUp() {
        String[] bundleProperties = {
            "spring.ssl.bundle.pem.consul.truststore.certificate=" + PEM + "ca.pem",
            "spring.ssl.bundle.pem.consul.keystore.certificate=" + PEM + "client.pem",
            "spring.ssl.bundle.pem.consul.keystore.private-key=" + PEM + "client-key.pem"};
        ConsulContexts.runner("https://127.0.0.1:1")
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
                .withPropertyValues(bundleProperties)
                .withPropertyValues("meshless.consul.agent.ssl-bundle=consul",
                        "meshless.consul.registration.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ConsulAgentConfig agent = context.getBean(ConsulContributor.class).registry().config().agent();
                    assertThat(agent.sslBundle()).isEqualTo("consul");
                    assertThat(agent.sslContext().get()).isNotNull();
                });
        ConsulContexts.runner("https://127.0.0.1:1")
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
                .withPropertyValues("meshless.consul.agent.ssl-bundle=consul-typo",
                        "meshless.consul.registration.enabled=false")
                .run(context -> {
                    Throwable failure = context.getStartupFailure();
                    while (failure != null && !(failure instanceof InvalidMeshlessConfigurationException)) {
                        failure = failure.getCause();
                    }
                    assertThat(failure).isInstanceOfSatisfying(InvalidMeshlessConfigurationException.class, e -> {
                        assertThat(e.property()).isEqualTo("meshless.consul.agent.ssl-bundle");
                        assertThat(e.value()).isEqualTo("consul-typo");
                        assertThat(e.rule()).startsWith("must name a bundle of spring.ssl.bundle.*");
                    });
                });
    }

    private static SslBundle bundle(String ca) {
        return SslBundle.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate(PEM + ca)));
    }
}
