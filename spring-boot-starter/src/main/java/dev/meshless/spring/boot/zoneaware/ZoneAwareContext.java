package dev.meshless.spring.boot.zoneaware;

import dev.meshless.call.Attempt;
import dev.meshless.topology.Endpoint;

/**
 * The attempt a {@code @ZoneAware} bean method is running for: which endpoint the balancer picked
 * and how long the attempt may take. Bound to the calling thread while the method runs, once per
 * attempt; read it in the method body, not in callbacks that run later on other threads (for a
 * method returning a {@code CompletionStage} or {@code Mono}, read it while building the stage).
 * A nested {@code @ZoneAware} call binds its own attempt and restores the outer one when it ends.
 *
 * <pre>{@code
 * @ZoneAware(service = "ledger", idempotent = true)
 * public Balance balance(String account) {
 *     Endpoint endpoint = ZoneAwareContext.currentAttempt().endpoint();
 *     return ledger.balance(endpoint.host(), endpoint.port(), account);
 * }
 * }</pre>
 */
public final class ZoneAwareContext {

    /** Written and read by the thread running the attempt only. */
    private static final ThreadLocal<Attempt> CURRENT = new ThreadLocal<>();

    private ZoneAwareContext() {
    }

    /**
     * @return the current attempt
     * @throws IllegalStateException when the calling thread is not running a {@code @ZoneAware}
     *     method (called directly rather than through the bean's proxy, or from another thread)
     */
    public static Attempt currentAttempt() {
        Attempt attempt = CURRENT.get();
        if (attempt == null) {
            throw new IllegalStateException("No @ZoneAware attempt on this thread: call the method through its bean"
                    + " (not from inside the same object) and read the attempt on the thread that runs it");
        }
        return attempt;
    }

    /**
     * @return the endpoint picked for the current attempt
     * @throws IllegalStateException as {@link #currentAttempt()}
     */
    public static Endpoint currentEndpoint() {
        return currentAttempt().endpoint();
    }

    /** @return whether the calling thread is running a {@code @ZoneAware} attempt */
    public static boolean isActive() {
        return CURRENT.get() != null;
    }

    /**
     * Binds an attempt to the calling thread until the returned scope is closed.
     *
     * @param attempt the attempt
     * @return the scope, restoring the previous attempt (or none) on close
     */
    static Scope bind(Attempt attempt) {
        Attempt previous = CURRENT.get();
        CURRENT.set(attempt);
        return previous == null ? CURRENT::remove : () -> CURRENT.set(previous);
    }

    /** A binding to undo; closing does not throw. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
