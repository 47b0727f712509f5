package dev.meshless.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.ratelimit.RateLimit;
import dev.meshless.ratelimit.SharedBuckets;
import dev.meshless.ratelimit.redis.RedisBucketStore.Optimization;
import dev.meshless.ratelimit.redis.testing.RedisServer;
import dev.meshless.ratelimit.redis.testing.RedisServerExtension;
import dev.meshless.ratelimit.spi.SharedPermit;
import dev.meshless.testing.FakeTime;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Buckets in a real Redis through Bucket4j: rate, burst, refill, key expiry and bounded key size. */
@ExtendWith(RedisServerExtension.class)
class RedisBucketStoreTest {

    private final FakeTime time = new FakeTime();
    private final RateLimit limit = RateLimit.builder("api").limitForPeriod(10).burst(3).build();
    private final List<RedisBucketStore> stores = new ArrayList<>();
    private RedisClient admin;
    private StatefulRedisConnection<String, String> redis;

    @BeforeEach
    void connect(RedisServer server) {
        admin = RedisClient.create(server.uri());
        redis = admin.connect();
        redis.sync().flushall();
    }

    @AfterEach
    void close() {
        stores.forEach(RedisBucketStore::close);
        redis.close();
        admin.shutdown();
    }

    private RedisBucketStore store(RedisServer server, Optimization optimization) {
        RedisBucketStore store = RedisConnections.ownClient(RedisURI.create(server.uri()), Duration.ofSeconds(5))
                .optimization(optimization).time(time).build().start();
        stores.add(store);
        await().atMost(Duration.ofSeconds(30)).until(store::connected);
        return store;
    }

    private static SharedPermit take(RedisBucketStore store, String key, RateLimit limit) {
        return store.tryTake(key, limit).join();
    }

    @Test
    void aStoreThatCannotConnectSaysWhyInTheFailuresOfItsRequests() {
        // As the starter's connector answers for an application whose Lettuce client is a cluster client.
        RedisBucketStore store = RedisBucketStore.builder(() -> {
            throw new IllegalStateException("the application's Lettuce client is a RedisClusterClient");
        }, "redis://cluster:6379").time(time).build();
        stores.add(store);

        await().atMost(Duration.ofSeconds(10)).until(() -> failureOf(store).contains("RedisClusterClient"));
        assertThat(failureOf(store)).startsWith("not connected to redis://cluster:6379");
    }

    private String failureOf(RedisBucketStore store) {
        return store.tryTake("orders:api", limit).handle((permit, failure) -> failure.getMessage()).join();
    }

    @Test
    void aBucketGrantsItsBurstThenRefillsAtTheLimitsRate(RedisServer server) {
        RedisBucketStore store = store(server, Optimization.NONE);

        List<SharedPermit> permits = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            permits.add(take(store, "orders:api", limit));
        }

        assertThat(permits).extracting(SharedPermit::taken).containsExactly(true, true, true, false);
        assertThat(permits).extracting(SharedPermit::remaining).containsExactly(2L, 1L, 0L, 0L);
        assertThat(permits.get(3).nanosToWait()).isEqualTo(Duration.ofMillis(100).toNanos());

        time.advance(Duration.ofMillis(100));
        assertThat(take(store, "orders:api", limit).taken()).isTrue();
        assertThat(take(store, "orders:api", limit).taken()).isFalse();
    }

    @Test
    void twoInstancesTakeFromTheSameBucket(RedisServer server) {
        RedisBucketStore a = store(server, Optimization.NONE);
        RedisBucketStore b = store(server, Optimization.BATCHING);

        assertThat(take(a, "orders:api", limit).taken()).isTrue();
        assertThat(take(b, "orders:api", limit).taken()).isTrue();
        assertThat(take(a, "orders:api", limit).taken()).isTrue();
        assertThat(take(b, "orders:api", limit).taken()).as("the burst of 3 is the fleet's").isFalse();
    }

    @Test
    void aBucketExpiresOnceItWouldBeFullAgainPlusTheKeepTime(RedisServer server) {
        RedisBucketStore store = store(server, Optimization.NONE);

        take(store, "orders:api", limit);

        long ttl = redis.sync().pttl("meshless:ratelimit:orders:api@10/1s/3");
        // One permit refills in 100 ms; the bucket is kept 10 s after that.
        assertThat(ttl).isPositive().isLessThanOrEqualTo(10_100);
    }

    @Test
    void aLongKeyIsStoredByItsHashSoThatKeysStayBoundedInSize(RedisServer server) {
        RedisBucketStore store = store(server, Optimization.NONE);
        String huge = "orders:per-user:" + "x".repeat(10_000);

        assertThat(take(store, huge, limit).taken()).isTrue();
        assertThat(take(store, huge, limit).remaining()).isEqualTo(1);

        List<String> keys = redis.sync().keys("meshless:ratelimit:*");
        assertThat(keys).as("the store's warm-up bucket and the hashed key")
                .containsOnlyOnce("meshless:ratelimit:warm-up@1/1s/1").hasSize(2);
        assertThat(keys).filteredOn(k -> !k.contains("warm-up")).singleElement().asString()
                .startsWith("meshless:ratelimit:sha256:")
                .hasSize(19 + 7 + 64 + "@10/1s/3".length());
    }

    @Test
    void aChangedLimitCountsInABucketOfItsOwnAtOnce(RedisServer server) {
        RedisBucketStore store = store(server, Optimization.NONE);
        for (int i = 0; i < 3; i++) {
            take(store, "orders:api", limit);
        }
        assertThat(take(store, "orders:api", limit).taken()).isFalse();

        RateLimit raised = limit.toBuilder().limitForPeriod(20).burst(6).build();
        SharedPermit first = take(store, "orders:api", raised);

        assertThat(first.taken()).isTrue();
        assertThat(first.remaining()).isEqualTo(5);
    }

    @Test
    void beforeItConnectsTheStoreFailsAtOnceRatherThanWaiting(RedisServer server) {
        RedisBucketStore store = RedisConnections.ownClient(RedisURI.create(server.uri()), Duration.ofSeconds(5))
                .time(time).build();
        stores.add(store);

        assertThat(store.tryTake("orders:api", limit)).isCompletedExceptionally();
        await().atMost(Duration.ofSeconds(30)).until(store::connected);
        assertThat(take(store, "orders:api", limit).taken()).isTrue();
    }

    @Test
    void limitsAreExactAsSoonAsTheConnectionOpensWithoutWaitingForAProbe(RedisServer server) {
        RedisBucketStore store = RedisConnections.ownClient(RedisURI.create(server.uri()), Duration.ofSeconds(5))
                .time(time).build();
        stores.add(store);
        SharedBuckets buckets = SharedBuckets.builder(store).retryInterval(Duration.ofHours(1))
                .decisionTimeout(Duration.ofSeconds(1)).time(time).build();

        assertThat(buckets.take("orders:api", limit)).as("not connected yet: fall back").isNull();
        assertThat(buckets.available()).isFalse();

        await().atMost(Duration.ofSeconds(30)).until(buckets::available);
        assertThat(buckets.take("orders:api", limit)).isNotNull();
    }

    @Test
    void predictingSynchronisesEveryFewPermitsAndIsOnlyApproximate(RedisServer server) {
        RedisBucketStore store = store(server, Optimization.PREDICTING);
        RateLimit big = RateLimit.builder("big").limitForPeriod(1000).build();
        redis.sync().configResetstat();

        int taken = 0;
        for (int i = 0; i < 1100; i++) {
            taken += take(store, "orders:big", big).taken() ? 1 : 0;
        }

        long scripts = calls("eval");
        assertThat(scripts).as("compare-and-swap scripts for 1,100 permits").isPositive().isLessThan(1100 / 5);
        // Local predictions run ahead of the bucket: the fleet may admit somewhat more than the limit.
        assertThat(taken).isBetween(1000, 1200);
        assertThat(redis.sync().exists("meshless:ratelimit:orders:big@1000/1s/1000")).isEqualTo(1);
    }

    private long calls(String command) {
        for (String line : redis.sync().info("commandstats").split("\\R")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
            }
        }
        return 0;
    }
}
