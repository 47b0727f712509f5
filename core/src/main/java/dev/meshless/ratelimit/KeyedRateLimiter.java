package dev.meshless.ratelimit;

import dev.meshless.config.Check;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.time.TimeSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A limit applied separately to each key value — per user, per tenant, per API key — with
 * per-key overrides (a VIP tenant gets more) and bounded memory whatever the key cardinality.
 *
 * <p>Each key is a generic cell rate algorithm (GCRA) cell: one "theoretical arrival time" in an
 * {@link AtomicLong}, updated by compare-and-set, which grants {@code limitForPeriod} per
 * {@code period} evenly with up to {@code burst} at once. A cell whose arrival time has passed holds
 * no state a fresh cell would not, so it is dropped when seen idle; and the number of tracked keys
 * is capped ({@code maxKeys}, default 100 000): beyond it the least recently used key is evicted
 * (it starts afresh, with a full burst, if it comes back). Resilience4j keeps one limiter per name
 * in a registry that only grows, and each limiter is far larger than a cell; that is why per-key
 * limits do not use it.
 *
 * <p>Keys live in {@value #SEGMENTS} segments, each a small access-ordered map behind its own lock,
 * held only to find or insert the cell; the permit itself is lock-free. The cap and the LRU order
 * are per segment ({@code maxKeys / 64} each), so eviction is approximately least-recently-used and
 * can start when a few percent below {@code maxKeys} keys are tracked. Thread-safe.
 */
public final class KeyedRateLimiter implements KeyedLimiter {

    /** Default cap on tracked keys. */
    public static final int DEFAULT_MAX_KEYS = 100_000;
    static final int SEGMENTS = 64;
    /** Idle cells examined per access, oldest first, to drop those that hold no state. */
    private static final int EXPIRY_PROBES = 2;

    private final RateLimit defaultLimit;
    private final Map<String, Gcra> overrides;
    private final Gcra defaults;
    private final TimeSource time;
    private final RateLimitMetrics metrics;
    private final Segment[] segments = new Segment[SEGMENTS];

    /** A limit's GCRA constants. */
    private static final class Gcra {
        final RateLimit limit;
        /** Emission interval: period / limitForPeriod. */
        final long interval;
        /** Burst tolerance: (burst − 1) × interval. */
        final long tolerance;

        Gcra(RateLimit limit) {
            this.limit = limit;
            this.interval = Math.max(1, limit.period().toNanos() / limit.limitForPeriod());
            this.tolerance = (limit.burst() - 1) * interval;
        }
    }

    /** One key's state: the theoretical arrival time of its next request. */
    private static final class Cell extends AtomicLong {
        final Gcra gcra;

        Cell(Gcra gcra, long tat) {
            super(tat);
            this.gcra = gcra;
        }
    }

    private static final class Segment extends LinkedHashMap<String, Cell> {
        final int capacity;

        Segment(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cell> eldest) {
            return size() > capacity;
        }
    }

    private KeyedRateLimiter(RateLimit defaultLimit, Map<String, RateLimit> overrides, int maxKeys, TimeSource time,
                             RateLimitMetrics metrics) {
        this.defaultLimit = defaultLimit;
        this.defaults = new Gcra(defaultLimit);
        Map<String, Gcra> byKey = new HashMap<>();
        overrides.forEach((key, limit) -> byKey.put(key, new Gcra(limit)));
        this.overrides = Map.copyOf(byKey);
        this.time = time;
        this.metrics = metrics;
        // Capacities add up to exactly maxKeys.
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = new Segment(maxKeys / SEGMENTS + (i < maxKeys % SEGMENTS ? 1 : 0));
        }
    }

    /**
     * @param defaultLimit the limit of every key without an override
     * @param overrides limits for chosen keys
     * @param maxKeys the most keys tracked at once, at least 64
     * @param time the time source
     * @param metrics receives decisions (under the default limit's name)
     * @return the limiter
     * @throws InvalidConfigurationException naming {@code maxKeys} or {@code overrides} by their paths in
     *     {@link InboundRateLimitSpec}
     */
    public static KeyedRateLimiter create(RateLimit defaultLimit, Map<String, RateLimit> overrides, int maxKeys,
                                          TimeSource time, RateLimitMetrics metrics) {
        Objects.requireNonNull(defaultLimit, "defaultLimit");
        Check.atLeast("maxKeys", maxKeys, SEGMENTS);
        overrides.forEach((key, limit) -> {
            if (key == null || key.isEmpty()) {
                throw new InvalidConfigurationException("overrides", key, "must not have an empty key");
            }
        });
        return new KeyedRateLimiter(defaultLimit, overrides, maxKeys, Objects.requireNonNull(time, "time"),
                Objects.requireNonNull(metrics, "metrics"));
    }

    /** @return the limit's name */
    @Override
    public String name() {
        return defaultLimit.name();
    }

    /** @return the limit of keys without an override */
    @Override
    public RateLimit defaultLimit() {
        return defaultLimit;
    }

    /**
     * @param key a key value
     * @return the limit that applies to it
     */
    @Override
    public RateLimit limitFor(String key) {
        Gcra g = overrides.get(key);
        return g != null ? g.limit : defaultLimit;
    }

    /**
     * Takes a permit for the key, waiting up to the key's limit's timeout.
     *
     * @param key the key value, for example a user id
     * @return whether the request may go ahead (always true in shadow mode)
     */
    public boolean tryAcquire(String key) {
        long now = time.nanoTime();
        Cell cell = cell(key, now);
        long wait = take(cell, now, cell.gcra.limit.timeout().toNanos());
        if (wait <= 0) {
            if (wait < 0) {
                sleep(-wait);
            }
            metrics.permitted(defaultLimit.name());
            return true;
        }
        return rejected(cell.gcra.limit);
    }

    /**
     * Takes a permit for the key and describes the result.
     *
     * @param key the key value
     * @return the decision
     */
    @Override
    public Decision decide(String key) {
        long now = time.nanoTime();
        Cell cell = cell(key, now);
        Gcra g = cell.gcra;
        long wait = take(cell, now, g.limit.timeout().toNanos());
        if (wait < 0) {
            sleep(-wait);
            now = time.nanoTime();
        }
        boolean ok = wait <= 0;
        if (ok) {
            metrics.permitted(defaultLimit.name());
        } else {
            rejected(g.limit);
        }
        long ahead = Math.max(0, cell.get() - now);
        long remaining = Math.max(0, (g.tolerance + g.interval - ahead) / g.interval);
        return new Decision(ok || g.limit.shadow(), !ok, g.limit.limitForPeriod(),
                Math.min(remaining, g.limit.burst()), Duration.ofNanos(ahead), Duration.ofNanos(ok ? 0 : wait));
    }

    /** @return keys tracked now */
    public int trackedKeys() {
        int n = 0;
        for (Segment s : segments) {
            synchronized (s) {
                n += s.size();
            }
        }
        return n;
    }

    private boolean rejected(RateLimit limit) {
        if (limit.shadow()) {
            metrics.shadowRejected(defaultLimit.name());
            return true;
        }
        metrics.rejected(defaultLimit.name());
        return false;
    }

    /**
     * GCRA: a request at {@code now} conforms when the cell's arrival time is at most
     * {@code tolerance} ahead; it then moves the arrival time on by one interval.
     *
     * @return 0 when permitted now; minus the nanoseconds to wait when permitted after a wait within
     *     {@code maxWait} (the slot is reserved); otherwise the nanoseconds until a permit is free
     */
    private static long take(Cell cell, long now, long maxWait) {
        Gcra g = cell.gcra;
        while (true) {
            long tat = cell.get();
            long base = Math.max(tat, now);
            long wait = base - now - g.tolerance;
            if (wait > maxWait) {
                return wait;
            }
            if (cell.compareAndSet(tat, base + g.interval)) {
                return wait > 0 ? -wait : 0;
            }
        }
    }

    private Cell cell(String key, long now) {
        Segment segment = segments[spread(key.hashCode()) & (SEGMENTS - 1)];
        synchronized (segment) {
            // Expire before the lookup: a dropped cell is replaced by an identical fresh one.
            expireIdle(segment, now);
            Cell cell = segment.get(key);
            if (cell == null) {
                Gcra g = overrides.get(key);
                cell = new Cell(g != null ? g : defaults, now);
                segment.put(key, cell);
            }
            return cell;
        }
    }

    /** Drops up to a few of the oldest cells whose arrival time has passed: they are as good as new. */
    private static void expireIdle(Segment segment, long now) {
        Iterator<Cell> oldest = segment.values().iterator();
        for (int i = 0; i < EXPIRY_PROBES && oldest.hasNext(); i++) {
            if (oldest.next().get() <= now) {
                oldest.remove();
            } else {
                return;
            }
        }
    }

    private void sleep(long nanos) {
        try {
            time.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
