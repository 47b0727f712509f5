package dev.meshless.ratelimit.spi;

import dev.meshless.ratelimit.RateLimit;
import java.util.concurrent.CompletableFuture;

/**
 * A store of token buckets shared by every instance of a fleet, so that a limit is counted once for
 * all of them (Redis, in {@code meshless-ratelimit-redis}). Core never waits on it for longer than a
 * bounded time: {@link dev.meshless.ratelimit.SharedBuckets} decides what happens when it is slow or
 * down.
 *
 * <p>Implementations are thread-safe, and {@link #tryTake} must not block the calling thread.
 */
public interface BucketStore extends AutoCloseable {

    /**
     * Starts taking one permit from the bucket {@code key}, created on first use with the limit's
     * rate ({@code limitForPeriod} per {@code period}) and capacity ({@code burst}). A bucket that is not
     * used for long enough to refill completely may be forgotten: it would be full anyway.
     *
     * @param key the bucket's name, unique in the store across services and limits
     * @param limit the bucket's rate and capacity
     * @return completes with the outcome, or exceptionally when the store cannot answer
     */
    CompletableFuture<SharedPermit> tryTake(String key, RateLimit limit);

    /**
     * Registers a listener for the moments the store becomes able to answer, such as when its
     * connection opens, so that limits need not wait for their next probe. Called on any thread; it
     * must not block. A store that is ready already calls it at once. Default: never called.
     *
     * @param listener what to run
     */
    default void onReady(Runnable listener) {
    }

    /** @return where the buckets are, for logs and health: for example {@code redis://10.0.0.5:6379} */
    String describe();

    /** Releases what the store opened itself (not a connection the application owns). */
    @Override
    default void close() {
    }
}
