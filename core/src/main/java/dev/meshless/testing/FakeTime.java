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
 * A time source for tests that moves when told: {@link #advance} runs the timers that fall due, in
 * order, on the calling thread. Give it to a {@code ServiceClient}, a balancer or a rate limiter (or,
 * in Spring Boot, get it as the application's {@code TimeSource} from
 * {@code meshless-spring-boot-starter-test}) and an ejection time, a breaker's wait or a retry
 * budget's refill passes in one call, with no sleeping test.
 *
 * <p>Two kinds:
 * <ul>
 *   <li>{@link #FakeTime() new FakeTime()} stands still between advances; {@link #sleep} advances it
 *       instead of blocking. For unit tests, where the test drives every timer.</li>
 *   <li>{@link #running()} also runs with the system's time, its timers firing on their own when
 *       due, and {@link #sleep} blocks: time passes as in production and the test jumps ahead with
 *       {@link #advance}. For a whole application under test, where asynchronous calls schedule
 *       their retries and timeouts and nobody would advance time for them.</li>
 * </ul>
 *
 * <p>Time starts at zero ({@link #elapsed()}); the wall clock at 2026-11-26T00:00:00Z. Thread-safe:
 * any thread may read the time, schedule, or advance it; a timer runs once, on the advancing thread
 * or (running) on the system's timer thread, never while a lock is held.
 *
 * <p>It lives in core's main code, not in a test jar, so that the project's own tests and its
 * users' tests share one fake (as Micrometer's {@code MockClock} does).
 */
public final class FakeTime implements TimeSource {

    private static final Instant EPOCH = Instant.parse("2026-11-26T00:00:00Z");

    /** The system's time when running, else null. */
    private final TimeSource system;
    /** {@code system.nanoTime()} at creation, when running. */
    private final long systemStart;
    /** Time added by {@link #advance}: all of it when standing still, on top of the system's when running. */
    private long advanced;
    private long sequence;
    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.order));
    private final List<Duration> sleeps = new ArrayList<>();
    /** Running: the one system timer that wakes up for the earliest task, and when (system nanos). */
    private TimeSource.Cancellable alarm;
    private long alarmAt;

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

    /** A time source that stands still until advanced. */
    public FakeTime() {
        this(null);
    }

    private FakeTime(TimeSource system) {
        this.system = system;
        this.systemStart = system == null ? 0 : system.nanoTime();
    }

    /**
     * @return a time source that runs with the system's time, fires its timers when due on the
     *     system's timer thread, sleeps for real, and jumps ahead when advanced
     */
    public static FakeTime running() {
        return new FakeTime(TimeSource.system());
    }

    @Override
    public synchronized long nanoTime() {
        return system == null ? advanced : advanced + system.nanoTime() - systemStart;
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
    public Cancellable schedule(Runnable task, Duration delay) {
        long nanos = Math.max(0, delay.toNanos());
        Task t;
        synchronized (this) {
            t = new Task(nanoTime() + nanos, sequence++, task);
            tasks.add(t);
            rearm();
        }
        return () -> t.cancelled = true;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        synchronized (this) {
            sleeps.add(duration);
        }
        if (system == null) {
            advance(duration);
        } else {
            system.sleep(duration);
        }
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
            target = nanoTime() + duration.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due > target) {
                    advanced += Math.max(0, target - nanoTime());
                    break;
                }
                tasks.poll();
                advanced += Math.max(0, next.due - nanoTime()); // a timer sees the time it was due at
            }
            if (!next.cancelled) {
                next.action.run();
            }
        }
        synchronized (this) {
            rearm(); // advancing made the next timer due sooner than the system's alarm
        }
    }

    /** Running: sets the system's alarm for the earliest timer, unless it rings by then already. */
    private void rearm() {
        Task next = tasks.peek();
        if (system == null || next == null) {
            return;
        }
        long now = system.nanoTime();
        long at = now + Math.max(0, next.due - nanoTime());
        if (alarm != null && alarmAt <= at) {
            return;
        }
        if (alarm != null) {
            alarm.cancel();
        }
        alarmAt = at;
        alarm = system.schedule(() -> {
            synchronized (this) {
                if (alarmAt == at) {
                    alarm = null;
                }
            }
            advance(Duration.ZERO);
        }, Duration.ofNanos(at - now));
    }

    /** @return how long has passed since the start, advanced and (running) real */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(nanoTime());
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
