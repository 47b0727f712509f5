package dev.meshless.micrometer.observation;

import dev.meshless.balancer.Pick;
import dev.meshless.call.CallOptions;
import dev.meshless.outcome.Outcome;
import io.micrometer.observation.Observation;

/**
 * What a {@link MeshlessObservationDocumentation#CALL call observation} knows: the service and
 * the call's options from the start, then where its latest attempt went and how it ended. The
 * call's failure, if any, is the context's {@link #getError() error}. Written by the call's
 * attempts one after another; read by conventions and handlers.
 */
public class CallObservationContext extends Observation.Context {

    private final String service;
    private final CallOptions options;
    private Pick lastPick;
    private Outcome lastOutcome;
    private int attempts;

    /**
     * @param service the service called
     * @param options what the call says about itself
     */
    public CallObservationContext(String service, CallOptions options) {
        this.service = service;
        this.options = options;
    }

    /** @return the service called */
    public String service() {
        return service;
    }

    /** @return what the call says about itself (method, idempotence, deadline) */
    public CallOptions options() {
        return options;
    }

    /** @return where the latest attempt went, or {@code null} before the first */
    public Pick lastPick() {
        return lastPick;
    }

    /** @return how the latest attempt ended, or {@code null} while none has */
    public Outcome lastOutcome() {
        return lastOutcome;
    }

    /** @return the attempts started so far */
    public int attempts() {
        return attempts;
    }

    void attemptStarted(Pick pick) {
        lastPick = pick;
        lastOutcome = null;
        attempts++;
    }

    void attemptEnded(Outcome outcome) {
        lastOutcome = outcome;
    }
}
