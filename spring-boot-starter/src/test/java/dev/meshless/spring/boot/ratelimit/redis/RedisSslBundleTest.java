package dev.meshless.spring.boot.ratelimit.redis;

import static dev.meshless.spring.boot.testing.RateLimitContexts.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.ratelimit.SharedBuckets;
import dev.meshless.ratelimit.redis.testing.RedisServer;
import dev.meshless.spring.boot.ratelimit.RateLimiters;
import dev.meshless.spring.boot.testing.RateLimitContexts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * {@code meshless.rate-limit.redis.ssl-bundle}: Meshless's own client speaks TLS, with a client
 * certificate, to a real redis-server that requires one, with the material of a Spring Boot SSL
 * bundle. The certificates are discovery-consul's test CA (tls/README.md there).
 */
class RedisSslBundleTest {

    private static final String PEM = "classpath:tls/";

    @TempDir
    static Path dir;

    static RedisServer redis;

    private final ApplicationContextRunner runner = RateLimitContexts.plain()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, RedisRateLimitAutoConfiguration.class))
            .withPropertyValues("spring.application.name=orders", "meshless.rate-limit.limits.per-user.limit-for-period=5",
                    "meshless.rate-limit.limits.per-user.scope=per-key-global",
                    "spring.ssl.bundle.pem.redis.truststore.certificate=" + PEM + "ca.pem",
                    "spring.ssl.bundle.pem.redis.keystore.certificate=" + PEM + "client.pem",
                    "spring.ssl.bundle.pem.redis.keystore.private-key=" + PEM + "client-key.pem");

    @BeforeAll
    static void startRedisWithTls() throws IOException {
        for (String file : new String[] {"ca.pem", "server.pem", "server-key.pem"}) {
            try (InputStream in = RedisSslBundleTest.class.getResourceAsStream("/tls/" + file)) {
                Files.copy(in, dir.resolve(file));
            }
        }
        redis = RedisServer.startTls(dir.resolve("server.pem"), dir.resolve("server-key.pem"), dir.resolve("ca.pem"));
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aClientOfItsOwnSpeaksTlsWithTheBundlesTrustAndClientCertificate() {
        runner.withPropertyValues("meshless.rate-limit.redis.uri=redis://127.0.0.1:" + redis.tlsPort(),
                "meshless.rate-limit.redis.ssl-bundle=redis").run(context -> {
                    SharedBuckets buckets = context.getBean(SharedBuckets.class);
                    assertThat(buckets.describe()).isEqualTo("rediss://127.0.0.1:" + redis.tlsPort());
                    RedisRateLimitAutoConfigurationTest.decidesInRedis(context.getBean(RateLimiters.class), buckets);
                });
    }

    @Test
    void anUnknownBundleStopsStartUp() {
        runner.withPropertyValues("meshless.rate-limit.redis.uri=redis://127.0.0.1:" + redis.tlsPort(),
                "meshless.rate-limit.redis.ssl-bundle=nope").run(context -> assertInvalid(context,
                "meshless.rate-limit.redis.ssl-bundle", "nope", "must name a bundle of spring.ssl.bundle.*"));
    }

    @Test
    void aBundleWithoutAUriStopsStartUp() {
        runner.withBean(LettuceConnectionFactory.class, () -> new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", redis.port())))
                .withPropertyValues("meshless.rate-limit.redis.ssl-bundle=redis").run(context -> assertInvalid(context,
                        "meshless.rate-limit.redis.ssl-bundle", "redis", "applies only with uri"));
    }
}
