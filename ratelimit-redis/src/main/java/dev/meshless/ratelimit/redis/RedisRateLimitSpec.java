package dev.meshless.ratelimit.redis;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Spec;
import dev.meshless.config.Specs;
import dev.meshless.ratelimit.SharedBuckets;
import dev.meshless.ratelimit.redis.RedisBucketStore.Optimization;
import dev.meshless.time.TimeSource;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.time.Duration;
import java.util.function.Function;

/**
 * Where exact global limits are counted, as configuration gives it: Redis's address (when the
 * application has no Lettuce client to share), how long a decision may wait for it, and how buckets
 * are kept there. Every setting nullable (not set); mapped onto {@link RedisBucketStore.Builder} and
 * {@link SharedBuckets.Builder} here, checked by them once, with paths named after these fields.
 */
public class RedisRateLimitSpec implements Spec {

    /** The connect timeout of a client of the store's own. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /**
     * Whether global and per-key-global limits are counted in Redis. When false, global limits are
     * shared by registry shares and per-key-global limits cannot start.
     */
    private Boolean enabled;

    /**
     * Redis's address, 'redis://host:port/db' or 'rediss://' for TLS (the JVM's trust store), with
     * credentials if needed ('redis://user:password@host'). When not set, the application's Lettuce
     * connection factory (Spring Data Redis) is reused, if it has one.
     */
    private String uri;

    /**
     * With 'uri': the name of a Spring Boot SSL bundle (spring.ssl.bundle.*) whose trust material, and
     * key for client certificates, the connection uses instead of the JVM's; the connection then uses
     * TLS whatever the URI's scheme. Read at start-up.
     */
    private String sslBundle;

    /** With 'uri': the longest a connection attempt takes. Connecting never delays a decision. */
    private Duration connectTimeout;

    /**
     * The longest a decision waits for Redis; beyond it the decision is taken on this instance's share
     * of the limit and Redis counts as unavailable. From 100us to 1s.
     */
    private Duration decisionTimeout;

    /** While Redis is unavailable, one request per interval probes it (without waiting); from 10ms. */
    private Duration retryInterval;

    /** Put before every bucket's key in Redis. */
    private String keyPrefix;

    /**
     * How long a bucket stays in Redis after it would be full again; idle keys then expire, so the
     * keys in Redis are bounded by those used within that time. From 1s.
     */
    private Duration keepAfterRefill;

    /**
     * How Bucket4j talks to Redis for each bucket: none (one command per permit, exact), batching
     * (concurrent requests for one key share a command, exact) or predicting (each instance
     * synchronises every few permits; fewer round trips, may admit somewhat more than the limit).
     */
    private Optimization optimization;

    /** For predicting: permits an instance takes between two synchronisations; at least 1. */
    private Integer unsynchronizedPermits;

    /** For predicting: the longest between two synchronisations; from 1ms. */
    private Duration maxUnsynchronizedTime;

    /** Creates a specification that sets nothing. */
    public RedisRateLimitSpec() {
    }

    /** @return every setting at Meshless's default; no URI */
    public static RedisRateLimitSpec builtIn() {
        RedisRateLimitSpec s = new RedisRateLimitSpec();
        s.enabled = true;
        s.connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        s.decisionTimeout = SharedBuckets.DEFAULT_DECISION_TIMEOUT;
        s.retryInterval = SharedBuckets.DEFAULT_RETRY_INTERVAL;
        s.keyPrefix = RedisBucketStore.DEFAULT_KEY_PREFIX;
        s.keepAfterRefill = RedisBucketStore.DEFAULT_KEEP_AFTER_REFILL;
        s.optimization = Optimization.NONE;
        s.unsynchronizedPermits = RedisBucketStore.DEFAULT_UNSYNCHRONIZED_PERMITS;
        s.maxUnsynchronizedTime = RedisBucketStore.DEFAULT_MAX_UNSYNCHRONIZED_TIME;
        return s;
    }

    /** @return whether limits are counted in Redis; {@code null} when not set (on) */
    public boolean enabledInForce() {
        return enabled == null || enabled;
    }

    /**
     * @return a store builder on a Lettuce client of the store's own, at {@code uri}, with this
     *     specification's settings
     * @throws InvalidConfigurationException naming {@code uri} when it is missing or not a Redis URI
     */
    public RedisBucketStore.Builder ownClient() {
        return ownClient(name -> {
            throw new InvalidConfigurationException("sslBundle", name, "names a Spring Boot SSL bundle, which only"
                    + " the Spring Boot starter resolves; without Spring, build the store with RedisConnections");
        });
    }

    /**
     * @param sslBundles resolves {@code sslBundle} into Lettuce's TLS options; throws
     *     {@link InvalidConfigurationException} naming {@code sslBundle} for a name it does not know
     * @return a store builder on a Lettuce client of the store's own, at {@code uri}, with this
     *     specification's settings
     * @throws InvalidConfigurationException naming {@code uri} when it is missing or not a Redis URI,
     *     or {@code sslBundle} when it cannot be resolved
     */
    public RedisBucketStore.Builder ownClient(Function<String, SslOptions> sslBundles) {
        if (uri == null || uri.isBlank()) {
            throw new InvalidConfigurationException("uri", uri, "is required for a Redis client of Meshless's own");
        }
        RedisURI parsed;
        try {
            parsed = RedisURI.create(uri.trim());
        } catch (RuntimeException e) {
            throw new InvalidConfigurationException("uri", "(hidden: it may hold credentials)", "must be a Redis URI,"
                    + " redis://host:port/db or rediss://host:port for TLS: " + e.getMessage());
        }
        Duration connect = connectTimeout != null ? connectTimeout : DEFAULT_CONNECT_TIMEOUT;
        if (connect.isNegative() || connect.isZero()) {
            throw new InvalidConfigurationException("connectTimeout", connect, "must be positive");
        }
        SslOptions ssl = sslBundle == null || sslBundle.isBlank() ? null : sslBundles.apply(sslBundle.trim());
        return apply(RedisConnections.ownClient(parsed, connect, ssl));
    }

    /**
     * @param store a store builder
     * @return it with this specification's bucket settings
     * @throws InvalidConfigurationException naming the setting
     */
    public RedisBucketStore.Builder apply(RedisBucketStore.Builder store) {
        Specs.apply(keyPrefix, store::keyPrefix);
        Specs.apply(keepAfterRefill, store::keepAfterRefill);
        Specs.apply(optimization, store::optimization);
        Specs.apply(unsynchronizedPermits, store::unsynchronizedPermits);
        Specs.apply(maxUnsynchronizedTime, store::maxUnsynchronizedTime);
        return store;
    }

    /**
     * @param store the store, started
     * @param time the time source of probes
     * @return exact limits on it, with this specification's timeouts
     * @throws InvalidConfigurationException naming the setting
     */
    public SharedBuckets sharedBuckets(RedisBucketStore store, TimeSource time) {
        SharedBuckets.Builder b = SharedBuckets.builder(store).time(time);
        Specs.apply(decisionTimeout, b::decisionTimeout);
        Specs.apply(retryInterval, b::retryInterval);
        return b.build();
    }

    /** @return whether limits are counted in Redis; {@code null} when not set */
    public Boolean getEnabled() {
        return enabled;
    }

    /** @param enabled whether limits are counted in Redis */
    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    /** @return Redis's address; {@code null} when not set */
    public String getUri() {
        return uri;
    }

    /** @param uri Redis's address */
    public void setUri(String uri) {
        this.uri = uri;
    }

    /** @return the name of the SSL bundle of a client of Meshless's own; {@code null} when not set */
    public String getSslBundle() {
        return sslBundle;
    }

    /** @param sslBundle the name of the SSL bundle of a client of Meshless's own */
    public void setSslBundle(String sslBundle) {
        this.sslBundle = sslBundle;
    }

    /** @return the longest a connection attempt takes; {@code null} when not set */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /** @param connectTimeout the longest a connection attempt takes */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** @return the longest a decision waits for Redis; {@code null} when not set */
    public Duration getDecisionTimeout() {
        return decisionTimeout;
    }

    /** @param decisionTimeout the longest a decision waits for Redis */
    public void setDecisionTimeout(Duration decisionTimeout) {
        this.decisionTimeout = decisionTimeout;
    }

    /** @return how often an unavailable Redis is probed; {@code null} when not set */
    public Duration getRetryInterval() {
        return retryInterval;
    }

    /** @param retryInterval how often an unavailable Redis is probed */
    public void setRetryInterval(Duration retryInterval) {
        this.retryInterval = retryInterval;
    }

    /** @return the prefix of bucket keys; {@code null} when not set */
    public String getKeyPrefix() {
        return keyPrefix;
    }

    /** @param keyPrefix the prefix of bucket keys */
    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    /** @return how long a full bucket stays in Redis; {@code null} when not set */
    public Duration getKeepAfterRefill() {
        return keepAfterRefill;
    }

    /** @param keepAfterRefill how long a full bucket stays in Redis */
    public void setKeepAfterRefill(Duration keepAfterRefill) {
        this.keepAfterRefill = keepAfterRefill;
    }

    /** @return how Bucket4j talks to Redis; {@code null} when not set */
    public Optimization getOptimization() {
        return optimization;
    }

    /** @param optimization how Bucket4j talks to Redis */
    public void setOptimization(Optimization optimization) {
        this.optimization = optimization;
    }

    /** @return permits between two synchronisations when predicting; {@code null} when not set */
    public Integer getUnsynchronizedPermits() {
        return unsynchronizedPermits;
    }

    /** @param unsynchronizedPermits permits between two synchronisations when predicting */
    public void setUnsynchronizedPermits(Integer unsynchronizedPermits) {
        this.unsynchronizedPermits = unsynchronizedPermits;
    }

    /** @return the longest between two synchronisations when predicting; {@code null} when not set */
    public Duration getMaxUnsynchronizedTime() {
        return maxUnsynchronizedTime;
    }

    /** @param maxUnsynchronizedTime the longest between two synchronisations when predicting */
    public void setMaxUnsynchronizedTime(Duration maxUnsynchronizedTime) {
        this.maxUnsynchronizedTime = maxUnsynchronizedTime;
    }
}
