package dev.meshless.ratelimit.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Stores on a Redis client of their own, for applications that have none to share: commands are
 * refused at once while disconnected (rather than queued until Redis is back, which would release a
 * burst of stale permit requests), and reconnection is retried at least once a second.
 */
public final class RedisConnections {

    private RedisConnections() {
    }

    /**
     * @param uri Redis's address: {@code redis://host:port/db}, or {@code rediss://} for TLS; may carry
     *     credentials, which are never logged
     * @param connectTimeout the longest a connection attempt takes
     * @return a store builder whose store owns the client and closes it
     */
    public static RedisBucketStore.Builder ownClient(RedisURI uri, Duration connectTimeout) {
        return ownClient(uri, connectTimeout, null);
    }

    /**
     * @param uri Redis's address; may carry credentials, which are never logged
     * @param connectTimeout the longest a connection attempt takes
     * @param ssl the TLS material (trust, and a key for client certificates), or {@code null} for
     *     {@code rediss://} with the JVM's trust store, or no TLS with {@code redis://}; when given,
     *     the connection uses TLS whatever the scheme
     * @return a store builder whose store owns the client and closes it
     */
    public static RedisBucketStore.Builder ownClient(RedisURI uri, Duration connectTimeout, SslOptions ssl) {
        Objects.requireNonNull(uri, "uri");
        if (ssl != null) {
            uri.setSsl(true);
        }
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, uri);
        ClientOptions.Builder options = ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build());
        if (ssl != null) {
            options.sslOptions(ssl);
        }
        client.setOptions(options.build());
        return RedisBucketStore.builder(() -> client.connect(ByteArrayCodec.INSTANCE), describe(uri))
                .onClose(() -> {
                    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                    resources.shutdown(0, 2, TimeUnit.SECONDS);
                });
    }

    /**
     * @param uri an address
     * @return it without credentials, for logs and health
     */
    public static String describe(RedisURI uri) {
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort()
                + (uri.getDatabase() == 0 ? "" : "/" + uri.getDatabase());
    }
}
