package dev.meshless.spring.boot.cloud.testing;

import dev.meshless.time.TimeSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A time source that moves only when told: {@link #advance} runs the timers that fall due, in order,
 * on the calling thread (including timers they schedule). Thread-safe.
 */
public final class ManualTime implements TimeSource {

    private long now;
    private final List<Timer> timers = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public Clock clock() {
        return Clock.fixed(Instant.EPOCH.plusNanos(nanoTime()), ZoneOffset.UTC);
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        Timer t = new Timer(now + delay.toNanos(), task);
        timers.add(t);
        return () -> t.cancelled = true;
    }

    @Override
    public void sleep(Duration duration) {
        advance(duration);
    }

    /** @param duration how far to move time, running every timer due by then */
    public void advance(Duration duration) {
        long target;
        synchronized (this) {
            target = now + duration.toNanos();
        }
        while (true) {
            Timer due;
            synchronized (this) {
                due = timers.stream().filter(t -> t.due <= target).min((a, b) -> Long.compare(a.due, b.due))
                        .orElse(null);
                if (due == null) {
                    now = target;
                    return;
                }
                timers.remove(due);
                now = Math.max(now, due.due);
            }
            if (!due.cancelled) {
                due.task.run();
            }
        }
    }

    /** @return timers neither run nor cancelled */
    public synchronized long pending() {
        return timers.stream().filter(t -> !t.cancelled).count();
    }

    private static final class Timer {
        final long due;
        final Runnable task;
        volatile boolean cancelled;

        Timer(long due, Runnable task) {
            this.due = due;
            this.task = task;
        }
    }
}
