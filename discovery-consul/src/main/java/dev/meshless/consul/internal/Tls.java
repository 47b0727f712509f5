package dev.meshless.consul.internal;

import dev.meshless.config.InvalidConfigurationException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the {@link SSLContext} for HTTPS to the agent from PEM files: a CA bundle to trust instead of
 * the JDK's default trust store, and optionally a client certificate and key for mutual TLS.
 */
public final class Tls {

    private static final char[] NO_PASSWORD = new char[0];

    private Tls() {
    }

    /**
     * @param caCert PEM CA bundle, or null to trust the JDK's default authorities
     * @param clientCert PEM certificate chain for mutual TLS, or null
     * @param clientKey PEM private key of {@code clientCert}, or null
     * @return the context
     * @throws InvalidConfigurationException at {@code caCert}, {@code clientCert} or {@code clientKey}
     *     when a file cannot be used
     */
    public static SSLContext context(Path caCert, Path clientCert, Path clientKey) {
        TrustManagerFactory tmf = null;
        if (caCert != null) {
            List<X509Certificate> cas = Pem.certificates("caCert", caCert);
            try {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    trust.setCertificateEntry("ca-" + i, cas.get(i));
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            } catch (GeneralSecurityException | IOException e) {
                throw Pem.invalid("caCert", caCert, "must be usable for TLS (" + e + ")", e);
            }
        }
        KeyManagerFactory kmf = null;
        if (clientCert != null) {
            List<X509Certificate> chain = Pem.certificates("clientCert", clientCert);
            PrivateKey key = Pem.privateKey("clientKey", clientKey);
            try {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, NO_PASSWORD);
            } catch (GeneralSecurityException | IOException e) {
                throw Pem.invalid("clientKey", clientKey, "must be usable for TLS (" + e + ")", e);
            }
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(),
                    null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make a TLS context", e);
        }
    }
}
