package dev.meshless.spring.boot.ratelimit.redis;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.micrometer.MicrometerRateLimitMetrics;
import dev.meshless.ratelimit.RateLimitMetrics;
import dev.meshless.ratelimit.SharedBuckets;
import dev.meshless.ratelimit.redis.RedisBucketStore;
import dev.meshless.ratelimit.redis.RedisRateLimitSpec;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.config.PropertyNames;
import dev.meshless.spring.boot.ratelimit.RateLimitAutoConfiguration;
import dev.meshless.spring.boot.ratelimit.RateLimitProperties;
import dev.meshless.time.TimeSource;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Exact {@code global} and {@code per-key-global} rate limits on Redis, when
 * {@code meshless-ratelimit-redis} is on the class path: a {@link SharedBuckets} bean that
 * {@link RateLimitAutoConfiguration} hands to every limit. Redis is the one at
 * {@code meshless.rate-limit.redis.uri} when set (a Lettuce client of Meshless's own), else the
 * application's Spring Data Redis {@code LettuceConnectionFactory}, whose client (address, TLS,
 * credentials, timeouts) opens one more connection for the limits. Without either, nothing is
 * created: global limits stay on registry shares. Off with {@code meshless.rate-limit.redis.enabled=false}.
 */
@AutoConfiguration(before = RateLimitAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(RedisBucketStore.class)
@ConditionalOnProperty(prefix = MeshlessProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = RateLimitProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = RedisRateLimitAutoConfiguration.PREFIX + ".enabled", matchIfMissing = true)
public class RedisRateLimitAutoConfiguration {

    /** Where the Redis settings are bound. */
    public static final String PREFIX = RateLimitProperties.PREFIX + ".redis";

    static final String LETTUCE_FACTORY = "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory";

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimitAutoConfiguration.class);

    /** Created by Spring. */
    public RedisRateLimitAutoConfiguration() {
    }

    /** @return {@code meshless.rate-limit.redis.*}, as configured */
    @Bean
    @ConfigurationProperties(PREFIX)
    @ConditionalOnMissingBean
    RedisRateLimitSpec meshlessRedisRateLimitSpec() {
        return new RedisRateLimitSpec();
    }

    /**
     * The store: Meshless's own client when {@code uri} is set, else the application's.
     *
     * @param spec {@code meshless.rate-limit.redis.*}
     * @param application the application's client
     * @param time a time source bean, if any (tests); else the system's
     * @return the store, connecting in the background; closing it closes what it opened
     */
    static SharedBuckets sharedBuckets(RedisRateLimitSpec spec, Supplier<RedisBucketStore.Builder> application,
                                       ObjectProvider<TimeSource> time, ObjectProvider<SslBundles> sslBundles) {
        TimeSource clock = time.getIfUnique(TimeSource::system);
        try {
            boolean own = spec.getUri() != null && !spec.getUri().isBlank();
            if (!own && spec.getSslBundle() != null && !spec.getSslBundle().isBlank()) {
                throw new InvalidConfigurationException("sslBundle", spec.getSslBundle(), "applies only with uri (a"
                        + " client of Meshless's own): the application's Lettuce connection factory takes its TLS"
                        + " from spring.data.redis.ssl.*");
            }
            RedisBucketStore.Builder builder = own ? spec.ownClient(name -> RedisSslBundles.options(name, sslBundles))
                    : spec.apply(application.get());
            RedisBucketStore store = builder.time(clock).build();
            SharedBuckets buckets = spec.sharedBuckets(store, clock);
            store.start();
            log.info("Meshless: global and per-key-global rate limits are counted in Redis at {} (decisions wait at"
                    + " most {})", store.describe(), buckets.decisionTimeout());
            return buckets;
        } catch (InvalidConfigurationException e) {
            throw PropertyNames.invalid(e, PREFIX);
        }
    }

    /** Redis at {@code meshless.rate-limit.redis.uri}, on a Lettuce client of Meshless's own. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = PREFIX, name = "uri")
    static class OwnClientConfiguration {

        /**
         * @param spec {@code meshless.rate-limit.redis.*}
         * @param time a time source bean, if any
         * @param sslBundles Spring Boot's SSL bundles, for {@code ssl-bundle}
         * @return the limits' store
         */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        SharedBuckets meshlessSharedBuckets(RedisRateLimitSpec spec, ObjectProvider<TimeSource> time,
                                            ObjectProvider<SslBundles> sslBundles) {
            return sharedBuckets(spec, () -> {
                throw new IllegalStateException("uri is set");
            }, time, sslBundles);
        }
    }

    /**
     * The application's Spring Data Redis {@code LettuceConnectionFactory}: its client (address, TLS,
     * credentials, timeouts) opens one more connection, for the limits.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = LETTUCE_FACTORY)
    @ConditionalOnBean(type = LETTUCE_FACTORY)
    static class ApplicationClientConfiguration {

        /**
         * @param spec {@code meshless.rate-limit.redis.*}
         * @param factories the application's Lettuce connection factory
         * @param time a time source bean, if any
         * @param sslBundles Spring Boot's SSL bundles (not used: the factory has its own TLS)
         * @return the limits' store
         */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        SharedBuckets meshlessSharedBuckets(RedisRateLimitSpec spec,
                                            ObjectProvider<LettuceConnectionFactory> factories,
                                            ObjectProvider<TimeSource> time, ObjectProvider<SslBundles> sslBundles) {
            return sharedBuckets(spec, () -> applicationClient(factories.getObject()), time, sslBundles);
        }

        private static RedisBucketStore.Builder applicationClient(LettuceConnectionFactory lettuce) {
            Supplier<StatefulConnection<byte[], byte[]>> connector = () -> {
                AbstractRedisClient client = lettuce.getRequiredNativeClient();
                if (client instanceof RedisClient standalone) {
                    return standalone.connect(ByteArrayCodec.INSTANCE);
                }
                if (client instanceof RedisClusterClient cluster) {
                    return cluster.connect(ByteArrayCodec.INSTANCE);
                }
                throw new IllegalStateException("the application's Lettuce client is a "
                        + client.getClass().getSimpleName() + "; exact rate limits use a standalone Redis or a"
                        + " Redis Cluster: set " + PREFIX + ".uri");
            };
            String where = lettuce.isClusterAware()
                    ? "Redis Cluster " + lettuce.getClusterConfiguration().getClusterNodes()
                            + " (the application's Lettuce connection factory)"
                    : (lettuce.isUseSsl() ? "rediss://" : "redis://") + lettuce.getHostName() + ":"
                            + lettuce.getPort() + " (the application's Lettuce connection factory)";
            return RedisBucketStore.builder(connector, where);
        }
    }

    /** The availability gauge, when Micrometer is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class MicrometerConfiguration {

        /**
         * @param buckets the limits' store, if any
         * @param metrics the rate-limit metrics in use
         * @return binds {@code meshless.ratelimit.shared.available} once every bean exists
         */
        @Bean
        @ConditionalOnMissingBean(name = "meshlessSharedBucketsGauge")
        SmartInitializingSingleton meshlessSharedBucketsGauge(ObjectProvider<SharedBuckets> buckets,
                                                              ObjectProvider<RateLimitMetrics> metrics) {
            return () -> {
                if (metrics.getIfUnique() instanceof MicrometerRateLimitMetrics micrometer) {
                    buckets.ifUnique(micrometer::bindShared);
                }
            };
        }
    }
}
