package dev.meshless.consul.internal;

import dev.meshless.config.InvalidConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files Consul's tooling writes ({@code consul tls cert create}, openssl): X.509
 * certificates and unencrypted private keys in PKCS#8 ({@code PRIVATE KEY}), PKCS#1
 * ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) form. The last two are wrapped into
 * PKCS#8 here, so no security provider beyond the JDK is needed. A file that cannot be used fails
 * with an {@link InvalidConfigurationException} at the path of the setting that named it.
 */
public final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    /** DER of AlgorithmIdentifier { rsaEncryption, NULL }. */
    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
    /** DER of OID id-ecPublicKey (1.2.840.10045.2.1). */
    private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");

    private Pem() {
    }

    /**
     * @param path the path of the setting that named the file
     * @param file a PEM file with one or more certificates
     * @return the certificates, in file order
     * @throws InvalidConfigurationException when none can be read
     */
    public static List<X509Certificate> certificates(String path, Path file) {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(path, file)) {
                if (b.type.equals("CERTIFICATE")) {
                    certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der)));
                }
            }
        } catch (GeneralSecurityException e) {
            throw invalid(path, file, "must name a PEM file of X.509 certificates (it holds an unreadable one: "
                    + e.getMessage() + ")", e);
        }
        if (certs.isEmpty()) {
            throw invalid(path, file, "must name a PEM file of X.509 certificates (it holds none)", null);
        }
        return certs;
    }

    /**
     * @param path the path of the setting that named the file
     * @param file a PEM file with one unencrypted private key (RSA or EC)
     * @return the key
     * @throws InvalidConfigurationException when no key can be read
     */
    public static PrivateKey privateKey(String path, Path file) {
        for (Block b : blocks(path, file)) {
            switch (b.type) {
                case "PRIVATE KEY":
                    return pkcs8(path, file, b.der);
                case "RSA PRIVATE KEY":
                    return pkcs8(path, file, sequence(concat(der(0x02, new byte[] {0}), RSA_ALGORITHM,
                            der(0x04, b.der))));
                case "EC PRIVATE KEY":
                    return pkcs8(path, file, sequence(concat(der(0x02, new byte[] {0}),
                            sequence(concat(EC_PUBLIC_KEY_OID, curveOid(path, file, b.der))),
                            der(0x04, b.der))));
                case "ENCRYPTED PRIVATE KEY":
                    throw invalid(path, file, "must name an unencrypted PEM private key (it is encrypted)", null);
                default:
                    break;
            }
        }
        throw invalid(path, file, "must name a PEM file with a private key (it holds none)", null);
    }

    /** @return a failure at the path of the setting that named the file, with its cause when there is one */
    static InvalidConfigurationException invalid(String path, Path file, String rule, Throwable cause) {
        InvalidConfigurationException e = new InvalidConfigurationException(path, file, rule);
        return cause == null ? e : (InvalidConfigurationException) e.initCause(cause);
    }

    private static PrivateKey pkcs8(String path, Path file, byte[] der) {
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException tryNext) {
                // not this algorithm
            }
        }
        throw invalid(path, file, "must name an RSA or EC private key (it holds a key of another kind)", null);
    }

    /** Finds the curve's OID in the optional [0] parameters of a SEC1 ECPrivateKey. */
    private static byte[] curveOid(String path, Path file, byte[] sec1) {
        int[] outer = header(sec1, 0);
        int pos = outer[0];
        while (pos < sec1.length) {
            int[] h = header(sec1, pos);
            if ((sec1[pos] & 0xff) == 0xa0) {
                int start = h[0];
                int[] oid = header(sec1, start);
                byte[] out = new byte[oid[0] - start + oid[1]];
                System.arraycopy(sec1, start, out, 0, out.length);
                return out;
            }
            pos = h[0] + h[1];
        }
        throw invalid(path, file, "must name an EC key that names its curve", null);
    }

    /** @return {offset of the content, content length} of the DER element at {@code pos} */
    private static int[] header(byte[] der, int pos) {
        int len = der[pos + 1] & 0xff;
        int content = pos + 2;
        if (len > 0x80) {
            int n = len - 0x80;
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (der[content++] & 0xff);
            }
        }
        return new int[] {content, len};
    }

    private static byte[] sequence(byte[] content) {
        return der(0x30, content);
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    private static List<Block> blocks(String path, Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw invalid(path, file, "must name a readable PEM file (" + e + ")", e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw invalid(path, file, "must name a PEM file (it has a block that is not Base64)", e);
            }
        }
        return blocks;
    }

    private static final class Block {
        final String type;
        final byte[] der;

        Block(String type, byte[] der) {
            this.type = type;
            this.der = der;
        }
    }
}
