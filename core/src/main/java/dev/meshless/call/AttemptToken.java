package dev.meshless.call;

import dev.meshless.balancer.Pick;
import dev.meshless.breaker.ZoneCircuitBreakers;
import dev.meshless.outcome.Outcome;
import dev.meshless.topology.Endpoint;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One attempt's admission, after Netflix concurrency-limits' {@code Limiter.Listener}: it owns what
 * the attempt took, and whoever holds it must end it exactly once, so that feedback to outlier
 * detection, the zone breaker and metrics cannot be forgotten or given twice.
 *
 * <p>A token owns
 * <ul>
 *   <li>the endpoint's <b>in-flight count</b> ({@link Pick#callStarted()}), taken when the token is
 *       made;</li>
 *   <li>the <b>zone breaker's permit</b>, when the attempt was made by {@link ServiceClient}, which
 *       asks for it before the attempt and picks elsewhere when it is refused. A token an
 *       integration begins ({@link ServiceClient#begin(Pick)}) holds no permit: the integration
 *       cannot always tell when a call is abandoned (Spring Cloud's reactive filter never reports a
 *       cancelled exchange), and a lost permit would starve a half-open zone of probes. Its
 *       outcome is recorded into the zone's breaker all the same.</li>
 * </ul>
 * The call that made the attempt owns the service breaker's permission and the retry budget's
 * count, which judge whole calls, not attempts (see {@link ServiceClient}).
 *
 * <p>End it with {@link #complete} (classify the answer or exception and report it to every health
 * input and to metrics) or {@link #release} (the attempt never happened: give everything back
 * without an outcome). The first of these wins; any later one does nothing and says so, so that
 * racing reports — an asynchronous timeout and the late answer, a framework reporting twice — count
 * once. Thread-safe.
 */
public final class AttemptToken {

    private static final int OPEN = 0;
    private static final int ENDED = 1;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(AttemptToken.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Feedback feedback;
    private final Pick pick;
    /** The zone's breaker, or {@code null} when zone breakers are off. */
    private final ZoneCircuitBreakers.ZoneBreaker zone;
    /** Whether {@link #zone} holds a permit for this attempt. */
    private final boolean zonePermit;
    private final long startNanos;
    /**
     * {@link #OPEN} until ended: atomically, through {@link #STATE}, by tokens that may be ended from
     * two threads; plainly by the one thread that owns a synchronous attempt ({@link #endOwned}; a
     * compare-and-set would keep the JIT from eliminating the token on the happy path).
     */
    private int state;

    AttemptToken(Feedback feedback, Pick pick, ZoneCircuitBreakers.ZoneBreaker zone, boolean zonePermit,
                 long startNanos) {
        this.feedback = feedback;
        this.pick = pick;
        this.zone = zone;
        this.zonePermit = zonePermit;
        this.startNanos = startNanos;
        pick.callStarted();
    }

    /** @return the pick the attempt goes to */
    public Pick pick() {
        return pick;
    }

    /** @return the endpoint the attempt goes to */
    public Endpoint endpoint() {
        return pick.endpoint();
    }

    /** @return when the attempt started, on the client's time source */
    long startNanos() {
        return startNanos;
    }

    /** @return whether the token is still to be completed or released */
    public boolean isOpen() {
        return (int) STATE.getAcquire(this) == OPEN;
    }

    /**
     * Ends the attempt with what it returned or threw: classifies it with the client's classifier,
     * gives the endpoint's in-flight count back, and reports the outcome (and the time since the
     * token was made) to the zone breaker, outlier detection and metrics.
     *
     * @param result what the attempt returned, or {@code null}
     * @param failure what it threw, or {@code null}
     * @return the outcome, or {@code null} when the token had already been ended (nothing is
     *     reported again)
     */
    public Outcome complete(Object result, Throwable failure) {
        return completeAt(result, failure, feedback.time.nanoTime());
    }

    /**
     * Ends the attempt without an outcome — it was discarded or never sent: gives the in-flight
     * count and the zone permit back and reports nothing.
     *
     * @return whether this ended the token ({@code false} when it had already been ended)
     */
    public boolean release() {
        if (!STATE.compareAndSet(this, OPEN, ENDED)) {
            return false;
        }
        feedback.released(pick, zone, zonePermit);
        return true;
    }

    /**
     * Ends the token for the one thread that owns the attempt and ends it once (the synchronous
     * call path), which then classifies and reports the outcome itself ({@code Feedback.ended})
     * with the token's parts. No atomic operation, no call: the JIT inlines it wherever it is used and drops the
     * token, which the owner never passes on.
     *
     * @return whether the token was still open
     */
    boolean endOwned() {
        if (state != OPEN) {
            return false;
        }
        state = ENDED;
        return true;
    }

    ZoneCircuitBreakers.ZoneBreaker zone() {
        return zone;
    }

    boolean zonePermit() {
        return zonePermit;
    }

    /** As {@link #complete}, at a time already read. */
    Outcome completeAt(Object result, Throwable failure, long endNanos) {
        if (!STATE.compareAndSet(this, OPEN, ENDED)) {
            return null;
        }
        Outcome outcome = feedback.classify(result, failure);
        feedback.ended(pick, zone, zonePermit, outcome, endNanos - startNanos);
        return outcome;
    }

    @Override
    public String toString() {
        return "AttemptToken{" + pick + (isOpen() ? ", open" : ", ended") + "}";
    }
}
