package dev.meshless.adaptive;

import dev.meshless.MeshlessException;
import dev.meshless.config.Values;
import java.time.Duration;

/**
 * A call refused by the adaptive concurrency limit of the service it was for: as many calls as the
 * limit allows were in flight (and none ended within the wait, when one was allowed). Names the
 * service, the limit and the calls in flight. The call never reached the service, so it may be
 * retried elsewhere or later; like a rate limit's refusal it is expected under load, so no stack
 * trace is recorded.
 */
public final class ConcurrencyLimitExceededException extends MeshlessException {

    private final int limit;
    private final int inFlight;
    private final Duration waited;

    /**
     * @param service the service called
     * @param limit the limit when the call was refused
     * @param inFlight the calls in flight then
     * @param waited how long the call waited for a slot; zero when it did not
     */
    public ConcurrencyLimitExceededException(String service, int limit, int inFlight, Duration waited) {
        super(service, "Adaptive concurrency limit of service '" + service + "' reached: " + inFlight
                + " call(s) in flight, limit " + limit + (waited.isZero() ? "" : ", after waiting "
                + Values.format(waited) + " for a slot"), false);
        this.limit = limit;
        this.inFlight = inFlight;
        this.waited = waited;
    }

    /** @return the limit when the call was refused */
    public int limit() {
        return limit;
    }

    /** @return the calls in flight when the call was refused */
    public int inFlight() {
        return inFlight;
    }

    /** @return how long the call waited for a slot; zero when it did not */
    public Duration waited() {
        return waited;
    }
}
