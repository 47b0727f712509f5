package dev.meshless.ratelimit.redis;

import dev.meshless.config.Check;
import dev.meshless.config.Values;
import dev.meshless.ratelimit.RateLimit;
import dev.meshless.ratelimit.spi.BucketStore;
import dev.meshless.ratelimit.spi.SharedPermit;
import dev.meshless.time.TimeSource;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.RemoteAsyncBucketBuilder;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets in Redis, on Bucket4j's Lettuce integration ({@code LettuceBasedProxyManager}: the
 * bucket's state is read with {@code GET} and replaced by a compare-and-swap Lua script, so one
 * permit costs two round trips, retried when another instance changed the bucket in between).
 *
 * <p><b>Keys.</b> Each bucket is the Redis string {@code keyPrefix + key + "@" + rate}, the rate
 * being the limit's {@code limitForPeriod/period/burst} (for example {@code 100/1s/20}): Bucket4j
 * keeps the configuration a bucket was created with, so a changed limit takes a bucket of its own
 * at once (during a rolling deployment, old and new instances count in different buckets). A key
 * longer than {@value #MAX_KEY_CHARS} characters is replaced by its SHA-256, so that a caller cannot
 * make keys of any size. Every write sets a TTL: the time the bucket takes to refill to its burst, plus
 * {@code keepAfterRefill} — a bucket that full is the same as none, so the keys in Redis are bounded
 * by the keys used within that time, whatever their cardinality over a day.
 *
 * <p><b>Connection.</b> Opened on first use, on a background thread, by the supplier given (the
 * application's Lettuce client, or the store's own); until it is open every request fails at once
 * (core falls back to shares), and a failed attempt is retried by the next request after
 * {@code reconnectInterval}, and requests fail with the reason the last attempt failed (logged at
 * WARN once per reason); opening it tells {@link #onReady} listeners. Once open, Lettuce reconnects
 * by itself.
 *
 * <p><b>Optimizations.</b> Bucket4j's, per bucket proxy: {@link Optimization#BATCHING} folds
 * concurrent requests for one key on this instance into one Redis command (still exact);
 * {@link Optimization#PREDICTING} lets each instance take up to {@code unsynchronizedPermits} permits,
 * or for up to {@code maxUnsynchronizedTime}, before synchronising (fewer round trips; the fleet may
 * admit up to that many per instance beyond the limit). Proxies of the most recently used
 * {@value #MAX_PROXIES} keys are kept, so that optimizations see a hot key's requests together.
 *
 * <p>Thread-safe; {@link #tryTake} never blocks.
 */
public final class RedisBucketStore implements BucketStore {

    /** Longest key stored as it is; longer keys are hashed. */
    public static final int MAX_KEY_CHARS = 200;
    /** Default key prefix: Meshless's namespace in a shared Redis. */
    public static final String DEFAULT_KEY_PREFIX = "meshless:ratelimit:";
    /** A full bucket is kept this long before it expires. */
    public static final Duration DEFAULT_KEEP_AFTER_REFILL = Duration.ofSeconds(10);
    /** Default for {@link Builder#unsynchronizedPermits}. */
    public static final int DEFAULT_UNSYNCHRONIZED_PERMITS = 10;
    /** Default for {@link Builder#maxUnsynchronizedTime}. */
    public static final Duration DEFAULT_MAX_UNSYNCHRONIZED_TIME = Duration.ofMillis(100);
    /** How often a failed connection attempt is retried. */
    public static final Duration DEFAULT_RECONNECT_INTERVAL = Duration.ofSeconds(1);
    static final int MAX_PROXIES = 10_000;

    private static final Logger log = LoggerFactory.getLogger(RedisBucketStore.class);

    /** How Bucket4j talks to Redis for each bucket. */
    public enum Optimization {
        /** One command per permit: exact. */
        NONE,
        /** Concurrent requests for one bucket on this instance share one command: exact. */
        BATCHING,
        /** Each instance predicts the others' use and synchronises every few permits: approximate. */
        PREDICTING
    }

    private final Supplier<? extends StatefulConnection<byte[], byte[]>> connector;
    private final Runnable onClose;
    private final String description;
    private final String keyPrefix;
    private final Duration keepAfterRefill;
    private final Optimization optimization;
    private final DelayParameters delay;
    private final TimeMeter clock;
    private final TimeSource time;
    private final long reconnectNanos;
    private final Map<RateLimit, BucketConfiguration> configurations = new ConcurrentHashMap<>();
    private final Map<String, AsyncBucketProxy> proxies = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AsyncBucketProxy> eldest) {
            return size() > MAX_PROXIES;
        }
    };
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final List<Runnable> readyListeners = new CopyOnWriteArrayList<>();
    /** Written once by the connecting thread; read by every request. */
    private volatile Connected connected;
    private volatile long nextAttemptNanos;
    private volatile boolean closed;
    /** Why the last connection attempt failed, or {@code null}; written by the connecting thread. */
    private volatile String connectFailure;

    private record Connected(StatefulConnection<byte[], byte[]> connection, AsyncProxyManager<byte[]> buckets) {
    }

    private RedisBucketStore(Builder b) {
        this.connector = b.connector;
        this.onClose = b.onClose;
        this.description = b.description;
        this.keyPrefix = b.keyPrefix;
        this.keepAfterRefill = b.keepAfterRefill;
        this.optimization = b.optimization;
        this.delay = new DelayParameters(b.unsynchronizedPermits, b.maxUnsynchronizedTime);
        this.time = b.time;
        this.reconnectNanos = b.reconnectInterval.toNanos();
        this.nextAttemptNanos = b.time.nanoTime();
        this.clock = b.time == TimeSource.system() ? null : new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                java.time.Instant now = b.time.clock().instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    /**
     * @param connector opens a connection with a byte-array codec, to a standalone Redis
     *     ({@link StatefulRedisConnection}) or a Redis Cluster ({@link StatefulRedisClusterConnection}:
     *     every bucket is one key, so its commands go to the node of that key's slot); called on a
     *     background thread
     * @param description where the connection goes, for logs and health (no credentials)
     * @return a builder
     */
    public static Builder builder(Supplier<? extends StatefulConnection<byte[], byte[]>> connector,
                                  String description) {
        return new Builder(Objects.requireNonNull(connector, "connector"), Objects.requireNonNull(description,
                "description"));
    }

    @Override
    public CompletableFuture<SharedPermit> tryTake(String key, RateLimit limit) {
        Connected c = connected;
        if (c == null) {
            connect();
            String why = connectFailure;
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to " + description
                    + (why == null ? "" : " (" + why + ")")));
        }
        return proxy(c, key, limit).tryConsumeAndReturnRemaining(1).thenApply(RedisBucketStore::permit);
    }

    private static SharedPermit permit(ConsumptionProbe probe) {
        return new SharedPermit(probe.isConsumed(), probe.getRemainingTokens(),
                probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill());
    }

    private AsyncBucketProxy proxy(Connected c, String key, RateLimit limit) {
        String name = redisKey(key, limit);
        synchronized (proxies) {
            AsyncBucketProxy proxy = proxies.get(name);
            if (proxy == null) {
                RemoteAsyncBucketBuilder<byte[]> builder = c.buckets().builder();
                switch (optimization) {
                    case BATCHING -> builder = builder.withOptimization(Optimizations.batching());
                    case PREDICTING -> builder = builder.withOptimization(Optimizations.predicting(delay));
                    default -> {
                    }
                }
                proxy = builder.build(name.getBytes(StandardCharsets.UTF_8), configuration(limit));
                proxies.put(name, proxy);
            }
            return proxy;
        }
    }

    private BucketConfiguration configuration(RateLimit limit) {
        return configurations.computeIfAbsent(limit, l -> BucketConfiguration.builder()
                .addLimit(b -> b.capacity(l.burst()).refillGreedy(l.limitForPeriod(), l.period()))
                .build());
    }

    /**
     * @return the Redis key of a bucket: the prefix, the key (or its SHA-256 when the key is long) and
     *     the limit's rate
     */
    String redisKey(String key, RateLimit limit) {
        String rate = "@" + limit.limitForPeriod() + "/" + Values.format(limit.period()) + "/" + limit.burst();
        if (key.length() <= MAX_KEY_CHARS) {
            return keyPrefix + key + rate;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return keyPrefix + "sha256:" + HexFormat.of().formatHex(digest) + rate;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Starts connecting now rather than on the first request (which would fall back while it
     * connects). Returns at once.
     *
     * @return this store
     */
    public RedisBucketStore start() {
        connect();
        return this;
    }

    /** Opens the connection on a background thread, one attempt at a time, at most once per reconnect interval. */
    private void connect() {
        long now = time.nanoTime();
        if (closed || now - nextAttemptNanos < 0 || !connecting.compareAndSet(false, true)) {
            return;
        }
        Thread opener = new Thread(() -> {
            try {
                StatefulConnection<byte[], byte[]> connection = connector.get();
                var builder = (connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster
                        ? Bucket4jLettuce.casBasedBuilder(cluster)
                        : Bucket4jLettuce.casBasedBuilder((StatefulRedisConnection<byte[], byte[]>) connection))
                        .expirationAfterWrite(ExpirationAfterWriteStrategy
                                .basedOnTimeForRefillingBucketUpToMax(keepAfterRefill));
                if (clock != null) {
                    builder = builder.clientClock(clock);
                }
                Connected opened = new Connected(connection, builder.build().asAsync());
                warmUp(opened);
                connectFailure = null;
                connected = opened;
                if (closed) {
                    close();
                    return;
                }
                log.info("Exact rate limits: connected to {}", description);
                readyListeners.forEach(Runnable::run);
            } catch (RuntimeException e) {
                nextAttemptNanos = time.nanoTime() + reconnectNanos;
                String why = e.toString();
                if (why.equals(connectFailure)) {
                    log.debug("Exact rate limits: cannot connect to {}: {}", description, why);
                } else {
                    // Once per reason: a connector that cannot work must be seen.
                    log.warn("Exact rate limits: cannot connect to {}: {}; retrying every {} ms", description, why,
                            reconnectNanos / 1_000_000);
                }
                connectFailure = why;
            } finally {
                connecting.set(false);
            }
        }, "meshless-ratelimit-redis-connect");
        opener.setDaemon(true);
        opener.start();
    }

    /** Calls the listener when the connection opens, or at once when it is open already. */
    @Override
    public void onReady(Runnable listener) {
        readyListeners.add(Objects.requireNonNull(listener, "listener"));
        if (connected != null) {
            listener.run();
        }
    }

    /**
     * Takes one permit from a bucket of its own before the store says it is ready: the first
     * compare-and-swap loads Bucket4j's and Lettuce's classes and scripts, which on a busy machine can
     * take longer than a decision may wait.
     */
    private void warmUp(Connected opened) {
        RateLimit warm = RateLimit.builder("warm-up").limitForPeriod(1).build();
        try {
            proxy(opened, "warm-up", warm).tryConsumeAndReturnRemaining(1).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("Exact rate limits: warming up {} failed: {}", description, e.toString());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return whether the connection is open (Lettuce may still be reconnecting it) */
    public boolean connected() {
        return connected != null;
    }

    @Override
    public String describe() {
        return description;
    }

    /** Closes the store's connection, and the client when the store made it. */
    @Override
    public void close() {
        closed = true;
        Connected c = connected;
        if (c != null) {
            connected = null;
            c.connection().close();
        }
        if (onClose != null) {
            onClose.run();
        }
    }

    /** Builder; setters check their values with the setting's name. Not thread-safe. */
    public static final class Builder {
        private final Supplier<? extends StatefulConnection<byte[], byte[]>> connector;
        private final String description;
        private Runnable onClose;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration keepAfterRefill = DEFAULT_KEEP_AFTER_REFILL;
        private Optimization optimization = Optimization.NONE;
        private int unsynchronizedPermits = DEFAULT_UNSYNCHRONIZED_PERMITS;
        private Duration maxUnsynchronizedTime = DEFAULT_MAX_UNSYNCHRONIZED_TIME;
        private Duration reconnectInterval = DEFAULT_RECONNECT_INTERVAL;
        private TimeSource time = TimeSource.system();

        private Builder(Supplier<? extends StatefulConnection<byte[], byte[]>> connector, String description) {
            this.connector = connector;
            this.description = description;
        }

        /**
         * @param prefix put before every bucket's key; default {@value #DEFAULT_KEY_PREFIX}
         * @return this builder
         */
        public Builder keyPrefix(String prefix) {
            this.keyPrefix = Objects.requireNonNull(prefix, "keyPrefix");
            return this;
        }

        /**
         * @param keep how long a full bucket stays in Redis before it expires, from 1 s; default 10 s
         * @return this builder
         */
        public Builder keepAfterRefill(Duration keep) {
            this.keepAfterRefill = Check.atLeast("keepAfterRefill", keep, Duration.ofSeconds(1));
            return this;
        }

        /**
         * @param optimization how Bucket4j talks to Redis for each bucket; default none
         * @return this builder
         */
        public Builder optimization(Optimization optimization) {
            this.optimization = Objects.requireNonNull(optimization, "optimization");
            return this;
        }

        /**
         * @param permits for {@link Optimization#PREDICTING}: permits an instance takes between two
         *     synchronisations, at least 1; default 10
         * @return this builder
         */
        public Builder unsynchronizedPermits(int permits) {
            this.unsynchronizedPermits = Check.atLeast("unsynchronizedPermits", permits, 1);
            return this;
        }

        /**
         * @param maxTime for {@link Optimization#PREDICTING}: the longest between two synchronisations,
         *     from 1 ms; default 100 ms
         * @return this builder
         */
        public Builder maxUnsynchronizedTime(Duration maxTime) {
            this.maxUnsynchronizedTime = Check.atLeast("maxUnsynchronizedTime", maxTime, Duration.ofMillis(1));
            return this;
        }

        /**
         * @param interval how often a failed connection attempt is retried, from 10 ms; default 1 s
         * @return this builder
         */
        public Builder reconnectInterval(Duration interval) {
            this.reconnectInterval = Check.atLeast("reconnectInterval", interval, Duration.ofMillis(10));
            return this;
        }

        /**
         * @param time the buckets' clock: with the system's (the default) each instance uses its wall
         *     clock, which must be synchronised across the fleet (NTP), as Bucket4j requires
         * @return this builder
         */
        public Builder time(TimeSource time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        /**
         * @param onClose run when the store closes: closes a client the store's owner made for it
         * @return this builder
         */
        public Builder onClose(Runnable onClose) {
            this.onClose = onClose;
            return this;
        }

        /** @return the store; it connects on first use */
        public RedisBucketStore build() {
            return new RedisBucketStore(this);
        }
    }
}
