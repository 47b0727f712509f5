package dev.meshless.testing;

import dev.meshless.ratelimit.RateLimit;
import dev.meshless.ratelimit.spi.BucketStore;
import dev.meshless.ratelimit.spi.SharedPermit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link BucketStore} in memory for tests of what core does with a shared store: each bucket
 * starts with its burst and never refills (tests count permits), and the store can be made to hang
 * (answers never come, as from a Redis that stopped responding) or to fail at once (connection
 * refused). Answers held while hanging can be released later, as a late reply. Thread-safe.
 */
public final class FakeBucketStore implements BucketStore {

    /** How the store answers. */
    public enum Mode {
        /** Answers at once. */
        UP,
        /** Never answers (until {@link #releaseHeld()}). */
        HANGING,
        /** Fails at once. */
        FAILING
    }

    private final Map<String, Long> remaining = new ConcurrentHashMap<>();
    private final List<String> asked = new ArrayList<>();
    private final List<CompletableFuture<SharedPermit>> held = new ArrayList<>();
    private final List<Runnable> readyListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.UP;

    /** @param mode how the store answers from now on */
    public void mode(Mode mode) {
        this.mode = mode;
    }

    @Override
    public CompletableFuture<SharedPermit> tryTake(String key, RateLimit limit) {
        synchronized (this) {
            asked.add(key);
        }
        switch (mode) {
            case HANGING -> {
                CompletableFuture<SharedPermit> f = new CompletableFuture<>();
                synchronized (this) {
                    held.add(f);
                }
                return f;
            }
            case FAILING -> {
                return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
            }
            default -> {
                return CompletableFuture.completedFuture(take(key, limit));
            }
        }
    }

    private SharedPermit take(String key, RateLimit limit) {
        long[] left = new long[1];
        boolean[] taken = new boolean[1];
        remaining.compute(key, (k, v) -> {
            long now = v == null ? limit.burst() : v;
            taken[0] = now > 0;
            left[0] = taken[0] ? now - 1 : 0;
            return left[0];
        });
        long interval = limit.period().toNanos() / limit.limitForPeriod();
        return new SharedPermit(taken[0], left[0], taken[0] ? 0 : interval);
    }

    @Override
    public void onReady(Runnable listener) {
        readyListeners.add(listener);
    }

    /** Answers at once from now on and tells the ready listeners, as a store whose connection opened. */
    public void becomeReady() {
        mode = Mode.UP;
        readyListeners.forEach(Runnable::run);
    }

    /** Answers every request held while hanging, as late replies do. */
    public void releaseHeld() {
        List<CompletableFuture<SharedPermit>> late;
        synchronized (this) {
            late = new ArrayList<>(held);
            held.clear();
        }
        late.forEach(f -> f.complete(new SharedPermit(true, 0, 0)));
    }

    /** @return the bucket keys asked for, in order */
    public synchronized List<String> asked() {
        return List.copyOf(asked);
    }

    @Override
    public String describe() {
        return "fake-store";
    }
}
