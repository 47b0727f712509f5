package dev.meshless.spring.boot.ratelimit.redis;

import dev.meshless.config.InvalidConfigurationException;
import io.lettuce.core.SslOptions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * A Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) as Lettuce's TLS options for the client of
 * exact rate limits: the bundle's trust material, its key when it has one (client certificates), and
 * its protocols and ciphers when it names them. Read once, at start-up.
 */
final class RedisSslBundles {

    private RedisSslBundles() {
    }

    /**
     * @param name the bundle's name
     * @param bundles Spring Boot's bundles, if the application has them
     * @return the bundle as Lettuce's options
     * @throws InvalidConfigurationException naming {@code sslBundle} when there is no such bundle
     */
    static SslOptions options(String name, ObjectProvider<SslBundles> bundles) {
        SslBundles all = bundles.getIfAvailable();
        if (all == null) {
            throw new InvalidConfigurationException("sslBundle", name, "must name a bundle of spring.ssl.bundle.*,"
                    + " and the application has no SslBundles bean");
        }
        SslBundle bundle;
        try {
            bundle = all.getBundle(name);
        } catch (NoSuchSslBundleException e) {
            throw new InvalidConfigurationException("sslBundle", name, "must name a bundle of spring.ssl.bundle.* ("
                    + e.getMessage() + ")");
        }
        SslOptions.Builder options = SslOptions.builder().jdkSslProvider()
                .trustManager(bundle.getManagers().getTrustManagerFactory());
        if (bundle.getStores().getKeyStore() != null) {
            options.keyManager(bundle.getManagers().getKeyManagerFactory());
        }
        org.springframework.boot.ssl.SslOptions tls = bundle.getOptions();
        if (tls.getEnabledProtocols() != null) {
            options.protocols(tls.getEnabledProtocols());
        }
        if (tls.getCiphers() != null) {
            options.cipherSuites(tls.getCiphers());
        }
        return options.build();
    }
}
