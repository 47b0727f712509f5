package dev.meshless.testing;

import dev.meshless.time.TimeSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A time source for tests that only moves when told: {@link #advance} runs the timers that fall
 * due, in order, on the calling thread; {@link #sleep} advances time instead of blocking. Give it
 * to a {@code ServiceClient}, a balancer or a rate limiter (or, in Spring Boot, get it as the
 * application's {@code TimeSource} from {@code meshless-spring-boot-starter-test}) and an ejection
 * time, a breaker's wait or a retry budget's refill passes in one call, with no sleeping test.
 *
 * <p>Time starts at zero ({@link #elapsed()}); the wall clock at 2026-11-26T00:00:00Z. Thread-safe:
 * any thread may read the time, schedule, or advance it; timers run on the advancing thread, never
 * while a lock is held.
 *
 * <p>It lives in core's main code, not in a test jar, so that the project's own tests and its
 * users' tests share one fake (as Micrometer's {@code MockClock} does).
 */
public final class FakeTime implements TimeSource {

    private static final Instant EPOCH = Instant.parse("2026-11-26T00:00:00Z");

    private long now;
    private long sequence;
    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.order));
    private final List<Duration> sleeps = new ArrayList<>();

    private static final class Task {
        final long due;
        final long order;
        final Runnable action;
        volatile boolean cancelled;

        Task(long due, long order, Runnable action) {
            this.due = due;
            this.order = order;
            this.action = action;
        }
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public Clock clock() {
        FakeTime self = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return EPOCH.plusNanos(self.nanoTime());
            }
        };
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        Task t = new Task(now + Math.max(0, delay.toNanos()), sequence++, task);
        tasks.add(t);
        return () -> t.cancelled = true;
    }

    @Override
    public void sleep(Duration duration) {
        synchronized (this) {
            sleeps.add(duration);
        }
        advance(duration);
    }

    /**
     * Moves time forward, running every timer due by then (including timers those timers schedule),
     * in the order they fall due, on the calling thread.
     *
     * @param duration how far; zero runs the timers already due
     */
    public void advance(Duration duration) {
        long target;
        synchronized (this) {
            target = now + duration.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = Math.max(now, next.due);
            }
            if (!next.cancelled) {
                next.action.run();
            }
        }
    }

    /** @return how long has passed since the start */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(now);
    }

    /** @return every sleep asked for, in order */
    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    /** @return timers not yet run or cancelled */
    public synchronized int pendingTimers() {
        return (int) tasks.stream().filter(t -> !t.cancelled).count();
    }
}
