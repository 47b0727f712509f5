package dev.meshless.concurrent;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on the thread of whichever caller finds it idle.
 *
 * <p>This is how the control side of Meshless (registry updates, health changes, listener calls)
 * stays single-threaded without a dedicated thread and without holding a lock while calling out:
 * a task submitted while another thread drains the queue runs on that thread, after the tasks
 * before it. A task that throws is logged and does not stop the queue. Same idea as grpc-java's
 * {@code SynchronizationContext}.
 *
 * <p>Public because registries outside core (Consul's, or your own implementation of
 * {@link dev.meshless.registry.EndpointRegistry}) must deliver to each subscription one call at a
 * time, in order, and this is the tool core uses for it.
 *
 * <p>Thread-safe. Request threads do submit to it when they notice a change (an ejection, a breaker
 * transition): the thread that finds it idle then runs the reaction, a rebuild of the routing plan,
 * once; calls that notice nothing never touch it.
 */
public final class SerialExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** The thread currently draining the queue, or null; written with compare-and-set only. */
    private final AtomicReference<Thread> drainer = new AtomicReference<>();

    /**
     * Queues the task and drains the queue unless another thread is already doing so.
     *
     * @param task the task to run
     */
    @Override
    public void execute(Runnable task) {
        queue.add(task);
        drain();
    }

    private void drain() {
        do {
            if (!drainer.compareAndSet(null, Thread.currentThread())) {
                return;
            }
            try {
                Runnable task;
                while ((task = queue.poll()) != null) {
                    try {
                        task.run();
                    } catch (RuntimeException | Error e) {
                        log.error("Meshless control task failed; continuing with the next one", e);
                    }
                }
            } finally {
                drainer.set(null);
            }
            // A task may have been added after the last poll and before the release above.
        } while (!queue.isEmpty());
    }
}
