package dev.meshless.spring.boot.consul;

import dev.meshless.config.InvalidConfigurationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * Spring Boot's SSL bundles ({@code spring.ssl.bundle.*}) as discovery-consul's: the agent's TLS
 * context follows the bundle, and a bundle that Boot reloads (a rotated certificate, with
 * {@code reload-on-update}) reaches the next request to the agent without a restart.
 */
final class SpringSslBundles {

    private static final Logger log = LoggerFactory.getLogger(SpringSslBundles.class);

    private SpringSslBundles() {
    }

    /**
     * @param bundles Spring Boot's bundles
     * @return them as discovery-consul asks for them
     */
    static dev.meshless.consul.SslBundles of(SslBundles bundles) {
        return name -> {
            SslBundle bundle;
            try {
                bundle = bundles.getBundle(name);
            } catch (NoSuchSslBundleException e) {
                throw new InvalidConfigurationException("sslBundle", name, "must name a bundle of"
                        + " spring.ssl.bundle.* (" + e.getMessage() + ")");
            }
            AtomicReference<SSLContext> current = new AtomicReference<>(bundle.createSslContext());
            bundles.addBundleUpdateHandler(name, updated -> {
                current.set(updated.createSslContext());
                log.info("Meshless: SSL bundle '{}' was updated; Consul requests use the new material", name);
            });
            return (Supplier<SSLContext>) current::get;
        };
    }
}
